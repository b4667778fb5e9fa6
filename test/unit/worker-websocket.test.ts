// The pure parts of the workers' WebSocket guard (electron/browser-host/worker-websocket.ts);
// the e2e tests (store-sessions (7), the bypass catalogue) show it in a real Chromium worker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
