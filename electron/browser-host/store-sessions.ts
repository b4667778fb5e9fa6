// The store sessions of the system-browser host (F2, F5, F7, F9, F30): which store is open for
// whom, opening (or focusing) one, closing them at once when access ends, and wiping a store's
// profile. The application service decides; this carries out. One user per store at a time:
// a Chromium profile can only be open in one browser.
import { rmSync } from 'node:fs';
import { BUILTIN_PLATFORMS } from '../../shared/catalog/builtin';
import type { Platform } from '../../shared/catalog/schema';
import type { PublicUser, StoreNavigation } from '../../shared/ipc/contract';
import type { Decision, DecisionReason } from '../../shared/model/decision';
import type { SensitiveSwitches } from '../../shared/model/role';
import type { Store } from '../../shared/model/store';
import type { HostBlockRecord } from '../core/app/api';
import type { HostHooks, StoreClosedReason } from '../core/app/host';
import { catalogModuleName, renderBlockedPage, type PageLanguage } from '../core/pages/blocked-page';
import { findChromium } from './chromium';
import type { DownloadOutcome } from './download-guard';
import { StoreSessionError } from './errors';
import type { GuardFn, StepUpNeeded } from './session-guard';
import { profileDir, type BrowserSettings } from './store-launch';
import type { StoreLocation } from './store-location';
import { launchStoreSession, type HostBlocked, type StoreSession } from './store-session';

export interface StoreSessionsOptions {
  /** The app's data folder: profiles go to `partitions/store-<id>`, downloads to `downloads/<id>`. */
  dataDir: string;
  /** Decides and logs one request (AppCore.guard). */
  guard: GuardFn;
  /** Decides without logging (AppCore.peek): what is on screen, decided again after a policy change. */
  peek?: GuardFn;
  /** The role's switches of a user in a store (AppCore.switchesFor); read when a session opens. */
  switchesFor: (storeId: string, userId: string) => SensitiveSwitches;
  /**
   * Whether the user may open the store at all. Default: ask the guard about the store's home
   * address and refuse on a decision about the person (no assignment, not started, expired,
   * disabled, unknown store, policy error), not about the page.
   */
  canOpen?: (storeId: string, userId: string) => boolean;
  /** A store page needs the owner's approval (AppCore.reportStepUp). */
  onStepUpNeeded?: (request: StepUpNeeded) => void;
  onDownload?: (outcome: DownloadOutcome) => void;
  /** A store page asked for a file or to print while the user's switch is off: refused; to be logged (AppCore.recordHostBlock). */
  onHostBlocked?: (blocked: HostBlockRecord) => void;
  /** The front page of an open store navigated (for the console's address bar). */
  onLocation?: (open: Pick<OpenStore, 'storeId' | 'userId'>, location: StoreLocation) => void;
  /** The person typed, clicked or scrolled in a window of an open store (for the console's idle lock). */
  onInput?: (open: Pick<OpenStore, 'storeId' | 'userId'>) => void;
  /** Sessions this API closed (access ended, store deleted, signed out…), with the reason. */
  onClosed?: (session: OpenStore, reason: StoreClosedReason) => void;
  /** The browser went away without being asked to (the person closed its last window, or it crashed). */
  onBrowserClosed?: (session: OpenStore) => void;
  /** Faults of the injected callbacks; whatever they concerned was blocked. */
  onError?: (error: unknown) => void;
  /** Language of blocked pages; a function is asked each time (the UI language can change). */
  language?: PageLanguage | (() => PageLanguage);
  /** Catalogues for module names and site locales; the built-in ones by default. */
  platforms?: readonly Platform[];
  /** Browser settings; by default the machine's Chrome/Chromium, headed with --app windows when there is a display. */
  browser?: Partial<BrowserSettings>;
}

export interface OpenOptions {
  /** Address to show (focused window) or to start at (new session); the store's home page by default. */
  url?: string;
  /** When another user has the store open: close theirs first instead of refusing with "busy". */
  takeOver?: boolean;
}

export interface OpenStore {
  storeId: string;
  userId: string;
  openedAt: number;
}

/** Decisions about the person rather than the page: the store does not open at all. */
const REFUSING_REASONS: ReadonlySet<DecisionReason> = new Set([
  'no-assignment',
  'assignment-not-started',
  'assignment-expired',
  'staff-disabled',
  'unknown-store',
  'error',
]);

const ALL_ON: SensitiveSwitches = Object.freeze({ downloads: true, uploads: true, devtools: true, printing: true });

/** A display to show windows on: always on macOS/Windows, $DISPLAY or $WAYLAND_DISPLAY on Linux. */
export function hasDisplay(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): boolean {
  return platform !== 'linux' || !!env.DISPLAY || !!env.WAYLAND_DISPLAY;
}

interface PendingOpen {
  userId: string;
  cancelled: boolean;
}

