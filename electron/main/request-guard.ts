// Every question a store page's traffic raises, answered through the core's guard. Electron hooks
// (webRequest, will-frame-navigate, will-redirect, setWindowOpenHandler, will-download) call these
// methods with plain facts; nothing here imports Electron, so the whole adapter is unit-tested
// with a fake core. Every method fails closed: an exception blocks.
import type { AppCoreApi } from '../core/app/api';
import type { Decision, GuardRequest, ResourceType } from '../../shared/model/decision';
import { asksOwnerForApproval } from '../../shared/policy/step-up-approval';
import type { NavigationPasses } from './navigation-passes';
import { guardResourceType } from './resource-type';
import type { UnguardedWorker } from './worker-scripts';

/** One open store tab, as the guard needs to know it. */
export interface TabInfo {
  /** The tab's webContents id. */
  id: number;
  storeId: string;
  userId: string;
  userKind: 'owner' | 'staff';
}

export interface TabDirectory {
  /** The tab a webContents is, or null (a service worker, a browser-started request, a stranger). */
  tab(webContentsId: number | undefined): TabInfo | null;
  /** The distinct users who have a tab of this store open now. */
  usersIn(storeId: string): { userId: string; userKind: 'owner' | 'staff' }[];
}

export type GuardCore = Pick<AppCoreApi, 'guard' | 'peek' | 'reportStepUp' | 'switchesFor'>;

/** What webRequest.onBeforeRequest reports about a request (the fields we use). */
export interface RequestFacts {
  webContentsId?: number;
  url: string;
  method: string;
  resourceType: string;
  uploadData?: readonly { file?: string; blobUUID?: string }[] | null;
}

/** A block the core's guard did not decide (so it wrote no log row): for the host to report. */
export interface HostBlock {
  what: 'upload' | UnguardedWorker | 'download-switch' | 'no-subject' | 'error';
  storeId: string;
  userId: string | null;
  url: string;
  error?: unknown;
}

export interface BlockedRequest {
  url: string;
  method: string;
}

/** A blocked request of a tab, as the after-block steps (approval, blocked page) need it. */
interface TabRequest extends BlockedRequest {
  resourceType: ResourceType;
}

export interface RequestGuardDeps {
  core: GuardCore;
  tabs: TabDirectory;
  passes: NavigationPasses;
  /** A top-level navigation of `tab` was blocked: show the blocked page there. */
  showBlockedPage(tab: TabInfo, request: BlockedRequest, decision: Decision): void;
  reportHostBlock(block: HostBlock): void;
}

const ALLOW = { cancel: false } as const;
const CANCEL = { cancel: true } as const;

export class RequestGuard {
  /**
   * WebSocket URLs each tab was allowed since its page loaded. Electron tells of no socket's end
   * and cannot close one, so after a policy change a tab with one now blocked is reloaded.
   */
  private readonly sockets = new Map<number, Set<string>>();

  constructor(private readonly deps: RequestGuardDeps) {}

  /** webRequest.onBeforeRequest of the store's session: the one dispatcher for every request. */
  request(storeId: string, facts: RequestFacts): { cancel: boolean } {
    try {
      const tab = this.tabOf(storeId, facts.webContentsId);
      const resourceType = guardResourceType(facts.resourceType);
      const isFrame = resourceType === 'mainFrame' || resourceType === 'subFrame';
      if (tab && isFrame && this.deps.passes.take(tab.id, facts.url, facts.method)) return ALLOW;
      const subjects = this.subjects(storeId, tab, facts.url);
      if (!subjects) return CANCEL;
      if (hasFileUpload(facts.uploadData)) {
        const refusing = subjects.find((s) => !this.deps.core.switchesFor(storeId, s.userId).uploads);
        if (refusing) {
          this.deps.reportHostBlock({ what: 'upload', storeId, userId: refusing.userId, url: facts.url });
          return CANCEL;
        }
      }
      const decision = this.decideAll(storeId, subjects, { url: facts.url, method: facts.method, resourceType, isMainFrame: resourceType === 'mainFrame' });
      if (decision.allowed && tab && resourceType === 'websocket') this.noteSocket(tab.id, facts.url);
      if (decision.allowed) return ALLOW;
      if (tab) this.afterBlocked(tab, { url: facts.url, method: facts.method, resourceType }, decision);
      return CANCEL;
    } catch (error) {
      this.deps.reportHostBlock({ what: 'error', storeId, userId: null, url: facts.url, error });
      return CANCEL;
    }
  }

