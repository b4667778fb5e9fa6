// One store's browser for one user: the only place a store profile is launched, and where the
// guard is attached — requests, WebSockets, permissions, DevTools, navigations the network never
// sees, downloads — before the store's first page loads.
import { mkdirSync } from 'node:fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { PublicUser } from '../../shared/ipc/contract';
import type { Decision } from '../../shared/model/decision';
import type { SensitiveSwitches } from '../../shared/model/role';
import type { Store } from '../../shared/model/store';
import { watchTargets } from './browser-targets';
import { devToolsCloser } from './devtools-guard';
import { guardDownloads, type DownloadOutcome } from './download-guard';
import { guardNavigations } from './navigation-guard';
import { denyPermissions } from './permissions';
import { guardRequests } from './request-guard';
import { createSessionGuard, type GuardFn, type SessionGuard, type StepUpNeeded } from './session-guard';
import { downloadsDir, storeLaunchOptions, type BrowserSettings } from './store-launch';
import { guardWebSockets } from './websocket-guard';

export interface StoreSessionSpec {
  dataDir: string;
  store: Store;
  user: Pick<PublicUser, 'id' | 'kind'>;
  /** The role's switches for this store (the owner's are all on). */
  switches: SensitiveSwitches;
  siteLocale: string | null;
  browser: BrowserSettings;
  guard: GuardFn;
  /** The blocked page's HTML for a decision (language and names chosen by the caller). */
  render: (url: string, method: string, decision: Decision) => string;
  /** First address; the store's home page when omitted. */
  url?: string;
  onStepUpNeeded?: (request: StepUpNeeded) => void;
  onDownload?: (outcome: DownloadOutcome) => void;
  onError?: (error: unknown) => void;
}

export interface StoreSession {
  readonly storeId: string;
  readonly userId: string;
  readonly openedAt: number;
  readonly context: BrowserContext;
  readonly guard: SessionGuard;
  /** Resolves when the browser has gone, whoever closed it. */
  readonly closed: Promise<void>;
  /** The store's window, brought to the front; a new one on `url` (or home) when the person closed them all. */
  focus(url?: string): Promise<Page>;
  /** Blocks every further request at once, then closes the browser. */
  close(): Promise<void>;
}

/** Launches the store's profile with every guard attached, then opens its first page. */
export async function launchStoreSession(spec: StoreSessionSpec): Promise<StoreSession> {
  const { store, user, switches } = spec;
  const owner = user.kind === 'owner';
  const { userDataDir, options } = storeLaunchOptions({ dataDir: spec.dataDir, store, siteLocale: spec.siteLocale, owner, switches, browser: spec.browser });
  mkdirSync(userDataDir, { recursive: true });
  const context = await chromium.launchPersistentContext(userDataDir, options);
  const closed = new Promise<void>((resolve) => context.once('close', () => resolve()));
  const guard = createSessionGuard({
    storeId: store.id,
    userId: user.id,
    guard: spec.guard,
    render: spec.render,
    ...(spec.onStepUpNeeded ? { onStepUpNeeded: spec.onStepUpNeeded } : {}),
    ...(spec.onError ? { onError: spec.onError } : {}),
  });
  try {
    await attachGuards(context, guard, owner || switches.devtools, downloadsDir(spec.dataDir, store.id), spec.onDownload);
  } catch (error) {
    guard.revoke();
    await context.close().catch(() => {});
    throw error;
  }
  const home = spec.url ?? store.homeUrl;
  const session: StoreSession = {
    storeId: store.id,
    userId: user.id,
    openedAt: Date.now(),
    context,
    guard,
    closed,
    async focus(url) {
      const open = context.pages().find((p) => !p.isClosed());
      const page = open ?? (await context.newPage());
      if (!open || url) await show(page, url ?? home);
      await page.bringToFront().catch(() => {});
      return page;
    },
    async close() {
      guard.revoke();
      await context.close().catch(() => {});
    },
  };
  await show(context.pages()[0] ?? (await context.newPage()), home);
  return session;
}

/**
 * Every guard, in the order that leaves no gap: requests first (from then on nothing reaches
 * the network undecided), then WebSockets, permissions, DevTools, and each page's navigations
 * and downloads. Only the initial blank window exists while this runs.
 */
async function attachGuards(
  context: BrowserContext,
  guard: SessionGuard,
  devtoolsAllowed: boolean,
  downloadDir: string,
  onDownload: ((outcome: DownloadOutcome) => void) | undefined,
): Promise<void> {
  const browser = context.browser();
  if (!browser) throw new Error('playwright-core returned a persistent context without its browser');
  const cdp = await browser.newBrowserCDPSession();
  const targets = await watchTargets(cdp, devtoolsAllowed ? () => {} : devToolsCloser(cdp, guard));
  await guardRequests(cdp, targets, guard);
  await guardWebSockets(context, guard);
  await denyPermissions(cdp);
  const guardPage = (page: Page) => {
    guardNavigations(page, guard);
    guardDownloads(page, guard, downloadDir, onDownload);
  };
  context.on('page', guardPage);
  for (const page of context.pages()) {
    // A page that is not blank loaded before the guard (a restored session): it must not stay.
    if (page.url() === 'about:blank') guardPage(page);
    else await page.close().catch(() => {});
  }
}

/** Navigates without waiting for the whole page: a slow or failing store page is the window's business. */
async function show(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'commit' }).catch(() => {});
}
