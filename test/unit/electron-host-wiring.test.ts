// The Electron host's wiring, run in plain Node against a recording stand-in for the `electron`
// module (the runtime cannot be installed here) and the real AppCore on a temporary folder.
// It checks what the host asks Electron to do — window and tab preferences, one webRequest
// dispatcher per store session, proxy before the first page, sender checks, blocked pages, tab
// closing, data wiping, shutdown — not what Electron then does: that is the e2e test's job
// (test/e2e/electron-host.test.ts, which needs the runtime).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppCoreApi } from '../../electron/core/app/api';
import type { HostHooks } from '../../electron/core/app/host';
import { INPUT_MESSAGE, NOTE_INPUT_SCRIPT } from '../../electron/core/pages/input-note';
import { FILE_PICKERS_BLINK_FEATURE } from '../../electron/core/app/file-pickers';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../../electron/preload/channels';
import type { IpcResult } from '../../shared/ipc/result';

type AnyFn = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any

// ---------------------------------------------------------------- the stand-in for 'electron'

let nextWebContentsId = 1;
const sessions = new Map<string, FakeSession>();
const allWebContents: FakeWebContents[] = [];
const windows: FakeBrowserWindow[] = [];
const shownInFolder: string[] = [];

class FakeSession extends EventEmitter {
  readonly storagePath: string;
  readonly calls: string[] = [];
  readonly protocolHandlers = new Map<string, AnyFn>();
  readonly listenerCounts = { beforeRequest: 0, beforeSendHeaders: 0, headersReceived: 0 };
  beforeRequest: AnyFn | null = null;
  beforeSendHeaders: AnyFn | null = null;
  permissionRequest: AnyFn | null = null;
  permissionCheck: AnyFn | null = null;
  readonly protocol = { handle: (scheme: string, handler: AnyFn) => void this.protocolHandlers.set(scheme, handler) };
  readonly webRequest = {
    onBeforeRequest: (listener: AnyFn) => {
      this.listenerCounts.beforeRequest++;
      this.beforeRequest = listener;
    },
    onBeforeSendHeaders: (listener: AnyFn) => {
      this.listenerCounts.beforeSendHeaders++;
      this.beforeSendHeaders = listener;
    },
    onHeadersReceived: () => void this.listenerCounts.headersReceived++,
  };
  constructor(readonly partition: string) {
    super();
    this.storagePath = `/fake/Partitions/${partition.replace(/^persist:/, '').toLowerCase()}`;
  }
  private record = (name: string) => (...args: unknown[]) => {
    this.calls.push(`${name}${args.length ? ' ' + JSON.stringify(args) : ''}`);
    return Promise.resolve();
  };
  setPermissionRequestHandler = (h: AnyFn) => void (this.permissionRequest = h);
  setPermissionCheckHandler = (h: AnyFn) => void (this.permissionCheck = h);
  setDevicePermissionHandler = this.record('setDevicePermissionHandler');
  setDisplayMediaRequestHandler = this.record('setDisplayMediaRequestHandler');
  setSpellCheckerEnabled = this.record('setSpellCheckerEnabled');
  setProxy = this.record('setProxy');
  closeAllConnections = this.record('closeAllConnections');
  setUserAgent = this.record('setUserAgent');
  clearStorageData = this.record('clearStorageData');
  clearCache = this.record('clearCache');
  clearAuthCache = this.record('clearAuthCache');
  clearHostResolverCache = this.record('clearHostResolverCache');
  clearCodeCaches = this.record('clearCodeCaches');
  /** Runs the session's one onBeforeRequest dispatcher like Electron would. */
  request(details: Record<string, unknown>): Promise<{ cancel?: boolean }> {
    return new Promise((resolve) => this.beforeRequest!({ method: 'GET', resourceType: 'mainFrame', uploadData: [], ...details }, resolve));
  }
}

function fromPartition(partition: string): FakeSession {
  let ses = sessions.get(partition);
  if (!ses) sessions.set(partition, (ses = new FakeSession(partition)));
  return ses;
}