  /**
   * will-frame-navigate / will-redirect of a tab: true lets the navigation go on. Decided as a GET
   * (these events do not know the method; a form POST is decided again with its method by
   * `request`). An allowed GET leaves a pass so `request` does not log it twice.
   * Also called after the fact for in-page navigations of single-page apps (`inPage`), which no
   * request hook sees: a blocked one is replaced by the blocked page.
   */
  navigation(tab: TabInfo, url: string, isMainFrame: boolean, options: { inPage?: boolean } = {}): boolean {
    try {
      const decision = this.deps.core.guard({ ...this.base(tab), url, method: 'GET', resourceType: isMainFrame ? 'mainFrame' : 'subFrame', isMainFrame });
      if (decision.allowed) {
        // An in-page navigation (history.pushState, #fragment) sends no request to pass.
        if (!options.inPage) this.deps.passes.grant(tab.id, url);
        return true;
      }
      this.afterBlocked(tab, { url, method: 'GET', resourceType: isMainFrame ? 'mainFrame' : 'subFrame' }, decision);
      return false;
    } catch (error) {
      this.deps.reportHostBlock({ what: 'error', storeId: tab.storeId, userId: tab.userId, url, error });
      return false;
    }
  }

  /** setWindowOpenHandler: may this pop-up open (as a new tab of the same store)? Blocks are logged by the guard. */
  popup(tab: TabInfo, url: string, method: 'GET' | 'POST'): boolean {
    try {
      const decision = this.deps.core.guard({ ...this.base(tab), url, method, resourceType: 'mainFrame', isMainFrame: true });
      // A pop-up's blocked page is not shown in its opener: the owner may still be asked.
      if (!decision.allowed) this.askOwnerIfStepUp(tab, { url, method, resourceType: 'mainFrame' }, decision);
      return decision.allowed;
    } catch (error) {
      this.deps.reportHostBlock({ what: 'error', storeId: tab.storeId, userId: tab.userId, url, error });
      return false;
    }
  }

  /**
   * will-download: the role's download switch (F8) and the guard (which logs the download or its
   * block) must both allow it, for every user the download could belong to.
   */
  download(storeId: string, webContentsId: number | undefined, url: string): boolean {
    try {
      const tab = this.tabOf(storeId, webContentsId);
      const subjects = this.subjects(storeId, tab, url);
      if (!subjects) return false;
      const decision = this.decideAll(storeId, subjects, { url, method: 'GET', resourceType: 'download', isMainFrame: false });
      if (!decision.allowed) return false;
      // The guard lets blob:/data: URLs through as page-internal before it looks at the switch.
      const refusing = subjects.find((s) => !this.deps.core.switchesFor(storeId, s.userId).downloads);
      if (refusing) {
        this.deps.reportHostBlock({ what: 'download-switch', storeId, userId: refusing.userId, url });
        return false;
      }
      return true;
    } catch (error) {
      this.deps.reportHostBlock({ what: 'error', storeId, userId: null, url, error });
      return false;
    }
  }

  /**
   * DevTools opened in a tab whose role has them off (the host closes them at once): decided by
   * the guard as a navigation to their devtools: address, which logs the attempt as a block, the
   * row the system-browser host writes too (browser-host/devtools-guard.ts). Nothing else happens.
   */
  devToolsOpened(tab: TabInfo, url: string): void {
    try {
      this.deps.core.guard({ ...this.base(tab), url, method: 'GET', resourceType: 'mainFrame', isMainFrame: true });
    } catch (error) {
      this.deps.reportHostBlock({ what: 'error', storeId: tab.storeId, userId: tab.userId, url, error });
    }
  }

  /**
   * The script of a worker whose own traffic escapes the request hooks is about to be fetched
   * (a service worker's WebSockets and the navigations it answers; a shared worker's WebSockets:
   * DESIGN.md, Electron pitfalls). Refused whenever staff has the store open — whoever's tab
   * starts it: the store's session, and so its workers, are shared by all its tabs.
   */
  workerScript(kind: UnguardedWorker, storeId: string, webContentsId: number | undefined, url: string): boolean {
    const tab = this.tabOf(storeId, webContentsId);
    const users = [...(tab ? [tab] : []), ...this.deps.tabs.usersIn(storeId)];
    const staff = users.find((u) => u.userKind !== 'owner');
    if (users.length > 0 && !staff) return true;
    this.deps.reportHostBlock({ what: kind, storeId, userId: staff?.userId ?? null, url });
    return false;
  }

