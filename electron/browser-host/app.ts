import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { AppCore } from '../core/app/app-core';
import type { HostHooks } from '../core/app/host';
import { ServiceError } from '../core/service/errors';
import type { PageLanguage } from '../core/pages/blocked-page';
import { findChromium } from './chromium';
import { ConsoleServer } from './console-server';
import { openConsoleWindow } from './console-window';
import { StoreSessionError } from './errors';
import type { BrowserSettings } from './store-launch';
import { hasDisplay, StoreSessions, storeSessionHooks } from './store-sessions';
import { revealInFileManager } from './reveal-file';

export interface BrowserHostOptions {
  dataDir: string;
  /** The built console (dist/renderer by default). */
  staticDir?: string;
  port?: number;
  /** Open the console in a Chromium window of its own (the app); tests drive it themselves. */
  consoleWindow?: boolean;
  language?: PageLanguage;
  browser?: Partial<BrowserSettings>;
  /** Core options for tests (cheaper password hashing, a controlled clock). */
  core?: Partial<Parameters<typeof AppCore.open>[0]>;
  onError?: (error: unknown) => void;
}

export interface BrowserHost {
  core: AppCore;
  sessions: StoreSessions;
  server: ConsoleServer;
  /** The console address with its secret (in the fragment). */
  consoleUrl: string;
  browserPath: string;
  close(): Promise<void>;
  /** Resolves when the console window is closed by the person (never, without a window). */
  consoleClosed: Promise<void>;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_STATIC_DIR = join(ROOT, 'dist', 'renderer');

/** The console's language from the machine's locale (F27); the console can switch its own. */
export function systemLanguage(locale = Intl.DateTimeFormat().resolvedOptions().locale): PageLanguage {
  return locale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/**
 * Store-session refusals the person should read (busy, refused, proxy not supported) instead
 * of "internal error".
 */
function explained<A extends unknown[]>(action: (...args: A) => Promise<void>) {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (error) {
      if (error instanceof StoreSessionError) throw new ServiceError(error.code === 'refused' ? 'forbidden' : 'conflict', error.message);
      throw error;
    }
  };
}

/** ShopWarden in the system browser (F30): the same core, Chromium windows instead of Electron's. */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const onError = options.onError ?? ((error: unknown) => console.error('[shopwarden]', error));
  const browserPath = options.browser?.executablePath ?? findChromium();
  if (!browserPath) throw new Error('no Chrome/Chromium found: run `npm run setup` (Debian) or set SHOPWARDEN_CHROMIUM to its path');
  const staticDir = options.staticDir ?? DEFAULT_STATIC_DIR;
  if (!existsSync(join(staticDir, 'index.html'))) throw new Error(`the console is not built (${staticDir}): run \`npm run build:renderer\``);
  // The console's choice once it tells (app:language): blocked pages opened from then on use it.
  let language = options.language ?? systemLanguage();

  let server: ConsoleServer | null = null;
  let sessions: StoreSessions | null = null;
  const hooks: HostHooks = {
    openStore: explained((store, user) => storeSessionHooks(sessions!).openStore(store, user)),
    closeStore: (storeId, userId, reason) => storeSessionHooks(sessions!).closeStore(storeId, userId, reason),
    navigateStore: (storeId, userId, action, homeUrl) => storeSessionHooks(sessions!).navigateStore(storeId, userId, action, homeUrl),
    openStoreIds: (userId) => storeSessionHooks(sessions!).openStoreIds(userId),
    // The console is a window of its own here: nothing covers it.
    showConsole: () => {},
    clearStoreData: (storeId) => storeSessionHooks(sessions!).clearStoreData(storeId),
    policyChanged: () => {
      if (sessions) storeSessionHooks(sessions).policyChanged();
    },
    languageChosen: (chosen) => {
      language = chosen;
    },
    emit: (event, userId) => server?.emit(event, userId),
    revealFile: (path) => revealInFileManager(path),
  };
  const core = await AppCore.open({ dataDir: options.dataDir, hooks, onInternalError: onError, ...options.core });
  sessions = new StoreSessions({
    dataDir: options.dataDir,
    guard: (request) => core.guard(request),
    peek: (request) => core.peek(request),
    switchesFor: (storeId, userId) => core.switchesFor(storeId, userId),
    onStepUpNeeded: (request) => core.reportStepUp(request),
    onHostBlocked: (block) => core.recordHostBlock(block),
    onClosed: (closed, reason) => core.storeClosed(closed.storeId, closed.userId, reason),
    // The person closed the store's last window (or its browser went away).
    onBrowserClosed: (closed) => core.storeClosed(closed.storeId, closed.userId, 'closed'),
    onInput: (open) => core.storeActivity(open.userId),
    onLocation: (open, location) => server?.emit({ type: 'store-location', storeId: open.storeId, ...location }, open.userId),
    onError,
    language: () => language,
    browser: { ...options.browser, executablePath: browserPath },
  });
  server = new ConsoleServer({ core, staticDir, port: options.port });
  await server.listen();
  const consoleUrl = server.consoleUrl();

  let window: BrowserContext | null = null;
  let consoleClosed: Promise<void> = new Promise(() => {});
  if (options.consoleWindow) {
    const headless = options.browser?.headless ?? !hasDisplay();
    window = await openConsoleWindow({ dataDir: options.dataDir, executablePath: browserPath, headless, url: consoleUrl, language });
    consoleClosed = new Promise((resolve) => window!.on('close', () => resolve()));
  }

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      await window?.close().catch(() => {});
      await sessions!.closeAll();
      await server!.close();
      await core.close();
    })());
  return { core, sessions, server, consoleUrl, browserPath, close, consoleClosed };
}
