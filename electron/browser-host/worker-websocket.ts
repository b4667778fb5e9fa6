// WebSockets opened by workers. Their handshakes never reach CDP Fetch, and Playwright's
// WebSocket routing works only in frames, so the request guard puts a small script in front of
// every worker's own script (request-guard.ts, at the response): it replaces the worker's
// WebSocket with one that first asks the guard, synchronously, through a request to a reserved
// path of the worker's own origin, which the request guard answers itself (the server never
// sees it). Allowed: the browser's own WebSocket, connected as usual. Blocked: a socket that
// never connects and reports error, then close 1008. The browser's constructor stays reachable
// only inside the script (its prototype's `constructor` now names the guarded one).
// Every module a module worker loads is fetched the same way and gets it too; the first module
// to run (a leaf of the import graph) installs it. Workers built from blob: or data: URLs (whose
// scripts are never fetched), dedicated or shared, get the guard from a wrapped constructor (see
// WORKER_WEBSOCKET_GUARD). Not covered: service workers (no synchronous requests there; staff get
// none), and modules a module worker imports from blob: or data: URLs (never fetched; they run
// before the modules that import them).

/** Close code and reason a blocked WebSocket sees, in a frame (websocket-guard.ts) or a worker. */
export const WEBSOCKET_BLOCKED = Object.freeze({ code: 1008, reason: 'Blocked by ShopWarden policy' });

/**
 * A leading "use strict" directive (after a BOM, blank lines or comments). Its source is also
 * written into the guard, which moves it in front of itself in blob workers' scripts.
 */
const DIRECTIVE_PROLOGUE_SOURCE = String.raw`/^(?:\uFEFF|\xEF\xBB\xBF)?(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*(['"])use strict\1;?/`;
const DIRECTIVE_PROLOGUE = new RegExp(DIRECTIVE_PROLOGUE_SOURCE.slice(1, -1));

/** Reserved path, on the worker's origin, of the guard's yes/no for a WebSocket URL (`?url=`). */
export const WEBSOCKET_CHECK_PATH = '/.shopwarden/websocket-check';

