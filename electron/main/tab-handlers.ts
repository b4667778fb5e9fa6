// Everything hooked on one store tab's webContents: navigation checks, pop-ups, devtools, the
// context menu, proxy sign-in and device pickers. Decisions are the RequestGuard's (i.e. core's).
import type { BrowserWindowConstructorOptions, WebContents } from 'electron';
import type { AppCoreApi } from '../core/app/api';
import { INPUT_MESSAGE, NOTE_INPUT_SCRIPT } from '../core/pages/input-note';
import type { UiLanguage } from './language';
import { popupStoreContextMenu } from './menus';
import { proxyCredentials } from './network-identity';
import type { PopupRequest } from './popup-load';
import type { RequestGuard, TabInfo } from './request-guard';

export interface TabHandlerDeps {
  guard: RequestGuard;
  core: Pick<AppCoreApi, 'switchesFor' | 'storeForSession' | 'storeActivity'>;
  language(): UiLanguage;
  /** An allowed pop-up: becomes a new tab of the same store and user; returns its webContents. */
  adoptPopup(opener: TabInfo, options: BrowserWindowConstructorOptions, request: PopupRequest): WebContents;
  /** The tab closes (pop-up closed from the menu, page closed itself, renderer crashed). */
  closeTab(tab: TabInfo): void;
}

export function attachTabHandlers(tab: TabInfo & { isPopup: boolean }, wc: WebContents, deps: TabHandlerDeps): void {
  const { guard, core } = deps;

  // Fires for main-frame and sub-frame navigations the page starts (links, forms, location=,
  // meta refresh), before any request. will-navigate is deliberately not hooked as well: it is
  // the main-frame subset of this event, and hooking both would decide and log twice.
  wc.on('will-frame-navigate', (details) => {
    if (!guard.navigation(tab, details.url, details.isMainFrame)) details.preventDefault();
  });
  wc.on('will-redirect', (details) => {
    if (!guard.navigation(tab, details.url, details.isMainFrame)) details.preventDefault();
  });
  // Single-page-app route changes send no request: checked (and logged) after the fact.
  // A change of the #fragment alone is not a new page.
  let pageUrl = '';
  wc.on('did-navigate', (_event, url) => {
    pageUrl = withoutFragment(url);
    guard.documentChanged(tab.id);
  });
  wc.on('did-navigate-in-page', (_event, url, isMainFrame) => {
    if (!isMainFrame || withoutFragment(url) === pageUrl) return;
    pageUrl = withoutFragment(url);
    guard.navigation(tab, url, true, { inPage: true });
  });

  // Work in the tab counts for the console's idle lock (core/pages/input-note.ts): keys here,
  // clicks and scrolls through the page script's console message (main frame only).
  wc.on('before-input-event', () => core.storeActivity(tab.userId));
  wc.on('dom-ready', () => void wc.executeJavaScript(NOTE_INPUT_SCRIPT).catch(() => {}));
  wc.on('console-message', (details) => {
    if (details.level === 'debug' && details.message === INPUT_MESSAGE) core.storeActivity(tab.userId);
  });

  wc.setWindowOpenHandler((details) => {
    const method = details.postBody ? 'POST' : 'GET';
    if (!guard.popup(tab, details.url, method)) return { action: 'deny' };
    const request: PopupRequest = { url: details.url, referrer: details.referrer, postBody: details.postBody };
    return { action: 'allow', createWindow: (options) => deps.adoptPopup(tab, options, request) };
  });

  wc.on('devtools-opened', () => {
    if (core.switchesFor(tab.storeId, tab.userId).devtools) return;
    const url = devToolsUrl(wc);
    wc.closeDevTools();
    // Logged like any refused page, as the system-browser host logs it.
    guard.devToolsOpened(tab, url);
  });

  wc.on('context-menu', (_event, params) => {
    popupStoreContextMenu(wc, params, {
      lang: deps.language(),
      canInspect: core.switchesFor(tab.storeId, tab.userId).devtools,
      closeTab: tab.isPopup ? () => deps.closeTab(tab) : null,
    });
  });

  // Only the store's own proxy gets the store's proxy password; a site's own HTTP auth prompt is
  // left unanswered (Electron then cancels it).
  wc.on('login', (event, _details, authInfo, callback) => {
    const credentials = proxyCredentials(core.storeForSession(tab.storeId)?.proxy ?? null, authInfo);
    if (!credentials) return;
    event.preventDefault();
    callback(credentials.username, credentials.password);
  });

  // Electron picks the first Bluetooth device unless told otherwise: pick none.
  wc.on('select-bluetooth-device', (event, _devices, callback) => {
    event.preventDefault();
    callback('');
  });
  wc.on('will-attach-webview', (event) => event.preventDefault());

  wc.on('render-process-gone', () => deps.closeTab(tab));
  wc.on('destroyed', () => deps.closeTab(tab));
}

/** The DevTools front end's address, or a plain devtools: one when Electron has none to tell yet. */
function devToolsUrl(wc: WebContents): string {
  const url = wc.devToolsWebContents?.getURL() ?? '';
  return url.startsWith('devtools://') ? url : 'devtools://devtools/';
}

function withoutFragment(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.hash = '';
    return parsed.href;
  } catch {
    return url;
  }
}
