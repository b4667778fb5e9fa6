// The pure parts of the workers' WebSocket guard (electron/browser-host/worker-websocket.ts);
// the e2e tests (store-sessions (7), the bypass catalogue) show it in a real Chromium worker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { isJavaScriptType, WEBSOCKET_CHECK_PATH, websocketCheckTarget, withWebSocketGuard, WORKER_WEBSOCKET_GUARD } from '../../electron/browser-host/worker-websocket';

test('the guard is one line of valid script', () => {
  assert.doesNotMatch(WORKER_WEBSOCKET_GUARD, /\n/);
  assert.doesNotThrow(() => new Function(WORKER_WEBSOCKET_GUARD));
});

test('withWebSocketGuard puts the guard first, after a "use strict" directive, and keeps every other byte', () => {
  const guard = Buffer.from(WORKER_WEBSOCKET_GUARD);
  const cases: Array<[string | Buffer, number]> = [
    ['postMessage(1);', 0],
    ["'use strict';\npostMessage(1);", "'use strict';".length],
    ['"use strict"\npostMessage(1);', '"use strict"'.length],
    ["// a worker\n/* licence */\n  'use strict';x()", "// a worker\n/* licence */\n  'use strict';".length],
    [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("'use strict';x()")]), 3 + "'use strict';".length],
    ["'use strictly';x()", 0],
    ["x(); 'use strict';", 0],
  ];
  for (const [script, at] of cases) {
    const bytes = Buffer.isBuffer(script) ? script : Buffer.from(script);
    assert.deepEqual(withWebSocketGuard(bytes), Buffer.concat([bytes.subarray(0, at), guard, bytes.subarray(at)]), String(script));
  }
  const latin1 = Buffer.from([0x78, 0x3d, 0x27, 0xe9, 0x27, 0x3b]); // x='é'; in ISO-8859-1
  assert.deepEqual(withWebSocketGuard(latin1).subarray(guard.length), latin1, 'not re-encoded');
});

test('websocketCheckTarget reads the asked URL only from the reserved path', () => {
  const socket = 'wss://sellercentral.amazon.com/ws?a=1&b=2';
  assert.equal(websocketCheckTarget(`https://sellercentral.amazon.com${WEBSOCKET_CHECK_PATH}?url=${encodeURIComponent(socket)}`), socket);
  assert.equal(websocketCheckTarget(`https://sellercentral.amazon.com${WEBSOCKET_CHECK_PATH}`), null);
  assert.equal(websocketCheckTarget(`https://sellercentral.amazon.com/orders${WEBSOCKET_CHECK_PATH}?url=x`), null);
  assert.equal(websocketCheckTarget('not a url'), null);
});

test('isJavaScriptType: the JavaScript MIME types, with parameters, nothing else', () => {
  for (const type of ['text/javascript', 'application/javascript; charset=utf-8', 'application/x-javascript', 'text/ecmascript', 'TEXT/JAVASCRIPT']) assert.ok(isJavaScriptType(type), type);
  for (const type of ['', 'text/html', 'application/json', 'text/javascript-template', 'application/javascriptx', 'text/plain; x=text/javascript']) assert.ok(!isJavaScriptType(type), type);
});

/** The guard's text as a copy built on `origin` carries it: asking that origin about sockets. */
const guardFor = (origin: string) => WORKER_WEBSOCKET_GUARD.replace(/\)\(\);$/, `)(${JSON.stringify(origin)});`);

/**
 * A frame-like global (origin `origin`) with stand-ins that look built-in to the guard (bound
 * functions print as native code), the guard already run in it. Records the workers built, the
 * blobs made and the scripts read.
 */
