// A browser-like global environment for component tests under node:test: a happy-dom window
// whose properties become globals, as @happy-dom/global-registrator does. Import this module
// first in every component test (before @testing-library/*, which reads `document` on load).
import { GlobalWindow } from 'happy-dom';

// Node keeps its own console and timers: happy-dom's timers are tied to its window's task
// manager, and testing-library's waitFor polls with whatever setInterval is global.
const IGNORE = new Set(['constructor', 'undefined', 'NaN', 'global', 'globalThis', 'process', 'Buffer', 'console', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'queueMicrotask']);

export const window = new GlobalWindow({ url: 'http://127.0.0.1:4000/', width: 1280, height: 800, settings: { navigator: { userAgent: 'ShopWarden component tests' } } });

const host = globalThis as unknown as Record<string | symbol, unknown>;
for (const key of Object.getOwnPropertyNames(window)) {
  if (IGNORE.has(key)) continue;
  const own = Object.getOwnPropertyDescriptor(window, key);
  if (!own) continue;
  const existing = Object.getOwnPropertyDescriptor(globalThis, key);
  if (existing && existing.value !== undefined && existing.value === own.value) continue;
  let descriptor = own;
  // Methods called without their window (setTimeout(...)) need it bound.
  if (typeof own.value === 'function' && !/^class[\s{]/.test(Function.prototype.toString.call(own.value)) && !/^[A-Z]/.test(key))
    descriptor = { ...own, value: (own.value as (...args: unknown[]) => unknown).bind(window) };
  Object.defineProperty(globalThis, key, { ...descriptor, configurable: true });
}
host.window = globalThis;
host.document = window.document;
host.IS_REACT_ACT_ENVIRONMENT = true;

// happy-dom does no layout: elements report 0 × 0. The log table's scroll box reports the
// height its CSS would give it, so the virtualiser has a viewport to fill.
export const LOG_VIEWPORT_HEIGHT = 640;
Object.defineProperty(window.HTMLElement.prototype, 'clientHeight', {
  configurable: true,
  get(this: HTMLElement) {
    return this.hasAttribute('data-log-scroll') ? LOG_VIEWPORT_HEIGHT : 0;
  },
});
Object.defineProperty(window.HTMLElement.prototype, 'clientWidth', {
  configurable: true,
  get(this: HTMLElement) {
    return this.hasAttribute('data-log-scroll') ? 1000 : 0;
  },
});

/** Ends happy-dom's timers so the test process can exit. */
export async function closeDom(): Promise<void> {
  await window.happyDOM.abort();
}