export class StoreSessions {
  private readonly sessions = new Map<string, StoreSession>();
  private readonly pending = new Map<string, PendingOpen>();
  /** Per store, the tail of its queue: open, close and wipe of one store never interleave. */
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Sessions closed through this API (their end is not reported as onBrowserClosed). */
  private readonly closing = new WeakSet<StoreSession>();

  constructor(private readonly options: StoreSessionsOptions) {}

  /**
   * Opens the store for the user, or focuses it when it is already open for them. Refuses
   * (StoreSessionError) when they may not open it ("refused"), when another user has it open
   * ("busy", unless `takeOver`), or when it cannot be launched.
   */
  open(store: Store, user: Pick<PublicUser, 'id' | 'kind'>, options: OpenOptions = {}): Promise<StoreSession> {
    return this.queue(store.id, async () => {
      this.checkAccess(store, user.id);
      const current = this.sessions.get(store.id);
      if (current && current.userId === user.id) {
        await current.focus(options.url);
        return current;
      }
      if (current && !options.takeOver) throw new StoreSessionError('busy', `store ${store.id} is open for another user; close it there first`);
      if (current) await this.end(current, 'closed'); // taken over: the other person's window just closes
      return this.launch(store, user, options.url);
    });
  }

  /**
   * Closes at once every session of `storeId` and/or `userId` (both missing: all). Requests of
   * those sessions are refused from this call on, before the browsers have exited; opens under
   * way for them fail with "closed". Resolves with the sessions it closed.
   */
  async closeFor(filter: { storeId?: string | null; userId?: string | null }, reason: StoreClosedReason): Promise<OpenStore[]> {
    const fits = (wanted: string | null | undefined, actual: string) => wanted === undefined || wanted === null || wanted === actual;
    const matches = (storeId: string, userId: string) => fits(filter.storeId, storeId) && fits(filter.userId, userId);
    const targets = [...this.sessions.values()].filter((s) => matches(s.storeId, s.userId));
    for (const session of targets) session.guard.revoke();
    for (const [storeId, open] of this.pending) if (matches(storeId, open.userId)) open.cancelled = true;
    await Promise.all(
      targets.map((session) =>
        this.queue(session.storeId, async () => {
          if (this.sessions.get(session.storeId) === session) await this.end(session, reason);
        }),
      ),
    );
    return targets.map(summary);
  }

  /** Closes the store's session and deletes its profile: cookies, storage, cache, service workers (F2). Downloads stay. */
  clearStoreData(storeId: string): Promise<void> {
    const dir = profileDir(this.options.dataDir, storeId);
    const open = this.pending.get(storeId);
    if (open) open.cancelled = true;
    this.sessions.get(storeId)?.guard.revoke();
    return this.queue(storeId, async () => {
      const session = this.sessions.get(storeId);
      if (session) await this.end(session, 'deleted');
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    });
  }

  /** Back / forward / reload / home in the store's front page; false when it is not open for `userId`. */
  navigate(storeId: string, userId: string, action: StoreNavigation, homeUrl: string): Promise<boolean> {
    return this.queue(storeId, async () => {
      const session = this.sessions.get(storeId);
      if (!session || session.userId !== userId) return false;
      await session.navigate(action, homeUrl);
      return true;
    });
  }

  /**
   * The policy changed: every open session ends what it keeps open that is now blocked
   * (StoreSession.recheck). In each store's queue, so it never races an open or a close;
   * faults go to onError, never to the caller.
   */
  async recheckAll(): Promise<void> {
    await Promise.all(
      [...this.sessions.keys()].map((storeId) =>
        this.queue(storeId, async () => {
          await this.sessions.get(storeId)?.recheck();
        }).catch((error: unknown) => this.options.onError?.(error)),
      ),
    );
  }

  openStores(): OpenStore[] {
    return [...this.sessions.values()].map(summary);
  }

  /** The open session of a store, if any (to reach its windows). */
  session(storeId: string): StoreSession | undefined {
    return this.sessions.get(storeId);
  }

  /** Closes every session (app shutdown), including those being opened. */
  async closeAll(): Promise<void> {
    await this.closeFor({}, 'closed');
    await Promise.allSettled([...this.queues.values()]);
    if (this.sessions.size > 0) await this.closeFor({}, 'closed');
  }

  private checkAccess(store: Store, userId: string): void {
    if (this.options.canOpen) {
      if (!this.options.canOpen(store.id, userId)) throw new StoreSessionError('refused', `user ${userId} may not open store ${store.id}`);
      return;
    }
    // A HEAD "other" request: decided like the home page, but an allowed one is not a logged navigation.
    let decision: Decision | null = null;
    try {
      decision = this.options.guard({ storeId: store.id, userId, url: store.homeUrl, method: 'HEAD', resourceType: 'other', isMainFrame: false });
    } catch (error) {
      this.options.onError?.(error);
    }
    // A guard that throws or answers nonsense refuses, like a policy error (F16).
    const reason = decision && typeof decision.allowed === 'boolean' && typeof decision.reason === 'string' ? decision.reason : 'error';
    if (REFUSING_REASONS.has(reason)) throw new StoreSessionError('refused', `user ${userId} may not open store ${store.id}: ${reason}`, reason);
  }

