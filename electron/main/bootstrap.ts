// The Electron host's start-up: everything before `ready` (single instance, sandbox, privileged
// scheme, test switches), then the core, the console window, store sessions and tabs, and an
// orderly shutdown. Wiring only: decisions are the core's.
import { join } from 'node:path';
import { app, dialog, protocol, type BrowserWindow } from 'electron';
import type { AppCoreApi } from '../core/app/api';
import type { HostHooks } from '../core/app/host';
import { createConsoleWindow, CONSOLE_SCHEME_PRIVILEGES } from './console-window';
import { ConsoleIpc } from './console-ipc';
import { electronHostHooks, type ElectronHost } from './host-hooks';
import { isUiLanguage, pickLanguage, type UiLanguage } from './language';
import { installAppMenu } from './menus';
import { NavigationPasses } from './navigation-passes';
import { plainChromeUserAgent } from './network-identity';
import { openPrefs } from './prefs';
import { RequestGuard, type HostBlock } from './request-guard';
import { StoreSessions } from './store-sessions';
import { StoreTabs } from './tabs';
import { readTestMode } from './test-mode';

/** Opens the core with the host's hooks; index.ts passes AppCore.open on the app's data folder. */
export type CoreFactory = (hooks: HostHooks) => Promise<AppCoreApi>;

const RENDERER_DIR = 'dist/renderer';
const PRELOAD_FILE = 'dist/electron/preload/index.cjs';

function say(message: string): void {
  console.log(`[shopwarden] ${message}`);
}

/** Host-level blocks: printed here, and logged through the core by the caller. */
function printHostBlock(block: HostBlock): void {
  let where: string;
  try {
    const u = new URL(block.url);
    where = `${u.protocol}//${u.host}${u.pathname}`; // no query string: it may hold secrets
  } catch {
    where = '(unparsable URL)';
  }
  const detail = block.error instanceof Error ? `: ${block.error.message}` : '';
  console.warn(`[shopwarden] blocked (${block.what}) store=${block.storeId} user=${block.userId ?? '-'} ${where}${detail}`);
}

export function startShopWarden(openCore: CoreFactory): void {
  // ---- Before `ready`. The main entry is an ES module: this must all run synchronously, before
  // its first await, or `ready` may already have fired.
  app.setName('ShopWarden');
  // The data folder (database, log, store sessions) is <appData>/ShopWarden in development and
  // packaged builds alike (package.json's lower-case name would otherwise decide it unpackaged).
  const testMode = readTestMode(process.env, app.isPackaged);
  app.setPath('userData', testMode?.userDataDir ?? join(app.getPath('appData'), 'ShopWarden'));
  for (const [name, value] of testMode?.switches ?? []) app.commandLine.appendSwitch(name, value);
  // A page restored from the back/forward cache would come back without passing the guard.
  app.commandLine.appendSwitch('disable-features', 'BackForwardCache');
  app.enableSandbox();
  protocol.registerSchemesAsPrivileged([CONSOLE_SCHEME_PRIVILEGES]);
  if (!app.requestSingleInstanceLock()) {
    say('ShopWarden is already running: bringing that window forward');
    app.quit();
    return;
  }

  let host: (ElectronHost & { window: BrowserWindow }) | null = null;
  let core: AppCoreApi | null = null;
  let closed = false;

  // Any webContents we did not set up ourselves opens no windows and attaches no <webview>.
  // Store tabs and the console replace the window-open handler with their own right after.
  app.on('web-contents-created', (_event, wc) => {
    wc.setWindowOpenHandler(() => ({ action: 'deny' }));
    wc.on('will-attach-webview', (event) => event.preventDefault());
  });
  app.on('second-instance', () => {
    const win = host?.window;
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });
  app.on('activate', () => host?.window.show());
  // Closing the window ends the work session: store sessions live in it (on macOS too).
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    closed = true;
    host?.tabs.closeAll();
    // The console's user is signed out (and that logged) before the database closes.
    const consoleClosed = host?.console.close() ?? Promise.resolve();
    host?.console.dispose();
    consoleClosed
      .then(() => core?.close())
      .catch((error: unknown) => console.error('[shopwarden] closing the database failed:', error))
      .finally(() => app.quit());
  });

  app
    .whenReady()
    .then(async () => {
      const prefs = openPrefs();
      let language: UiLanguage = pickLanguage(prefs.language(), app.getPreferredSystemLanguages());
      const passes = new NavigationPasses();
      const opened = await openCore(electronHostHooks(() => host));
      core = opened;

      let tabs: StoreTabs | null = null;
      const guard = new RequestGuard({
        core: opened,
        passes,
        tabs: { tab: (id) => tabs?.tab(id) ?? null, usersIn: (storeId) => tabs?.usersIn(storeId) ?? [] },
        showBlockedPage: (tab, request, decision) => tabs?.showBlockedPage(tab, request, decision),
        reportHostBlock: (block) => {
          printHostBlock(block);
          opened.recordHostBlock(block);
        },
      });
      const sessions = new StoreSessions({
        guard,
        defaultUserAgent: plainChromeUserAgent(app.userAgentFallback, app.getName()),
        warn: (message) => console.warn(`[shopwarden] ${message}`),
      });
      const lastUser = prefs.lastUsername();
      const window = createConsoleWindow({
        prefs,
        rendererDir: join(app.getAppPath(), RENDERER_DIR),
        preloadPath: join(app.getAppPath(), PRELOAD_FILE),
        query: { lang: language, ...(lastUser ? { lastUser } : {}) },
        allowDevTools: !app.isPackaged,
      });
      const consoleIpc = new ConsoleIpc({
        core: opened,
        window,
        userChanged: (previous, next) => {
          // Signing out (or another user signing in) closes the previous user's store tabs.
          if (previous) tabs?.close(null, previous.id, 'closed');
          if (next) prefs.setLastUsername(next.username);
        },
      });
      const storeTabs = new StoreTabs({
        window,
        sessions,
        guard,
        passes,
        core: opened,
        language: () => language,
        storeClosed: (storeId, userId, reason) => opened.storeClosed(storeId, userId, reason),
        location: (userId, location) => consoleIpc.emit(location, userId),
      });
      tabs = storeTabs;
      const menuActions = { showConsole: () => storeTabs.showConsole(), activeStorePage: () => storeTabs.activeWebContents() };
      installAppMenu(language, menuActions);
      // The console keeps its language in its address (?lang=…, via history.replaceState):
      // remembered for the next start, the blocked page and the menu.
      window.webContents.on('did-navigate-in-page', (_event, url, isMainFrame) => {
        if (!isMainFrame) return;
        let next: string | null;
        try {
          next = new URL(url).searchParams.get('lang');
        } catch {
          return;
        }
        if (!isUiLanguage(next) || next === language) return;
        language = next;
        prefs.setLanguage(next);
        installAppMenu(language, menuActions);
      });
      window.on('close', () => storeTabs.closeAll());
      host = { window, tabs: storeTabs, sessions, console: consoleIpc };
      say(`data folder: ${opened.dataDir}`);
    })
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      console.error('[shopwarden] could not start:', error);
      dialog.showErrorBox('ShopWarden could not start', message);
      closed = true;
      app.exit(1);
    });
}
