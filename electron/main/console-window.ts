// The console window: the renderer build served from app://console with a strict CSP, in a
// session of its own, sandboxed and context-isolated, with the preload as its only bridge.
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BrowserWindow, screen, session as electronSession, type Session } from 'electron';
import { CONSOLE_HEADERS, contentTypeFor, resolveConsoleFile } from './console-files';
import { CONSOLE_SCHEME, consoleUrl, isConsoleUrl } from './console-origin';
import { DEFAULT_WINDOW, MIN_WINDOW, visibleSavedBounds } from './layout';
import type { HostPrefs } from './prefs';

/** The console's own partition: nothing of it is shared with store sessions. */
export const CONSOLE_PARTITION = 'persist:shopwarden-console';

/**
 * Must run before `ready`: app://console is a standard, secure origin (so CSP 'self', storage
 * and fetch work as on https), and no store page can use it.
 */
export const CONSOLE_SCHEME_PRIVILEGES = {
  scheme: CONSOLE_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
} as const;

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The console session: serves app://console from `rendererDir`, refuses everything else. */
function consoleSession(rendererDir: string): Session {
  const ses = electronSession.fromPartition(CONSOLE_PARTITION);
  ses.protocol.handle(CONSOLE_SCHEME, async (request) => {
    const target = resolveConsoleFile(rendererDir, request.url, isFile);
    const notFound = (text: string) => new Response(text, { status: 404, headers: { ...CONSOLE_HEADERS, 'content-type': 'text/plain; charset=utf-8' } });
    try {
      if (target.kind === 'refused') throw new Error('refused');
      const body = await readFile(target.path);
      return new Response(body, { status: 200, headers: { ...CONSOLE_HEADERS, 'content-type': contentTypeFor(target.path) } });
    } catch {
      return notFound(isFile(join(rendererDir, 'index.html')) ? 'not found' : `the console is not built (no ${join(rendererDir, 'index.html')})`);
    }
  });
  // The console talks to the main process over IPC only: any network request is refused.
  // (app:// responses are made above and carry their headers; requests the custom scheme
  // handler answers may not pass through webRequest at all.)
  ses.webRequest.onBeforeRequest((details, callback) => {
    let protocol = '';
    try {
      protocol = new URL(details.url).protocol;
    } catch {
      // unparsable: refused below
    }
    callback({ cancel: !(isConsoleUrl(details.url) || protocol === 'devtools:') });
  });
  // Belt and braces: whatever response does reach the console carries its CSP.
  ses.webRequest.onHeadersReceived((details, callback) => {
    const responseHeaders: Record<string, string | string[]> = { ...(details.responseHeaders ?? {}) };
    for (const name of Object.keys(responseHeaders)) if (name.toLowerCase() === 'content-security-policy') delete responseHeaders[name];
    callback({ responseHeaders: { ...responseHeaders, 'Content-Security-Policy': [CONSOLE_HEADERS['content-security-policy']!] } });
  });
  ses.setPermissionRequestHandler((_wc, permission, callback, details) => callback(permission === 'clipboard-sanitized-write' && isConsoleUrl(details.requestingUrl)));
  ses.setPermissionCheckHandler((_wc, permission, origin) => permission === 'clipboard-sanitized-write' && isConsoleUrl(origin));
  ses.setDevicePermissionHandler(() => false);
  ses.on('will-download', (event) => event.preventDefault());
  ses.setSpellCheckerEnabled(false);
  return ses;
}

export interface ConsoleWindowOptions {
  prefs: HostPrefs;
  rendererDir: string;
  preloadPath: string;
  /** Start-up hints for the console page (language, last user name). */
  query: Record<string, string>;
  /** Packaged builds never open developer tools on the console. */
  allowDevTools: boolean;
}

export function createConsoleWindow(options: ConsoleWindowOptions): BrowserWindow {
  const saved = options.prefs.windowState();
  const bounds = visibleSavedBounds(saved.bounds, screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow({
    ...(bounds ?? DEFAULT_WINDOW),
    minWidth: MIN_WINDOW.width,
    minHeight: MIN_WINDOW.height,
    show: false,
    title: 'ShopWarden',
    backgroundColor: '#ffffff',
    webPreferences: {
      session: consoleSession(options.rendererDir),
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // Middle-click opens no window (window-open is denied anyway).
      disableBlinkFeatures: 'Auxclick',
      devTools: options.allowDevTools,
    },
  });
  if (!bounds) win.center();
  win.once('ready-to-show', () => {
    if (saved.maximized) win.maximize();
    win.show();
  });

  const wc = win.webContents;
  // The console never leaves its origin, in any frame, and opens no windows.
  wc.on('will-frame-navigate', (details) => {
    if (!isConsoleUrl(details.url)) details.preventDefault();
  });
  wc.on('will-redirect', (details) => {
    if (!isConsoleUrl(details.url)) details.preventDefault();
  });
  wc.setWindowOpenHandler(() => ({ action: 'deny' }));
  wc.on('will-attach-webview', (event) => event.preventDefault());

  win.on('close', () => {
    options.prefs.saveWindowState(win.getNormalBounds(), win.isMaximized());
  });

  wc.loadURL(consoleUrl(options.query)).catch(() => undefined);
  return win;
}