class FakeWebContents extends EventEmitter {
  readonly id = nextWebContentsId++;
  url = '';
  destroyed = false;
  readonly loads: string[] = [];
  /** The options of each loadURL (referrer, POST body), in step with `loads`. */
  readonly loadOptions: unknown[] = [];
  readonly sent: [string, unknown][] = [];
  windowOpenHandler: AnyFn | null = null;
  webRtcPolicy = '';
  devToolsClosed = 0;
  reloads = 0;
  /** A history like Chromium's: a load drops the forward entries; back/forward move and report. */
  private entries: string[] = [];
  private index = -1;
  readonly navigationHistory = {
    canGoBack: () => this.index > 0,
    canGoForward: () => this.index < this.entries.length - 1,
    goBack: () => this.go(-1),
    goForward: () => this.go(1),
  };
  constructor(
    readonly session: FakeSession,
    readonly preferences: Record<string, unknown>,
  ) {
    super();
    allWebContents.push(this);
    electron.app.emit('web-contents-created', {}, this);
  }
  loadURL(url: string, options?: unknown) {
    this.loads.push(url);
    this.loadOptions.push(options);
    this.url = url;
    this.entries = [...this.entries.slice(0, this.index + 1), url];
    this.index = this.entries.length - 1;
    return Promise.resolve();
  }
  private go(offset: number) {
    this.index += offset;
    this.url = this.entries[this.index]!;
    this.emit('did-navigate', {}, this.url);
  }
  /** Scripts run in the page (executeJavaScript). */
  readonly executed: string[] = [];
  executeJavaScript(code: string) {
    this.executed.push(code);
    return Promise.resolve(undefined);
  }
  getURL() {
    return this.url;
  }
  getTitle() {
    return this.url.split('/').at(-1) ?? '';
  }
  setWindowOpenHandler(handler: AnyFn) {
    this.windowOpenHandler = handler;
  }
  isDestroyed() {
    return this.destroyed;
  }
  close() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('destroyed');
  }
  focus() {}
  reload() {
    this.reloads++;
  }
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload]);
  }
  setWebRTCIPHandlingPolicy(policy: string) {
    this.webRtcPolicy = policy;
  }
  closeDevTools() {
    this.devToolsClosed++;
  }
  /** An Electron-style preventable event. */
  fire(name: string, details: Record<string, unknown>): boolean {
    let prevented = false;
    this.emit(name, { ...details, preventDefault: () => (prevented = true) });
    return prevented;
  }
}

class FakeView {
  readonly webContents: FakeWebContents;
  visible = true;
  bounds: unknown = null;
  constructor(options: { webPreferences?: Record<string, unknown>; webContents?: FakeWebContents }) {
    this.webContents = options.webContents ?? new FakeWebContents(fromPartition(String(options.webPreferences?.partition)), options.webPreferences ?? {});
  }
  setVisible(visible: boolean) {
    this.visible = visible;
  }
  setBounds(bounds: unknown) {
    this.bounds = bounds;
  }
}

class FakeBrowserWindow extends EventEmitter {
  readonly webContents: FakeWebContents;
  readonly children: FakeView[] = [];
  readonly contentView = {
    addChildView: (view: FakeView) => void this.children.push(view),
    removeChildView: (view: FakeView) => void this.children.splice(this.children.indexOf(view), 1),
  };
  title = '';
  destroyed = false;
  constructor(readonly options: { webPreferences: Record<string, unknown> & { session: FakeSession } }) {
    super();
    this.webContents = new FakeWebContents(options.webPreferences.session, options.webPreferences);
    windows.push(this);
  }
  center() {}
  show() {}
  focus() {}
  maximize() {}
  restore() {}
  isMinimized() {
    return false;
  }
  isMaximized() {
    return false;
  }
  isDestroyed() {
    return this.destroyed;
  }
  getContentSize() {
    return [1280, 800];
  }
  getNormalBounds() {
    return { x: 10, y: 20, width: 1280, height: 800 };
  }
  setTitle(title: string) {
    this.title = title;
  }
}

const handlers = new Map<string, AnyFn>();
const switches: [string, string | undefined][] = [];
const privileged: unknown[] = [];
let sandboxEnabled = false;
let quitState: 'running' | 'quit' = 'running';
const userData = mkdtempSync(join(tmpdir(), 'shopwarden-electron-wiring-'));

class FakeApp extends EventEmitter {
  isPackaged = false;
  name = 'shopwarden';
  userAgentFallback = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) shopwarden/0.1.0 Chrome/140.0.0.0 Electron/45.4.1 Safari/537.36';
  paths = new Map<string, string>([['userData', join(userData, 'default')]]);
  commandLine = { appendSwitch: (name: string, value?: string) => void switches.push([name, value]) };
  setName(name: string) {
    this.name = name;
  }
  getName() {
    return this.name;
  }
  setPath(name: string, value: string) {
    this.paths.set(name, value);
  }
  getPath(name: string) {
    return this.paths.get(name) ?? join(userData, name);
  }
  getAppPath() {
    return '/opt/shopwarden';
  }
  getVersion() {
    return '0.1.0';
  }
  enableSandbox() {
    sandboxEnabled = true;
  }
  requestSingleInstanceLock() {
    return true;
  }
  whenReady() {
    return Promise.resolve();
  }
  getPreferredSystemLanguages() {
    return ['zh-CN', 'en-US'];
  }
  quit() {
    let prevented = false;
    this.emit('will-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) quitState = 'quit';
  }
  exit(code: number) {
    throw new Error(`app.exit(${code})`);
  }
}

