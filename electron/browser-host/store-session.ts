// One store's browser for one user: the only place a store profile is launched, and where the
// guard is attached — requests, WebSockets, permissions, DevTools, navigations the network never
// sees, downloads, uploads, printing — before the store's first page loads.
import { mkdirSync } from 'node:fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { PublicUser, StoreNavigation } from '../../shared/ipc/contract';
import type { Decision } from '../../shared/model/decision';
import type { SensitiveSwitches } from '../../shared/model/role';
import { BLOCKED_PAGE_ELEMENT_ID } from '../core/pages/blocked-page';
import type { Store } from '../../shared/model/store';
import { watchTargets } from './browser-targets';
import { devToolsCloser } from './devtools-guard';
import { guardDownloads, type DownloadOutcome } from './download-guard';
import { printPreviewCloser } from './print-guard';
import { refuseDroppedOrPastedFiles, refuseUploads } from './upload-guard';
import { watchInput } from './activity-watch';
import { guardNavigations } from './navigation-guard';
import { denyPermissions } from './permissions';
import { guardRequests } from './request-guard';
import { createSessionGuard, type GuardFn, type SessionGuard, type StepUpNeeded } from './session-guard';
import { downloadsDir, storeLaunchOptions, type BrowserSettings } from './store-launch';
import { watchLocation, type StoreLocation } from './store-location';
import { guardWebSockets, type OpenWebSockets } from './websocket-guard';

export interface StoreSessionSpec {
  dataDir: string;
  store: Store;
  user: Pick<PublicUser, 'id' | 'kind'>;
  /** The role's switches for this store (the owner's are all on). */
  switches: SensitiveSwitches;
  siteLocale: string | null;
  browser: BrowserSettings;
  guard: GuardFn;
  /** The guard's decision without logging it (AppCore.peek), to decide again what is on screen. */
  peek?: GuardFn;
  /** The blocked page's HTML for a decision (language and names chosen by the caller). */
  render: (url: string, method: string, decision: Decision) => string;
  /** First address; the store's home page when omitted. */
  url?: string;
  onStepUpNeeded?: (request: StepUpNeeded) => void;
  onDownload?: (outcome: DownloadOutcome) => void;
  /** A guard refused something outside the request path: a file (uploads switch off) or printing (printing switch off). */
  onHostBlocked?: (blocked: HostBlocked) => void;
  /** The front page navigated: its address, title and history (the console's address bar). */
  onLocation?: (location: StoreLocation) => void;
  /** The person typed, clicked or scrolled in a page of the store (for the console's idle lock). */
  onInput?: () => void;
  onError?: (error: unknown) => void;
}

/** What a session's guards refused outside the request path; the core logs it as a host block. */
export interface HostBlocked {
  what: 'upload' | 'print';
  /** The page that asked (for printing, the print preview's own address). */
  url: string;
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
  /** Back / forward / reload, or `homeUrl`, in the front page (the last one opened or focused). */
  navigate(action: StoreNavigation, homeUrl: string): Promise<void>;
  /**
   * After a policy change: closes the open WebSockets now blocked (each logged as a block) and
   * reloads the pages whose address is now blocked, so the guard shows its blocked page there.
   */
  recheck(): Promise<void>;
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
    ...(spec.peek ? { peek: spec.peek } : {}),
    render: spec.render,
    ...(spec.onStepUpNeeded ? { onStepUpNeeded: spec.onStepUpNeeded } : {}),
    ...(spec.onError ? { onError: spec.onError } : {}),
  });
  let sockets: OpenWebSockets;
  try {
    sockets = await attachGuards(context, guard, {
      devtoolsAllowed: owner || switches.devtools,
      uploadsAllowed: owner || switches.uploads,
      printingAllowed: owner || switches.printing,
      downloadDir: downloadsDir(spec.dataDir, store.id),
      onDownload: spec.onDownload,
      onHostBlocked: spec.onHostBlocked,
    });
    if (spec.onInput) await watchInput(context, spec.onInput);
  } catch (error) {
    guard.revoke();
    await context.close().catch(() => {});
    throw error;
  }
  const home = spec.url ?? store.homeUrl;
  // The front page: the newest one (a pop-up comes to the front), or the one last focused.
  let front: Page | null = null;
  const follow = (page: Page) => {
    front = page;
    if (spec.onLocation) watchLocation(context, page, spec.onLocation);
  };
  context.on('page', follow);
  const frontPage = () => (front && !front.isClosed() ? front : (context.pages().findLast((p) => !p.isClosed()) ?? null));
  const session: StoreSession = {
    storeId: store.id,
    userId: user.id,
    openedAt: Date.now(),
    context,
    guard,
    closed,
    async focus(url) {
      const open = frontPage();
      const page = open ?? (await context.newPage());
      if (!open || url) await show(page, url ?? home);
      await page.bringToFront().catch(() => {});
      front = page;
      return page;
    },
    async navigate(action, homeUrl) {
      const page = frontPage() ?? (await context.newPage());
      // Like the browser's own buttons: start the navigation, don't wait for a slow store page.
      const options = { waitUntil: 'commit' as const };
      if (action === 'back') await page.goBack(options).catch(() => null);
      else if (action === 'forward') await page.goForward(options).catch(() => null);
      else if (action === 'reload') await page.reload(options).catch(() => null);
      else await show(page, homeUrl);
    },
    async recheck() {
      await sockets.closeBlocked();
      const blocked = context.pages().filter((page) => !page.isClosed() && isWebAddress(page.url()) && !guard.wouldAllow({ url: page.url(), method: 'GET', resourceType: 'mainFrame', isMainFrame: true }));
      const stale = await Promise.all(blocked.map(async (page) => ((await showsBlockedPage(page)) ? null : page)));
      // A reload is a new navigation: the guard decides it, logs it and shows the blocked page.
      // Not awaited: a slow server must not hold up the store's queue (its close, say).
      for (const page of stale) void page?.reload({ waitUntil: 'commit' }).catch(() => null);
    },
    async close() {
      guard.revoke();
      await context.close().catch(() => {});
    },
  };
  const first = context.pages()[0] ?? (await context.newPage());
  if (front !== first) follow(first);
  await show(first, home);
  return session;
}