function frameWithGuard(origin: string, guard = WORKER_WEBSOCKET_GUARD) {
  const built: Array<{ kind: string; url: unknown; options: unknown }> = [];
  const blobs: unknown[][] = [];
  const reads: string[] = [];
  const nativeLooking = (kind: string) => {
    class Fake {
      constructor(url: unknown, options?: unknown) {
        built.push({ kind, url, options });
      }
    }
    const bound = Fake.bind(null) as unknown as typeof Fake & { prototype: object };
    bound.prototype = Fake.prototype;
    return bound;
  };
  class FakeRequest {
    url = '';
    open(_method: string, url: string) {
      this.url = url;
      reads.push(url);
    }
    send() {}
    get status() {
      return 200;
    }
    get responseText() {
      return `'use strict';\npostMessage(${JSON.stringify(this.url)});`;
    }
  }
  const context = vm.createContext({
    Worker: nativeLooking('Worker'),
    SharedWorker: nativeLooking('SharedWorker'),
    XMLHttpRequest: FakeRequest,
    Blob: class {
      constructor(parts: unknown[]) {
        blobs.push(parts);
      }
    },
    URL: { createObjectURL: () => `blob:copy-${blobs.length}` },
    DOMException: class extends Error {},
    origin,
  });
  vm.runInContext('self = globalThis;', context);
  vm.runInContext(guard, context);
  return { built, blobs, reads, context };
}

test('in a frame the guard wraps Worker: a blob: worker is built from a copy with the guard itself in front (after "use strict")', () => {
  const { built, blobs, context } = frameWithGuard('https://shop.example');
  vm.runInContext(`new Worker('blob:original', { type: 'module' }); new Worker('https://shop.example/w.js');`, context);
  assert.deepEqual(
    built.map((b) => b.url),
    ['blob:copy-1', 'https://shop.example/w.js'],
    'the blob worker is built from the copy; a fetched one as it is',
  );
  assert.equal(JSON.stringify(built[0]!.options), '{"type":"module"}');
  const [head, guard, rest] = blobs[0] as [string, string, string];
  assert.equal(head, "'use strict';");
  assert.equal(guard, guardFor('https://shop.example'), 'the guard reproduces its own text, with the origin to ask');
  assert.equal(rest, `\npostMessage("blob:original");`);
  assert.equal(vm.runInContext('Object.getPrototypeOf(new Worker("x")).constructor === Worker', context), true, 'the original constructor is not handed out');
});

test('a data: worker is built from a data: copy (still without an origin) whose guard asks the page\'s origin', () => {
  const { built, blobs, context } = frameWithGuard('https://shop.example');
  const original = `data:text/javascript,${encodeURIComponent("'use strict';x()")}`;
  vm.runInContext(`new Worker(${JSON.stringify(original)})`, context);
  assert.equal(blobs.length, 0);
  const url = String(built[0]!.url);
  const prefix = 'data:text/javascript;charset=utf-8,';
  assert.ok(url.startsWith(prefix), url);
  assert.equal(decodeURIComponent(url.slice(prefix.length)), `'use strict';${guardFor('https://shop.example')}\npostMessage(${JSON.stringify(original)});`);

  // Run in that worker (whose own origin is "null"), the guard hands the page's origin on.
  const inWorker = frameWithGuard('null', guardFor('https://shop.example'));
  vm.runInContext(`new Worker('blob:nested')`, inWorker.context);
  assert.equal((inWorker.blobs[0] as string[])[1], guardFor('https://shop.example'));
});

test('SharedWorker is wrapped too; one blob: URL gives one copy, so pages that share it still share one worker', () => {
  const { built, reads, context } = frameWithGuard('https://shop.example');
  vm.runInContext(`new SharedWorker('blob:shared', 'chat'); new SharedWorker('blob:shared', 'chat'); new SharedWorker('blob:other'); new Worker('blob:shared'); new Worker('blob:shared');`, context);
  assert.deepEqual(
    built.map((b) => `${b.kind} ${String(b.url)}`),
    ['SharedWorker blob:copy-1', 'SharedWorker blob:copy-1', 'SharedWorker blob:copy-2', 'Worker blob:copy-3', 'Worker blob:copy-4'],
  );
  assert.deepEqual(reads, ['blob:shared', 'blob:other', 'blob:shared', 'blob:shared'], 'a shared copy is read once');
  assert.equal(built[0]!.options, 'chat');
  assert.equal(vm.runInContext('Object.getPrototypeOf(new SharedWorker("x")).constructor === SharedWorker', context), true);
});
