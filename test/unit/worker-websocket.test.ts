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

test('in a frame the guard wraps Worker: a blob: worker is built from a copy with the guard itself in front (after "use strict")', () => {
  // A frame-like global with stand-ins that look built-in to the guard (bound functions print as native code).
  const built: Array<{ url: unknown; options: unknown }> = [];
  const blobs: unknown[][] = [];
  class FakeWorker {
    constructor(url: unknown, options?: unknown) {
      built.push({ url, options });
    }
  }
  const NativeLooking = FakeWorker.bind(null) as unknown as typeof FakeWorker & { prototype: object };
  NativeLooking.prototype = FakeWorker.prototype;
  class FakeRequest {
    url = '';
    open(_method: string, url: string) {
      this.url = url;
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
    Worker: NativeLooking,
    XMLHttpRequest: FakeRequest,
    Blob: class {
      constructor(parts: unknown[]) {
        blobs.push(parts);
      }
    },
    URL: { createObjectURL: () => 'blob:copy' },
    DOMException: class extends Error {},
  });
  vm.runInContext('self = globalThis;', context);
  vm.runInContext(WORKER_WEBSOCKET_GUARD, context);
  vm.runInContext(`new Worker('blob:original', { type: 'module' }); new Worker('https://shop.example/w.js');`, context);
  assert.deepEqual(
    built.map((b) => b.url),
    ['blob:copy', 'https://shop.example/w.js'],
    'the blob worker is built from the copy; a fetched one as it is',
  );
  assert.equal(JSON.stringify(built[0]!.options), '{"type":"module"}');
  const [head, guard, rest] = blobs[0] as [string, string, string];
  assert.equal(head, "'use strict';");
  assert.equal(guard, WORKER_WEBSOCKET_GUARD, 'the guard reproduces its own text');
  assert.equal(rest, `\npostMessage("blob:original");`);
  assert.equal(vm.runInContext('Object.getPrototypeOf(new Worker("x")).constructor === Worker', context), true, 'the original constructor is not handed out');
});