interface GuardOptions {
  devtoolsAllowed: boolean;
  uploadsAllowed: boolean;
  printingAllowed: boolean;
  downloadDir: string;
  onDownload: ((outcome: DownloadOutcome) => void) | undefined;
  onHostBlocked: ((blocked: HostBlocked) => void) | undefined;
}

/**
 * Every guard, in the order that leaves no gap: requests first (from then on nothing reaches
 * the network undecided), then WebSockets, permissions, DevTools and print previews, dropped
 * and pasted files, and each page's navigations, downloads and file pickers. Only the initial blank
 * window exists while this runs.
 */
async function attachGuards(context: BrowserContext, guard: SessionGuard, options: GuardOptions): Promise<OpenWebSockets> {
  const browser = context.browser();
  if (!browser) throw new Error('playwright-core returned a persistent context without its browser');
  const cdp = await browser.newBrowserCDPSession();
  const refused = (what: HostBlocked['what']) => ({ url }: { url: string }) => options.onHostBlocked?.({ what, url });
  const closeDevTools = options.devtoolsAllowed ? null : devToolsCloser(cdp, guard);
  const closePrintPreviews = options.printingAllowed ? null : printPreviewCloser(cdp, refused('print'));
  const targets = await watchTargets(cdp, (target) => {
    closeDevTools?.(target);
    closePrintPreviews?.(target);
  });
  await guardRequests(cdp, targets, guard);
  const sockets = await guardWebSockets(context, guard);
  await denyPermissions(cdp);
  if (!options.uploadsAllowed) await refuseDroppedOrPastedFiles(context, refused('upload'));
  const guardPage = (page: Page) => {
    guardNavigations(page, guard);
    guardDownloads(page, guard, options.downloadDir, options.onDownload);
    if (!options.uploadsAllowed) refuseUploads(page, refused('upload'));
  };
  context.on('page', guardPage);
  for (const page of context.pages()) {
    // A page that is not blank loaded before the guard (a restored session): it must not stay.
    if (page.url() === 'about:blank') guardPage(page);
    else await page.close().catch(() => {});
  }
  return sockets;
}

/** How long a page may take to say whether it shows the blocked page (a page held by an alert() never answers). */
const BLOCKED_PAGE_CHECK_MS = 2000;

/**
 * Whether the page already shows the guard's blocked page, which stands at the blocked address
 * (request-guard.ts): it need not load (and be logged) again. No answer in time counts as no.
 */
async function showsBlockedPage(page: Page): Promise<boolean> {
  // Read from Playwright's isolated world, so page scripts cannot change how. One that adds such
  // an element only keeps its own page on screen: every request it makes is still decided.
  const check = page.locator(`#${BLOCKED_PAGE_ELEMENT_ID}`).count().then((count) => count > 0, () => false);
  const timeout = new Promise<boolean>((resolve) => setTimeout(resolve, BLOCKED_PAGE_CHECK_MS, false).unref());
  return Promise.race([check, timeout]);
}

/** A page the guard decided when it loaded (not about:blank, nor a data:/blob: page of its own). */
function isWebAddress(url: string): boolean {
  return url.startsWith('http://') || url.startsWith('https://');
}

/** Navigates without waiting for the whole page: a slow or failing store page is the window's business. */
async function show(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'commit' }).catch(() => {});
}