const electron = {
  app: new FakeApp(),
  protocol: { registerSchemesAsPrivileged: (schemes: unknown[]) => void privileged.push(...schemes) },
  session: { fromPartition },
  BrowserWindow: FakeBrowserWindow,
  WebContentsView: FakeView,
  ipcMain: {
    handle: (channel: string, fn: AnyFn) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, fn);
    },
    removeHandler: (channel: string) => void handlers.delete(channel),
    removeAllListeners: () => undefined,
    on: () => undefined,
  },
  Menu: { buildFromTemplate: (template: unknown) => ({ template, popup() {} }), setApplicationMenu: () => undefined },
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  dialog: { showErrorBox: (title: string, message: string) => console.error(title, message) },
  clipboard: { writeText: () => undefined },
  shell: { openPath: async () => '', showItemInFolder: (path: string) => void shownInFolder.push(path) },
};
(globalThis as unknown as { __fakeElectron: unknown }).__fakeElectron = electron;

const STUB = `const e = globalThis.__fakeElectron; export default e;
export const { app, protocol, session, BrowserWindow, WebContentsView, ipcMain, Menu, screen, dialog, clipboard, shell } = e;`;
const HOOKS = `export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: 'data:text/javascript,' + encodeURIComponent(${JSON.stringify(STUB)}), shortCircuit: true, format: 'module' };
  return next(specifier, context);
}`;

// ---------------------------------------------------------------- the host under test

const STORE_PROXY = { scheme: 'http', host: 'proxy.example', port: 3128, username: 'pu', password: 'proxy-secret' };
let core: AppCoreApi;
let consoleWindow: FakeBrowserWindow;