/** The WebSocket URL a check request asks about, or null when `url` is not a check request. */
export function websocketCheckTarget(url: string): string | null {
  // Asked of every request: most are ruled out without parsing.
  if (!url.includes(WEBSOCKET_CHECK_PATH)) return null;
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
 * The guard, one script for two places. In a worker (put in front of its own script) it replaces
 * WebSocket as described above. In every frame (added before the page's own scripts) and in
 * every worker it also wraps Worker and SharedWorker: a worker built from a blob: or data: URL
 * (whose script is never fetched, so never seen by the request guard) is built instead from a
 * copy of it with this guard in front: a blob: copy (same origin), or a data: copy (still no
 * origin of its own). It reproduces its own text for that (a named function's source), with the
 * origin to ask as its argument (`checkOrigin`: a data: worker's own is "null"), so a worker a
 * worker builds gets it too. A shared worker's blob: URL gets one copy per realm, so the pages
 * of one document that share it still share one worker (other documents get their own copy,
 * and so their own worker). The origin is the realm's (`self.origin`, read once before any page
 * script): an empty frame's location reads "null" while its realm has its parent's origin.
 * One line, so the worker's own line numbers (stack traces, source maps) stay as they were (and
 * no comments inside it). Holds the built-ins it needs as the browser made them, reads a URL once
 * (what is checked is what is used, whatever its toString does), and does nothing twice (a
 * script a worker imports gets it too).
 */
export const WORKER_WEBSOCKET_GUARD = `(function shopwardenWorkerGuard(checkOrigin) {
  const apply = Reflect.apply, construct = Reflect.construct, define = Object.defineProperty;
  const isNative = (f) => typeof f === 'function' && apply(Function.prototype.toString, f, []).includes('[native code]');
  const origin = typeof checkOrigin === 'string' ? checkOrigin : self.origin;
  const source = '(' + apply(Function.prototype.toString, shopwardenWorkerGuard, []) + ')(' + JSON.stringify(origin) + ');';
  if (typeof XMLHttpRequest !== 'function') return;
  const Request = XMLHttpRequest, open = Request.prototype.open, send = Request.prototype.send;
  const statusOf = Object.getOwnPropertyDescriptor(Request.prototype, 'status').get;
  const textOf = Object.getOwnPropertyDescriptor(Request.prototype, 'responseText').get;
  const Exception = DOMException, toText = String, sliceText = String.prototype.slice, lower = String.prototype.toLowerCase, exec = RegExp.prototype.exec;
  const encode = encodeURIComponent;
  const read = (url) => {
    const request = new Request();
    apply(open, request, ['GET', url, false]);
    apply(send, request, []);
    return { status: apply(statusOf, request, []), text: apply(textOf, request, []) };
  };
  const Data = Blob, objectUrl = URL.createObjectURL, directive = ${DIRECTIVE_PROLOGUE_SOURCE}, builtInPlace = /^(blob|data):/i;
  const Copies = Map, copyOf = Map.prototype.get, keepCopy = Map.prototype.set;
  const guardedCopy = (name, url, copies) => {
    const target = toText(url);
    const scheme = apply(exec, builtInPlace, [target]);
    if (scheme === null) return target;
    const kept = copies === null ? undefined : apply(copyOf, copies, [target]);
    if (kept !== undefined) return kept;
    let script;
    try { script = read(target); } catch { throw new Exception("Failed to construct '" + name + "': ShopWarden could not read the worker's script to guard it.", 'SecurityError'); }
    if (script.status !== 200) return target;
    const head = apply(exec, directive, [script.text])?.[0] ?? '';
    const rest = apply(sliceText, script.text, [head.length]);
    const copy = apply(lower, scheme[1], []) === 'blob'
      ? objectUrl(new Data([head, source, rest], { type: 'text/javascript' }))
      : 'data:text/javascript;charset=utf-8,' + encode(head + source + rest);
    if (copies !== null) apply(keepCopy, copies, [target, copy]);
    return copy;
  };
  const wrap = (name, copies) => {
    const Native = self[name];
    if (!isNative(Native)) return;
    const Wrapped = { [name]: function (url, options) {
      if (new.target === undefined) throw new TypeError("Failed to construct '" + name + "': Please use the 'new' operator, this DOM object constructor cannot be called as a function.");
      const target = guardedCopy(name, url, copies);
      return construct(Native, options === undefined ? [target] : [target, options], new.target);
    } }[name];
    Wrapped.prototype = Native.prototype;
    define(Native.prototype, 'constructor', { value: Wrapped, writable: true, configurable: true, enumerable: false });
    define(self, name, { value: Wrapped, writable: true, configurable: true, enumerable: false });
  };
  wrap('Worker', null);
  wrap('SharedWorker', new Copies());
  const Native = self.WebSocket;
  if (typeof WorkerGlobalScope !== 'function' || !(self instanceof WorkerGlobalScope) || !isNative(Native)) return;
  const Url = URL, Target = EventTarget;
  const dispatch = Target.prototype.dispatchEvent, Plain = Event, Close = CloseEvent, later = setTimeout;
  const here = self.location.href, checkBase = origin + ${JSON.stringify(WEBSOCKET_CHECK_PATH)} + '?url=';
  const resolve = (url) => {
    let resolved;
    try { resolved = new Url(toText(url), here); } catch { throw new Exception("Failed to construct 'WebSocket': The URL '" + url + "' is invalid.", 'SyntaxError'); }
    if (resolved.protocol === 'http:') resolved.protocol = 'ws:';
    else if (resolved.protocol === 'https:') resolved.protocol = 'wss:';
    if ((resolved.protocol !== 'ws:' && resolved.protocol !== 'wss:') || resolved.hash !== '') throw new Exception("Failed to construct 'WebSocket': The URL '" + resolved.href + "' is invalid.", 'SyntaxError');
    return resolved.href;
  };
  const allowed = (url) => {
    try {
      const answer = read(checkBase + encode(url));
      return answer.status === 200 && answer.text === ${JSON.stringify(CHECK_ANSWER.allowed)};
    } catch { return false; }
  };
  const state = new WeakMap();
  class Blocked extends Target {
    constructor(url) {
      super();
      state.set(this, { url, readyState: 0, binaryType: 'blob' });
      later(() => {
        state.get(this).readyState = 3;
        apply(dispatch, this, [new Plain('error')]);
        apply(dispatch, this, [new Close('close', { code: ${WEBSOCKET_BLOCKED.code}, reason: ${JSON.stringify(WEBSOCKET_BLOCKED.reason)}, wasClean: false })]);
      }, 0);
    }
    get url() { return state.get(this).url; }
    get readyState() { return state.get(this).readyState; }
    get bufferedAmount() { return 0; }
    get extensions() { return ''; }
    get protocol() { return ''; }
    get binaryType() { return state.get(this).binaryType; }
    set binaryType(value) { if (value === 'blob' || value === 'arraybuffer') state.get(this).binaryType = value; }
    send() { if (state.get(this).readyState === 0) throw new Exception("Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.", 'InvalidStateError'); }
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
  const WebSocket = function WebSocket(url, protocols) {
    if (new.target === undefined) throw new TypeError("Failed to construct 'WebSocket': Please use the 'new' operator, this DOM object constructor cannot be called as a function.");
    const target = resolve(url);
    if (!allowed(target)) return new Blocked(target);
    return construct(Native, protocols === undefined ? [target] : [target, protocols], new.target);
  };
  WebSocket.prototype = Native.prototype;
  for (const [name, value] of [['CONNECTING', 0], ['OPEN', 1], ['CLOSING', 2], ['CLOSED', 3]]) define(WebSocket, name, { value, enumerable: true });
  define(Native.prototype, 'constructor', { value: WebSocket, writable: true, configurable: true, enumerable: false });
  define(self, 'WebSocket', { value: WebSocket, writable: true, configurable: true, enumerable: false });
})();`.replace(/\n\s*/g, ' ');

const GUARD_BYTES = Buffer.from(WORKER_WEBSOCKET_GUARD, 'utf8');

/**
 * The script with the WebSocket guard in front: after a "use strict" directive, so the script
 * keeps its mode; its bytes otherwise untouched, whatever their encoding.
 */
export function withWebSocketGuard(script: Buffer): Buffer {
  // Read as latin1, one character per byte: a UTF-8 BOM shows as its three bytes.
  const directive = DIRECTIVE_PROLOGUE.exec(script.toString('latin1'))?.[0].length ?? 0;
  return Buffer.concat([script.subarray(0, directive), GUARD_BYTES, script.subarray(directive)]);
}

const JAVASCRIPT_TYPE = /^\s*(?:text|application)\/(?:x-)?(?:javascript|ecmascript|jscript|livescript)\s*(?:;|$)/i;

/** A JavaScript MIME type (browsers run a worker's script only when served as one). */
export function isJavaScriptType(contentType: string): boolean {
  return JAVASCRIPT_TYPE.test(contentType);
}
