// WebSockets opened by workers. Their handshakes never reach CDP Fetch, and Playwright's
// WebSocket routing works only in frames, so the request guard puts a small script in front of
// every worker's own script (request-guard.ts, at the response): it replaces the worker's
// WebSocket with one that first asks the guard, synchronously, through a request to a reserved
// path of the worker's own origin, which the request guard answers itself (the server never
// sees it). Allowed: the browser's own WebSocket, connected as usual. Blocked: a socket that
// never connects and reports error, then close 1008. The browser's constructor stays reachable
// only inside the script (its prototype's `constructor` now names the guarded one).
// Not covered: workers built from blob: or data: URLs (their script is never fetched) and
// modules a module worker imports, which run before its own script.
import { WEBSOCKET_BLOCKED } from './websocket-guard';

/** Reserved path, on the worker's origin, of the guard's yes/no for a WebSocket URL (`?url=`). */
export const WEBSOCKET_CHECK_PATH = '/.shopwarden/websocket-check';

/** The WebSocket URL a check request asks about, or null when `url` is not a check request. */
export function websocketCheckTarget(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.pathname !== WEBSOCKET_CHECK_PATH) return null;
  return parsed.searchParams.get('url');
}

/** What a check request is answered with. */
export const CHECK_ANSWER = Object.freeze({ allowed: 'allowed', blocked: 'blocked' });

/**
 * The script put in front of a worker's own. One line, so the worker's own line numbers (stack
 * traces, source maps) stay as they were. Runs before any of the worker's code, holding the
 * built-ins it needs as the browser made them; does nothing where the guard is already in place
 * (a script the worker imports gets it too).
 */
export const WORKER_WEBSOCKET_GUARD = `(() => {
  const Native = self.WebSocket;
  if (typeof Native !== 'function' || typeof XMLHttpRequest !== 'function') return;
  if (!Reflect.apply(Function.prototype.toString, Native, []).includes('[native code]')) return;
  const apply = Reflect.apply, construct = Reflect.construct, define = Object.defineProperty;
  const Request = XMLHttpRequest, open = Request.prototype.open, send = Request.prototype.send;
  const statusOf = Object.getOwnPropertyDescriptor(Request.prototype, 'status').get;
  const textOf = Object.getOwnPropertyDescriptor(Request.prototype, 'responseText').get;
  const Url = URL, encode = encodeURIComponent, Exception = DOMException, Target = EventTarget;
  const dispatch = Target.prototype.dispatchEvent, Plain = Event, Close = CloseEvent, later = setTimeout;
  const here = self.location.href, checkBase = self.location.origin + ${JSON.stringify(WEBSOCKET_CHECK_PATH)} + '?url=';
  const resolve = (url) => {
    let resolved;
    try { resolved = new Url(String(url), here); } catch { throw new Exception("Failed to construct 'WebSocket': The URL '" + url + "' is invalid.", 'SyntaxError'); }
    if (resolved.protocol === 'http:') resolved.protocol = 'ws:';
    else if (resolved.protocol === 'https:') resolved.protocol = 'wss:';
    if ((resolved.protocol !== 'ws:' && resolved.protocol !== 'wss:') || resolved.hash !== '') throw new Exception("Failed to construct 'WebSocket': The URL '" + resolved.href + "' is invalid.", 'SyntaxError');
    return resolved.href;
  };
  const allowed = (url) => {
    try {
      const request = new Request();
      apply(open, request, ['GET', checkBase + encode(url), false]);
      apply(send, request, []);
      return apply(statusOf, request, []) === 200 && apply(textOf, request, []) === ${JSON.stringify(CHECK_ANSWER.allowed)};
    } catch { return false; }
  };
  const handlers = new WeakMap();
  class Blocked extends Target {
    constructor(url) {
      super();
      handlers.set(this, { url, readyState: 0, binaryType: 'blob' });
      later(() => {
        handlers.get(this).readyState = 3;
        apply(dispatch, this, [new Plain('error')]);
        apply(dispatch, this, [new Close('close', { code: ${WEBSOCKET_BLOCKED.code}, reason: ${JSON.stringify(WEBSOCKET_BLOCKED.reason)}, wasClean: false })]);
      }, 0);
    }
    get url() { return handlers.get(this).url; }
    get readyState() { return handlers.get(this).readyState; }
    get bufferedAmount() { return 0; }
    get extensions() { return ''; }
    get protocol() { return ''; }
    get binaryType() { return handlers.get(this).binaryType; }
    set binaryType(value) { if (value === 'blob' || value === 'arraybuffer') handlers.get(this).binaryType = value; }
    send() { if (handlers.get(this).readyState === 0) throw new Exception("Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.", 'InvalidStateError'); }
    close() {}
  }
  for (const type of ['open', 'message', 'error', 'close']) {
    const listeners = new WeakMap();
    define(Blocked.prototype, 'on' + type, {
      get() { return listeners.get(this) ?? null; },
      set(listener) {
        const old = listeners.get(this);
        if (old) this.removeEventListener(type, old);
        if (typeof listener === 'function') { listeners.set(this, listener); this.addEventListener(type, listener); } else listeners.delete(this);
      },
      configurable: true,
      enumerable: true,
    });
  }
  Object.setPrototypeOf(Blocked.prototype, Native.prototype);
  function WebSocket(url, protocols) {
    if (new.target === undefined) throw new TypeError("Failed to construct 'WebSocket': Please use the 'new' operator, this DOM object constructor cannot be called as a function.");
    const target = resolve(url);
    if (!allowed(target)) return new Blocked(target);
    return construct(Native, protocols === undefined ? [target] : [target, protocols], new.target);
  }
  WebSocket.prototype = Native.prototype;
  for (const [name, value] of [['CONNECTING', 0], ['OPEN', 1], ['CLOSING', 2], ['CLOSED', 3]]) define(WebSocket, name, { value, enumerable: true });
  define(Native.prototype, 'constructor', { value: WebSocket, writable: true, configurable: true, enumerable: false });
  define(self, 'WebSocket', { value: WebSocket, writable: true, configurable: true, enumerable: false });
})();`.replace(/\n\s*/g, ' ');

/** A leading "use strict" directive (after a UTF-8 BOM, blank lines or comments), read byte for byte. */
const DIRECTIVE_PROLOGUE = /^(?:\xEF\xBB\xBF)?(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*(['"])use strict\1;?/;
const GUARD_BYTES = Buffer.from(WORKER_WEBSOCKET_GUARD, 'utf8');

/**
 * The script with the WebSocket guard in front: after a "use strict" directive, so the script
 * keeps its mode; its bytes otherwise untouched, whatever their encoding.
 */
export function withWebSocketGuard(script: Buffer): Buffer {
  const directive = DIRECTIVE_PROLOGUE.exec(script.toString('latin1'))?.[0].length ?? 0;
  return Buffer.concat([script.subarray(0, directive), GUARD_BYTES, script.subarray(directive)]);
}

const JAVASCRIPT_TYPE = /^\s*(?:text|application)\/(?:x-)?(?:javascript|ecmascript|jscript|livescript)\s*(?:;|$)/i;

/** A JavaScript MIME type (browsers run a worker's script only when served as one). */
export function isJavaScriptType(contentType: string): boolean {
  return JAVASCRIPT_TYPE.test(contentType);
}