async function invoke(channel: string, payload: unknown, from?: { sender?: FakeWebContents; url?: string; top?: boolean }): Promise<IpcResult<unknown>> {
  const handler = handlers.get(INVOKE_CHANNEL);
  assert.ok(handler, 'the invoke handler');
  const event = { sender: from?.sender ?? consoleWindow.webContents, senderFrame: { url: from?.url ?? 'app://console/index.html?lang=zh', parent: from?.top === false ? {} : null } };
  return handler(event, channel, payload);
}
async function call<T = unknown>(channel: string, payload: unknown): Promise<T> {
  const result = await invoke(channel, payload);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.data as T;
}
const storeTabs = () => consoleWindow.children.map((v) => v.webContents);
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Electron host wiring (stand-in electron module, real core)', () => {
  before(async () => {
    process.env.SHOPWARDEN_E2E = '1';
    process.env.SHOPWARDEN_E2E_USER_DATA = join(userData, 'e2e');
    process.env.SHOPWARDEN_E2E_HOST_RULES = 'MAP sellercentral.amazon.com 127.0.0.1:9, EXCLUDE localhost';
    register(`data:text/javascript,${encodeURIComponent(HOOKS)}`);
    const { startShopWarden } = await import('../../electron/main/bootstrap');
    const { AppCore } = await import('../../electron/core/app/app-core');
    let opened: Promise<AppCoreApi> | null = null;
    startShopWarden((hooks: HostHooks) => {
      opened = AppCore.open({ dataDir: electron.app.getPath('userData'), hooks, scrypt: { logN: 10, r: 8, p: 1 }, audit: { flushIntervalMs: 5 } });
      return opened;
    });
    for (let i = 0; i < 200 && !(handlers.has(INVOKE_CHANNEL) && windows.length === 1); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.ok(opened, 'the core was opened through the factory');
    core = await opened!;
    consoleWindow = windows[0]!;
  });

  after(async () => {
    for (const name of ['SHOPWARDEN_E2E', 'SHOPWARDEN_E2E_USER_DATA', 'SHOPWARDEN_E2E_HOST_RULES']) delete process.env[name];
    if (quitState !== 'quit') await core?.close();
    rmSync(userData, { recursive: true, force: true });
  });

  test('before ready: sandbox for all, privileged console scheme, test switches; the data folder is the test one', () => {
    assert.equal(sandboxEnabled, true);
    assert.deepEqual(privileged, [{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
    assert.deepEqual(switches, [
      ['host-resolver-rules', 'MAP sellercentral.amazon.com 127.0.0.1:9, EXCLUDE localhost'],
      ['disable-features', 'BackForwardCache'],
    ]);
    assert.equal(electron.app.getName(), 'ShopWarden');
    assert.equal(core.dataDir, join(userData, 'e2e'));
  });

  test('the console window: isolated, sandboxed, its own session, app:// console page with the system language', () => {
    const prefs = consoleWindow.options.webPreferences;
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.nodeIntegration, false);
    assert.equal(prefs.webSecurity, true);
    assert.equal(prefs.preload, join('/opt/shopwarden', 'dist/electron/preload/index.cjs'));
    assert.equal(prefs.session.partition, 'persist:shopwarden-console');
    assert.ok(prefs.session.protocolHandlers.has('app'));
    assert.deepEqual(consoleWindow.webContents.loads, ['app://console/index.html?lang=zh']);
    assert.equal(prefs.session.permissionCheck!(null, 'media', 'app://console'), false);
    assert.equal(prefs.session.permissionCheck!(null, 'clipboard-sanitized-write', 'https://evil.example'), false);
    assert.equal(consoleWindow.webContents.fire('will-frame-navigate', { url: 'https://evil.example/', isMainFrame: true }), true, 'the console cannot navigate away');
    assert.equal(consoleWindow.webContents.fire('will-frame-navigate', { url: 'app://console/index.html#/log', isMainFrame: true }), false);
    assert.deepEqual(consoleWindow.webContents.windowOpenHandler!({ url: 'https://evil.example/' }), { action: 'deny' });
  });

  test('the console page is served from the renderer folder with its CSP; other paths are refused', async () => {
    const handler = consoleWindow.options.webPreferences.session.protocolHandlers.get('app')!;
    const refused: Response = await handler({ url: 'app://console/..%2f..%2fetc%2fpasswd' });
    assert.equal(refused.status, 404);
    assert.match(refused.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    const missing: Response = await handler({ url: 'app://console/index.html' });
    assert.equal(missing.status, 404, '/opt/shopwarden/dist/renderer does not exist here');
    assert.match(await missing.text(), /not built/);
  });

  test('IPC: only the console top frame on app://console is answered; then the core is', async () => {
    const stranger = new FakeWebContents(fromPartition('persist:store-x'), {});
    for (const from of [{ sender: stranger }, { url: 'https://evil.example/' }, { top: false }, { url: 'app://console.evil/index.html' }]) {
      const result = await invoke('app:status', {}, from);
      assert.deepEqual(result.ok ? null : result.error.code, 'forbidden', JSON.stringify(from));
    }
    assert.equal((await call<{ needsSetup: boolean }>('app:status', {})).needsSetup, true);
    await call('auth:setup-owner', { username: 'boss', password: 'owner-password-1' });
  });

  let storeId = '';

  test('opening a store: proxy and identity first, then one sandboxed tab without preload in the store partition', async () => {
    const store = await call<{ id: string }>('stores:create', {
      name: 'US',
      platformId: 'amazon',
      siteId: 'us',
      homeUrl: 'https://sellercentral.amazon.com/home',
      proxy: STORE_PROXY,
      userAgent: null,
      acceptLanguage: 'en-US,en',
    });
    storeId = store.id;
    await call('workspace:open-store', { storeId });
    const ses = sessions.get(`persist:store-${storeId}`)!;
    assert.ok(ses, 'the store session');
    assert.deepEqual(ses.listenerCounts, { beforeRequest: 1, beforeSendHeaders: 1, headersReceived: 0 });
    const proxyAt = ses.calls.findIndex((c) => c.startsWith('setProxy'));
    assert.equal(ses.calls[proxyAt], 'setProxy [{"mode":"fixed_servers","proxyRules":"http://proxy.example:3128"}]');
    assert.ok(ses.calls.indexOf('closeAllConnections') > proxyAt);
    assert.ok(
      ses.calls.includes('setUserAgent ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36","en-US,en"]'),
      ses.calls.join('\n'),
    );
    const [tab] = storeTabs();
    assert.equal(storeTabs().length, 1);
    assert.deepEqual(
      [tab!.preferences.partition, tab!.preferences.sandbox, tab!.preferences.contextIsolation, tab!.preferences.nodeIntegration, tab!.preferences.preload],
      [`persist:store-${storeId}`, true, true, false, undefined],
    );
    assert.equal(tab!.preferences.disableBlinkFeatures, undefined, 'the owner keeps the file pickers');
    assert.deepEqual(tab!.loads, ['https://sellercentral.amazon.com/home']);
    assert.equal(tab!.webRtcPolicy, 'disable_non_proxied_udp');
    assert.deepEqual(consoleWindow.children[0]!.bounds, { x: 0, y: 88, width: 1280, height: 712 });
    assert.match(consoleWindow.title, /^US · us — ShopWarden$/);
    // Permissions are denied; the owner's request is allowed.
    let granted: boolean | null = null;
    ses.permissionRequest!(tab, 'media', (ok: boolean) => (granted = ok), {});
    assert.equal(granted, false);
    assert.deepEqual(await ses.request({ webContentsId: tab!.id, url: 'https://sellercentral.amazon.com/payments/dashboard' }), { cancel: false });
    // Opening it again shows the same tab; the session is not hooked twice.
    await call('workspace:open-store', { storeId });
    assert.equal(storeTabs().length, 1);
    assert.deepEqual(ses.listenerCounts, { beforeRequest: 1, beforeSendHeaders: 1, headersReceived: 0 });

    // The console's browser buttons act on this tab; each navigation reaches the console's address bar.
    const orders = 'https://sellercentral.amazon.com/orders-v3';
    const location = () => consoleWindow.webContents.sent.map(([, e]) => e as { type: string }).filter((e) => e.type === 'store-location').at(-1);
    await tab!.loadURL(orders);
    tab!.emit('did-navigate', {}, orders);
    assert.deepEqual(location(), { type: 'store-location', storeId, url: orders, title: 'orders-v3', canGoBack: true, canGoForward: false });
    await call('workspace:navigate', { storeId, action: 'back' });
    assert.deepEqual(location(), { type: 'store-location', storeId, url: 'https://sellercentral.amazon.com/home', title: 'home', canGoBack: false, canGoForward: true });
    await call('workspace:navigate', { storeId, action: 'forward' });
    assert.equal(tab!.getURL(), orders);
    await call('workspace:navigate', { storeId, action: 'reload' });
    assert.equal(tab!.reloads, 1);
    await call('workspace:navigate', { storeId, action: 'home' });
    assert.equal(tab!.loads.at(-1), 'https://sellercentral.amazon.com/home');
    // The console's "back to the console" hides the store tabs.
    await call('workspace:show-console', {});
    assert.equal(consoleWindow.children.every((v) => !v.visible), true);
    assert.equal(consoleWindow.title, 'ShopWarden');
    await call('workspace:open-store', { storeId });
  });

  test("signing out closes the owner's tabs (their webContents too)", async () => {
    const [tab] = storeTabs();
    await call('auth:logout', {});
    assert.equal(storeTabs().length, 0);
    assert.equal(tab!.destroyed, true);
  });

  test('staff: blocked main frames get the blocked page, sub-requests are cancelled, navigations prevented, all logged', async () => {
    await call('auth:login', { username: 'boss', password: 'owner-password-1' });
    const staff = await call<{ id: string }>('staff:create', { username: 'cs_amy', password: 'staff-password-1' });
    const role = (await call<{ id: string; template: string | null }[]>('roles:list', {})).find((r) => r.template === 'customer-service')!;
    await call('assignments:upsert', { staffId: staff.id, storeId, roleId: role.id });
    await call('auth:logout', {});
    await call('auth:login', { username: 'cs_amy', password: 'staff-password-1' });
    await call('workspace:open-store', { storeId });
    const ses = sessions.get(`persist:store-${storeId}`)!;
    assert.ok(ses.calls.includes('clearStorageData [{"storages":["serviceworkers"]}]'), 'earlier service workers removed before staff works');
    const [tab] = storeTabs();
    const payments = 'https://sellercentral.amazon.com/payments/dashboard';
    // Customer service may not both upload and download: no File System Access pickers.
    assert.equal(tab!.preferences.disableBlinkFeatures, FILE_PICKERS_BLINK_FEATURE);

    assert.deepEqual(await ses.request({ webContentsId: tab!.id, url: 'https://sellercentral.amazon.com/orders-v3' }), { cancel: false });
    assert.deepEqual(await ses.request({ webContentsId: tab!.id, url: payments }), { cancel: true });
    await tick();
    const blocked = tab!.loads.at(-1)!;
    assert.match(blocked, /^data:text\/html;charset=utf-8;base64,/);
    assert.match(Buffer.from(blocked.split(',')[1]!, 'base64').toString('utf8'), /你的角色无权访问此模块.*付款\/结算/s, 'in the console language, naming the module');
    assert.deepEqual(await ses.request({ webContentsId: tab!.id, url: 'https://sellercentral.amazon.com/payments/api/balance', resourceType: 'xhr' }), { cancel: true });
    assert.deepEqual(await ses.request({ url: 'https://sellercentral.amazon.com/payments/api/balance', resourceType: 'xhr' }), { cancel: true }, 'a worker request, decided for the staff member');
    assert.equal(tab!.fire('will-frame-navigate', { url: payments, isMainFrame: true }), true);
    assert.equal(tab!.fire('will-frame-navigate', { url: 'https://sellercentral.amazon.com/orders-v3/detail', isMainFrame: true }), false);
    assert.equal(tab!.fire('will-redirect', { url: payments, isMainFrame: true }), true);
    // A single-page-app route change to a blocked page is replaced by the blocked page; a
    // fragment change is not a navigation.
    await tick();
    const loadsBefore = tab!.loads.length;
    tab!.emit('did-navigate', {}, 'https://sellercentral.amazon.com/orders-v3');
    tab!.emit('did-navigate-in-page', {}, 'https://sellercentral.amazon.com/orders-v3#row-2', true);
    await tick();
    assert.equal(tab!.loads.length, loadsBefore);
    tab!.emit('did-navigate-in-page', {}, `${payments}?via=pushState`, true);
    await tick();
    assert.equal(tab!.loads.length, loadsBefore + 1);
    assert.match(tab!.loads.at(-1)!, /^data:text\/html/);
    // Service worker scripts, downloads (switch off for this role), devtools.
    const sw = await new Promise<{ cancel?: boolean }>((resolve) => ses.beforeSendHeaders!({ webContentsId: tab!.id, url: 'https://sellercentral.amazon.com/sw.js', requestHeaders: { 'Service-Worker': 'script' } }, resolve));
    assert.deepEqual(sw, { cancel: true });
    let downloadPrevented = false;
    ses.emit('will-download', { preventDefault: () => (downloadPrevented = true) }, { getURL: () => 'https://sellercentral.amazon.com/reports/download/report.csv' }, tab);
    assert.equal(downloadPrevented, true);
    tab!.emit('devtools-opened');
    assert.equal(tab!.devToolsClosed, 1);
    // Shared workers' own WebSockets never reach webRequest: their scripts are refused for staff.
    const sendHeaders = (requestHeaders: Record<string, string>) =>
      new Promise<{ cancel?: boolean }>((resolve) => ses.beforeSendHeaders!({ url: 'https://sellercentral.amazon.com/orders-v3/shared.js', requestHeaders }, resolve));
    assert.deepEqual(await sendHeaders({ 'Sec-Fetch-Dest': 'sharedworker', 'Sec-Fetch-Mode': 'same-origin' }), { cancel: true });
    assert.deepEqual(await sendHeaders({ 'Sec-Fetch-Dest': 'worker' }), {}, 'a dedicated worker stays allowed (its sockets are seen)');

    await call('auth:logout', {});
    await call('auth:login', { username: 'boss', password: 'owner-password-1' });
    const { rows } = await call<{ rows: { kind: string; url: string | null; reason: string | null }[] }>('log:query', { filter: { storeId, decision: 'blocked' } });
    const reasons = rows.map((r) => `${r.kind} ${r.reason} ${r.url}`);
    assert.ok(reasons.filter((r) => r.includes('/payments/')).length >= 4, reasons.join('\n'));
    assert.ok(reasons.some((r) => r.startsWith('block download-disabled')), reasons.join('\n'));
    assert.ok(reasons.some((r) => r.startsWith('block scheme-blocked devtools://')), `the DevTools attempt is logged: ${reasons.join('\n')}`);
    assert.ok(reasons.some((r) => r === 'block host-shared-worker https://sellercentral.amazon.com/orders-v3/shared.js'), reasons.join('\n'));
  });

  test('the owner lowering a role elsewhere reloads the staff tab whose WebSocket is now blocked (Electron cannot close one socket), and logs the socket', async () => {
    await call('auth:logout', {});
    await call('auth:login', { username: 'boss', password: 'owner-password-1' });
    const staff = await call<{ id: string }>('staff:create', { username: 'chat_zoe', password: 'staff-password-1' });
    const role = await call<{ id: string; levels: Record<string, string> }>('roles:create', { name: 'Live chat', levels: { orders: 'view', messages: 'edit' } });
    await call('assignments:upsert', { staffId: staff.id, storeId, roleId: role.id });
    await call('auth:logout', {});
    await call('auth:login', { username: 'chat_zoe', password: 'staff-password-1' });
    await call('workspace:open-store', { storeId });
    const ses = sessions.get(`persist:store-${storeId}`)!;
    const [tab] = storeTabs();
    await tab!.loadURL('https://sellercentral.amazon.com/orders-v3');
    tab!.emit('did-navigate', {}, 'https://sellercentral.amazon.com/orders-v3');
    const chat = 'wss://sellercentral.amazon.com/messaging/ws';
    assert.deepEqual(await ses.request({ webContentsId: tab!.id, url: chat, resourceType: 'webSocket' }), { cancel: false });

    // The owner, at another console, changes the role's name, then takes messages away.
    const owner = core.newSession();
    const asOwner = async (channel: string, payload: unknown) => {
      const result = await core.invoke(owner, channel, payload);
      assert.ok(result.ok, `${channel}: ${JSON.stringify(result)}`);
    };
    await asOwner('auth:login', { username: 'boss', password: 'owner-password-1' });
    const reloads = tab!.reloads;
    await asOwner('roles:update', { id: role.id, patch: { name: 'Live chat (orders)' } });
    await tick();
    assert.equal(tab!.reloads, reloads, 'nothing open is blocked: no reload');
    await asOwner('roles:update', { id: role.id, patch: { levels: { orders: 'view' } } });
    await tick();
    assert.equal(tab!.reloads, reloads + 1, 'the tab with the chat socket reloads');
    assert.equal(storeTabs().length, 1, 'the store stays open');
    // After the reload (a new document) the old socket is gone: the next change reloads nothing.
    tab!.emit('did-navigate', {}, 'https://sellercentral.amazon.com/orders-v3');
    await asOwner('roles:update', { id: role.id, patch: { name: 'Orders viewer' } });
    await tick();
    assert.equal(tab!.reloads, reloads + 1);
    const blocked = (await core.invoke(owner, 'log:query', { filter: { actorId: staff.id, decision: 'blocked' } })) as { ok: true; data: { rows: { url: string | null; reason: string | null }[] } };
    assert.deepEqual(blocked.data.rows.map((r) => [r.url, r.reason]), [[chat, 'module-none']]);
    // The other console signs out; back to the owner at this one, as the tests after this one expect.
    await asOwner('auth:logout', {});
    await call('auth:logout', {});
    await call('auth:login', { username: 'boss', password: 'owner-password-1' });
  });

  test('input in a store tab reaches the console as store activity (for its idle lock): the page script is put in, its message counts', async () => {
    await call('workspace:open-store', { storeId });
    const tab = storeTabs().at(-1)!;
    tab.emit('dom-ready');
    assert.deepEqual(tab.executed, [NOTE_INPUT_SCRIPT]);
    consoleWindow.webContents.sent.length = 0;
    tab.emit('console-message', { level: 'info', message: INPUT_MESSAGE });
    tab.emit('console-message', { level: 'debug', message: 'something else' });
    assert.deepEqual(consoleWindow.webContents.sent, [], 'only the script’s own message');
    tab.emit('console-message', { level: 'debug', message: INPUT_MESSAGE });
    assert.deepEqual(consoleWindow.webContents.sent, [[EVENT_CHANNEL, { type: 'store-activity' }]]);
  });

  test('pop-ups: allowed ones become tabs of the same store and user; blocked ones are denied', async () => {
    await call('workspace:open-store', { storeId });
    const [tab] = storeTabs();
    assert.deepEqual(tab!.windowOpenHandler!({ url: 'https://sellercentral.amazon.com/orders-v3', postBody: undefined }).action, 'allow');
    const response = tab!.windowOpenHandler!({ url: 'https://sellercentral.amazon.com/orders-v3?popup=1' });
    const guest = new FakeWebContents(tab!.session, {});
    assert.equal(response.createWindow({ webContents: guest }), guest);
    assert.equal(storeTabs().length, 2);
    assert.deepEqual(await tab!.session.request({ webContentsId: guest.id, url: 'https://sellercentral.amazon.com/orders-v3?popup=1' }), { cancel: false });
    const foreign = new FakeWebContents(fromPartition('persist:somewhere-else'), {});
    assert.throws(() => response.createWindow({ webContents: foreign }), /not in the opening store session/);
    assert.equal(foreign.destroyed, true);
    guest.close(); // the pop-up closes itself
    assert.equal(storeTabs().length, 1);
  });

  test('links opened in a new tab (Ctrl/Shift/middle-click) come without a guest: the host makes the tab and loads the link, POST body included', async () => {
    const [tab] = storeTabs();
    const referrer = { url: 'https://sellercentral.amazon.com/orders-v3', policy: 'strict-origin-when-cross-origin' };
    const link = 'https://sellercentral.amazon.com/orders-v3/detail?id=1';
    const response = tab!.windowOpenHandler!({ url: link, referrer, disposition: 'background-tab', features: '' });
    assert.equal(response.action, 'allow');
    const made: FakeWebContents = response.createWindow({ width: 800, height: 600 });
    assert.equal(storeTabs().length, 2);
    assert.equal(storeTabs().at(-1), made);
    assert.deepEqual(
      [made.session, made.preferences.partition, made.preferences.sandbox, made.preferences.contextIsolation, made.preferences.nodeIntegration, made.preferences.preload],
      [tab!.session, `persist:store-${storeId}`, true, true, false, undefined],
    );
    assert.deepEqual([made.loads, made.loadOptions], [[link], [{ httpReferrer: referrer }]]);
    assert.ok(made.windowOpenHandler, 'hooked like every store tab');
    assert.deepEqual(await tab!.session.request({ webContentsId: made.id, url: link }), { cancel: false });
    made.close();
    assert.equal(storeTabs().length, 1);

    // A form with target=_blank, Shift-clicked: its POST goes with the load.
    const bytes = Buffer.from('q=1');
    const search = 'https://sellercentral.amazon.com/orders-v3/search';
    for (const [postBody, contentType] of [
      [{ contentType: 'application/x-www-form-urlencoded', data: [{ type: 'rawData', bytes }] }, 'content-type: application/x-www-form-urlencoded'],
      [{ contentType: 'multipart/form-data', boundary: '----sw1', data: [{ type: 'rawData', bytes }] }, 'content-type: multipart/form-data; boundary=----sw1'],
    ] as const) {
      const posted = tab!.windowOpenHandler!({ url: search, referrer, postBody, disposition: 'foreground-tab', features: '' });
      assert.equal(posted.action, 'allow');
      const form: FakeWebContents = posted.createWindow({});
      assert.deepEqual([form.loads, form.loadOptions], [[search], [{ httpReferrer: referrer, postData: postBody.data, extraHeaders: contentType }]]);
      form.close();
    }
    assert.equal(storeTabs().length, 1);
  });

  test('closing and deleting a store: tabs closed at once, the console told, the session wiped', async () => {
    const tab = storeTabs()[0]!;
    consoleWindow.webContents.sent.length = 0;
    await call('workspace:close-store', { storeId });
    assert.equal(tab.destroyed, true);
    assert.deepEqual(consoleWindow.webContents.sent, [[EVENT_CHANNEL, { type: 'store-closed', storeId, reason: 'closed' }]]);
    const { rows: closes } = await call<{ rows: { kind: string; reason: string | null }[] }>('log:query', { filter: { storeId, kinds: ['store-close'] } });
    assert.deepEqual(closes.map((r) => r.reason).slice(0, 1), ['closed'], 'the close is logged by what the host closed');
    await call('workspace:open-store', { storeId });
    const ses = sessions.get(`persist:store-${storeId}`)!;
    ses.calls.length = 0;
    await call('stores:delete', { id: storeId });
    assert.equal(storeTabs().length, 0);
    assert.deepEqual(ses.calls, ['clearStorageData', 'clearCache', 'clearAuthCache', 'clearHostResolverCache', 'clearCodeCaches [{}]', 'closeAllConnections']);
    assert.deepEqual(await ses.request({ url: 'https://sellercentral.amazon.com/home' }), { cancel: true }, 'nobody has it open any more');
  });

  test('showing an exported file in its folder: its path, checked by the core, goes to shell.showItemInFolder', async () => {
    const exported = await call<{ path: string; fileName: string }>('log:export', { format: 'csv' });
    await call('files:reveal', { folder: 'exports', fileName: exported.fileName });
    assert.deepEqual(shownInFolder, [exported.path]);
    assert.equal((await invoke('files:reveal', { folder: 'exports', fileName: '../shopwarden.db' })).ok, false);
    assert.deepEqual(shownInFolder, [exported.path]);
  });

  test("the console's page crashing signs its user out, closes their store tabs and reloads it with a fresh session; closing the window signs out too", async () => {
    const store = await call<{ id: string }>('stores:create', { name: 'US 2', platformId: 'amazon', siteId: 'us', homeUrl: 'https://sellercentral.amazon.com/home' });
    await call('workspace:open-store', { storeId: store.id });
    const tab = storeTabs()[0]!;
    const consoleClosed = async (session = { call }) => {
      const { rows } = await session.call<{ rows: { kind: string; reason: string | null }[] }>('log:query', { filter: { kinds: ['logout'] } });
      return rows.filter((r) => r.reason === 'console-closed').length;
    };
    assert.equal(await consoleClosed(), 0);

    consoleWindow.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    for (let i = 0; i < 100 && storeTabs().length > 0; i++) await tick();
    assert.equal(storeTabs().length, 0, 'nobody keeps using the store tabs of a console that is gone');
    assert.equal(tab.destroyed, true);
    assert.equal(consoleWindow.webContents.reloads, 1, 'the console page is loaded again');
    const afterCrash = await invoke('workspace:open-store', { storeId: store.id });
    assert.equal(afterCrash.ok ? null : afterCrash.error.code, 'not-signed-in', 'the reloaded console starts signed out');
    await call('auth:login', { username: 'boss', password: 'owner-password-1' });
    assert.equal(await consoleClosed(), 1);

    await call('workspace:open-store', { storeId: store.id });
    consoleWindow.emit('close', { preventDefault: () => undefined });
    for (let i = 0; i < 100 && storeTabs().length > 0; i++) await tick();
    assert.equal(storeTabs().length, 0);
    const other = core.newSession();
    const viaCore = {
      call: async <T,>(channel: string, payload: unknown): Promise<T> => {
        const result = await core.invoke(other, channel, payload);
        if (!result.ok) throw new Error(`${channel}: ${result.error.code}`);
        return result.data as T;
      },
    };
    await viaCore.call('auth:login', { username: 'boss', password: 'owner-password-1' });
    assert.equal(await consoleClosed(viaCore), 2, 'closing the window wrote its logout row');
  });

  test('quitting closes the window state, the IPC handler and the database, then quits', async () => {
    electron.app.quit();
    for (let i = 0; i < 100 && quitState !== 'quit'; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(quitState, 'quit');
    assert.equal(handlers.has(INVOKE_CHANNEL), false);
    const after = await core.invoke(core.newSession(), 'app:status', {});
    assert.equal(after.ok, false, 'the core is closed');
  });
});