  /**
   * After a policy change, the open tabs (each with its page's address) that must reload: the
   * page is now blocked (decided unlogged: the reload is decided and logged as it happens), or a
   * WebSocket it was allowed is (logged as a block, the row the system-browser host writes when
   * it closes one). Faults count as blocked. Forgets the sockets of tabs no longer open.
   */
  tabsToReload<T extends TabInfo>(open: readonly { tab: T; url: string }[]): T[] {
    const ids = new Set(open.map(({ tab }) => tab.id));
    for (const id of this.sockets.keys()) if (!ids.has(id)) this.sockets.delete(id);
    return open.flatMap(({ tab, url }) => {
      const pageBlocked = /^https?:/i.test(url) && !this.allows(() => this.deps.core.peek({ ...this.base(tab), url, method: 'GET', resourceType: 'mainFrame', isMainFrame: true }));
      const sockets = [...(this.sockets.get(tab.id) ?? [])];
      // Every socket is decided (filter, not some): each one now blocked gets its log row.
      const socketsBlocked = sockets.filter((socket) => !this.allows(() => this.deps.core.guard({ ...this.base(tab), url: socket, method: 'GET', resourceType: 'websocket', isMainFrame: false })));
      return pageBlocked || socketsBlocked.length > 0 ? [tab] : [];
    });
  }

  /** The tab shows a new document (did-navigate): the old one's sockets closed with it. */
  documentChanged(tabId: number): void {
    this.sockets.delete(tabId);
  }

  private allows(decide: () => Decision): boolean {
    try {
      return decide().allowed === true;
    } catch {
      return false;
    }
  }

  private noteSocket(tabId: number, url: string): void {
    const urls = this.sockets.get(tabId) ?? new Set<string>();
    urls.add(url);
    this.sockets.set(tabId, urls);
  }

  private tabOf(storeId: string, webContentsId: number | undefined): TabInfo | null {
    const tab = this.deps.tabs.tab(webContentsId);
    // A tab of another store in this session cannot happen; if it ever did, treat it as unknown.
    return tab && tab.storeId === storeId ? tab : null;
  }

  /**
   * Whose request this is: the tab's user, or — for requests no tab sent (service workers,
   * prefetches) — everyone with the store open, each of whom must be allowed. Nobody: refused.
   */
  private subjects(storeId: string, tab: TabInfo | null, url: string): { userId: string; userKind: 'owner' | 'staff' }[] | null {
    if (tab) return [tab];
    const users = this.deps.tabs.usersIn(storeId);
    if (users.length === 0) {
      this.deps.reportHostBlock({ what: 'no-subject', storeId, userId: null, url });
      return null;
    }
    return users;
  }

  private decideAll(storeId: string, subjects: { userId: string }[], request: { url: string; method: string; resourceType: ResourceType; isMainFrame: boolean }): Decision {
    let last: Decision | null = null;
    for (const { userId } of subjects) {
      last = this.deps.core.guard({ storeId, userId, ...request });
      if (!last.allowed) return last;
    }
    if (!last) throw new Error('no subject to decide for');
    return last;
  }

  private base(tab: TabInfo): Pick<GuardRequest, 'storeId' | 'userId'> {
    return { storeId: tab.storeId, userId: tab.userId };
  }

  /** A tab's blocked request: the owner may be asked to approve it; a blocked top-level page shows the blocked page. */
  private afterBlocked(tab: TabInfo, request: TabRequest, decision: Decision): void {
    this.askOwnerIfStepUp(tab, request, decision);
    if (request.resourceType === 'mainFrame') this.deps.showBlockedPage(tab, { url: request.url, method: request.method }, decision);
  }

  /** The same rule as the system-browser host's: navigations and changes ask, background reads do not. */
  private askOwnerIfStepUp(tab: TabInfo, request: TabRequest, decision: Decision): void {
    if (decision.reason !== 'step-up-required' || !decision.filter || !asksOwnerForApproval(request)) return;
    this.deps.core.reportStepUp({ storeId: tab.storeId, userId: tab.userId, url: request.url, filter: decision.filter });
  }
}

/** Whether a request body carries a file (a form upload or a File/Blob in fetch/XHR). */
export function hasFileUpload(uploadData: RequestFacts['uploadData']): boolean {
  return !!uploadData && uploadData.some((part) => typeof part.file === 'string' || typeof part.blobUUID === 'string');
}