  private async launch(store: Store, user: Pick<PublicUser, 'id' | 'kind'>, url: string | undefined): Promise<StoreSession> {
    const { options } = this;
    const platforms = options.platforms ?? BUILTIN_PLATFORMS;
    const platform = platforms.find((p) => p.id === store.platformId);
    const language = () => (typeof options.language === 'function' ? options.language() : (options.language ?? 'en'));
    const moduleName = (id: string) => catalogModuleName(platforms, store.platformId, id, language());
    const pending: PendingOpen = { userId: user.id, cancelled: false };
    this.pending.set(store.id, pending);
    let session: StoreSession;
    try {
      session = await launchStoreSession({
        dataDir: options.dataDir,
        store,
        user,
        switches: user.kind === 'owner' ? ALL_ON : options.switchesFor(store.id, user.id),
        siteLocale: platform?.sites.find((s) => s.id === store.siteId)?.locale ?? null,
        browser: this.browserSettings(),
        guard: options.guard,
        ...(options.peek ? { peek: options.peek } : {}),
        render: (pageUrl, method, decision) =>
          renderBlockedPage({ url: pageUrl, method, decision, language: language(), storeName: store.name, moduleName: decision.module ? moduleName(decision.module) : null }),
        ...(url ? { url } : {}),
        ...(options.onStepUpNeeded ? { onStepUpNeeded: options.onStepUpNeeded } : {}),
        ...(options.onDownload ? { onDownload: options.onDownload } : {}),
        ...(options.onHostBlocked ? { onHostBlocked: ({ what, url: pageUrl }: HostBlocked) => this.report(() => options.onHostBlocked?.({ what, storeId: store.id, userId: user.id, url: pageUrl })) } : {}),
        ...(options.onLocation ? { onLocation: (location: StoreLocation) => this.report(() => options.onLocation?.({ storeId: store.id, userId: user.id }, location)) } : {}),
        ...(options.onInput ? { onInput: () => this.report(() => options.onInput?.({ storeId: store.id, userId: user.id })) } : {}),
        ...(options.onError ? { onError: options.onError } : {}),
      });
    } finally {
      this.pending.delete(store.id);
    }
    if (pending.cancelled) {
      await session.close();
      throw new StoreSessionError('closed', `store ${store.id} was closed while it was opening`);
    }
    this.sessions.set(store.id, session);
    void session.closed.then(() => {
      if (this.sessions.get(store.id) === session) this.sessions.delete(store.id);
      if (!this.closing.has(session)) this.report(() => options.onBrowserClosed?.(summary(session)));
    });
    return session;
  }

  private async end(session: StoreSession, reason: StoreClosedReason): Promise<void> {
    this.closing.add(session);
    if (this.sessions.get(session.storeId) === session) this.sessions.delete(session.storeId);
    await session.close();
    this.report(() => this.options.onClosed?.(summary(session), reason));
  }

  private browserSettings(): BrowserSettings {
    const given = this.options.browser ?? {};
    const executablePath = given.executablePath ?? findChromium();
    if (!executablePath) throw new StoreSessionError('no-browser', 'no Chrome/Chromium found: install one or set SHOPWARDEN_CHROMIUM');
    return { executablePath, headless: given.headless ?? !hasDisplay(), appWindow: given.appWindow ?? true, extraArgs: given.extraArgs ?? [] };
  }

  private report(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  private queue<T>(storeId: string, task: () => Promise<T>): Promise<T> {
    const run = (this.queues.get(storeId) ?? Promise.resolve()).then(task); // tails never reject
    const tail = run.catch(() => {});
    this.queues.set(storeId, tail);
    void tail.then(() => {
      if (this.queues.get(storeId) === tail) this.queues.delete(storeId);
    });
    return run;
  }
}

function summary(session: StoreSession): OpenStore {
  return { storeId: session.storeId, userId: session.userId, openedAt: session.openedAt };
}

/** The store part of the core's HostHooks, carried out by these sessions. */
export function storeSessionHooks(sessions: StoreSessions): Pick<HostHooks, 'openStore' | 'closeStore' | 'navigateStore' | 'openStoreIds' | 'clearStoreData' | 'policyChanged'> {
  return {
    openStore: async (store, user) => {
      await sessions.open(store, user);
    },
    closeStore: async (storeId, userId, reason) => {
      await sessions.closeFor({ storeId, userId }, reason);
    },
    navigateStore: (storeId, userId, action, homeUrl) => sessions.navigate(storeId, userId, action, homeUrl),
    openStoreIds: (userId) => sessions.openStores().flatMap((open) => (open.userId === userId ? [open.storeId] : [])),
    clearStoreData: (storeId) => sessions.clearStoreData(storeId),
    // Called from inside the change (maybe inside its transaction): the work waits a turn.
    policyChanged: () => {
      setImmediate(() => void sessions.recheckAll());
    },
  };
}
