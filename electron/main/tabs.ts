// Store tabs (F5): one WebContentsView per tab inside the main window, below the console strip.
// A tab belongs to one store and one user; its webContents lives in the store's session.
import { WebContentsView, type BrowserWindow, type BrowserWindowConstructorOptions, type Session, type WebContents, type WebPreferences } from 'electron';
import type { AppCoreApi } from '../core/app/api';
import type { StoreClosedReason } from '../core/app/host';
import type { PublicUser, StoreNavigation } from '../../shared/ipc/contract';
import type { AppEvent } from '../../shared/ipc/events';
import type { Decision } from '../../shared/model/decision';
import { storePartition, type Store } from '../../shared/model/store';
import { blockedPageUrl } from './blocked-page';
import type { UiLanguage } from './language';
import { storeTabBounds } from './layout';
import type { NavigationPasses } from './navigation-passes';
import { popupLoadOptions, type PopupRequest } from './popup-load';
import type { BlockedRequest, RequestGuard, TabDirectory, TabInfo } from './request-guard';
import type { StoreSessions } from './store-sessions';
import { attachTabHandlers } from './tab-handlers';
import { FILE_PICKERS_BLINK_FEATURE, filePickersAllowed } from '../core/app/file-pickers';

interface Tab extends TabInfo {
  view: WebContentsView;
  label: string;
  isPopup: boolean;
}

export interface StoreTabsDeps {
  window: BrowserWindow;
  sessions: StoreSessions;
  guard: RequestGuard;
  passes: NavigationPasses;
  core: Pick<AppCoreApi, 'switchesFor' | 'storeForSession' | 'storeActivity'>;
  language(): UiLanguage;
  /** A store is no longer open for a user (its last tab closed): tell that user's console. */
  storeClosed(storeId: string, userId: string, reason: StoreClosedReason): void;
  /** The front tab of a store navigated: tell its user's console (address bar, back/forward). */
  location(userId: string, location: StoreLocationEvent): void;
}

export type StoreLocationEvent = Extract<AppEvent, { type: 'store-location' }>;

/**
 * Store pages: sandboxed, isolated, no preload, no Node, no IPC, in the store's own partition
 * (F29); without the File System Access pickers unless the person may upload and download.
 */
export function storeTabPreferences(storeId: string, options: { filePickers: boolean }): WebPreferences {
  return {
    ...(options.filePickers ? {} : { disableBlinkFeatures: FILE_PICKERS_BLINK_FEATURE }),
    partition: storePartition(storeId),
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
  };
}

function sameSession(a: Session, b: Session): boolean {
  return a === b || (a.storagePath !== null && a.storagePath === b.storagePath);
}

export class StoreTabs implements TabDirectory {
  private readonly tabs = new Map<number, Tab>();
  /** Tab ids, the most recently shown last. */
  private recent: number[] = [];
  private shown: Tab | null = null;
  private readonly opening = new Map<string, Promise<void>>();

  constructor(private readonly deps: StoreTabsDeps) {
    const relayout = () => this.layout();
    deps.window.on('resize', relayout);
    deps.window.on('maximize', relayout);
    deps.window.on('unmaximize', relayout);
    deps.window.on('enter-full-screen', relayout);
    deps.window.on('leave-full-screen', relayout);
    deps.window.on('restore', relayout);
  }

  tab(webContentsId: number | undefined): TabInfo | null {
    return webContentsId === undefined ? null : (this.tabs.get(webContentsId) ?? null);
  }

  usersIn(storeId: string): { userId: string; userKind: 'owner' | 'staff' }[] {
    const users = new Map<string, 'owner' | 'staff'>();
    for (const t of this.tabs.values()) if (t.storeId === storeId) users.set(t.userId, t.userKind);
    return [...users].map(([userId, userKind]) => ({ userId, userKind }));
  }

  /** The stores with a tab open for `userId`. */
  openStoreIds(userId: string): string[] {
    return [...new Set([...this.tabs.values()].filter((t) => t.userId === userId).map((t) => t.storeId))];
  }

  /** The store tab on screen, or null while the console is shown in full. */
  activeWebContents(): WebContents | null {
    return this.shown?.view.webContents ?? null;
  }

  /** Opens the store for the user in a new tab, or shows the tab they already have. */
  open(store: Store, user: PublicUser): Promise<void> {
    const key = `${store.id}/${user.id}`;
    let pending = this.opening.get(key);
    if (!pending) {
      pending = this.openNow(store, user).finally(() => this.opening.delete(key));
      this.opening.set(key, pending);
    }
    return pending;
  }

  private async openNow(store: Store, user: PublicUser): Promise<void> {
    const existing = this.latest((t) => t.storeId === store.id && t.userId === user.id);
    if (existing) return this.show(existing);
    const open = [...this.tabs.values()].filter((t) => t.storeId === store.id);
    // The network identity is (re)applied whenever the store is not open (it may have changed;
    // changing it closes the store's tabs), and before any of its pages can load.
    if (open.length === 0) await this.deps.sessions.applyNetworkIdentity(store);
    if (user.kind !== 'owner' && !open.some((t) => t.userKind !== 'owner')) await this.deps.sessions.removeServiceWorkers(store.id);
    const view = new WebContentsView({ webPreferences: storeTabPreferences(store.id, { filePickers: this.filePickers(store.id, user.id, user.kind) }) });
    const tab = this.register(view, { storeId: store.id, userId: user.id, userKind: user.kind, label: `${store.name} · ${store.siteId}`, isPopup: false }, store.proxy !== null);
    this.show(tab);
    // Not awaited: the console gets its answer at once. A blocked home page shows the blocked
    // page; a network error shows Chromium's error page.
    view.webContents.loadURL(store.homeUrl).catch(() => undefined);
  }

  /**
   * Back / forward / reload, or `homeUrl`, in the user's latest tab of the store, brought to the
   * front; the navigation passes the guard like any other. False when they have no such tab.
   */
  navigate(storeId: string, userId: string, action: StoreNavigation, homeUrl: string): boolean {
    const tab = this.latest((t) => t.storeId === storeId && t.userId === userId);
    if (!tab) return false;
    this.show(tab);
    const wc = tab.view.webContents;
    if (action === 'back') wc.navigationHistory.goBack();
    else if (action === 'forward') wc.navigationHistory.goForward();
    else if (action === 'reload') wc.reload();
    else wc.loadURL(homeUrl).catch(() => undefined);
    return true;
  }

  /**
   * An allowed pop-up of `opener`, as a new tab of the same store and user. Electron hands over
   * the guest (window.opener keeps working) for window.open and target=_blank, but none for a
   * link opened with Ctrl/Shift/middle-click: then the tab is made here and loads the link.
   */
  adoptPopup(opener: TabInfo, options: BrowserWindowConstructorOptions, request: PopupRequest): WebContents {
    const parent = this.tabs.get(opener.id);
    const guest = (options as BrowserWindowConstructorOptions & { webContents?: WebContents }).webContents;
    if (!parent || (guest && !sameSession(guest.session, this.deps.sessions.get(opener.storeId)))) {
      if (guest && !guest.isDestroyed()) guest.close();
      throw new Error('pop-up refused: not in the opening store session');
    }
    const view = new WebContentsView(
      guest ? { webContents: guest } : { webPreferences: storeTabPreferences(opener.storeId, { filePickers: this.filePickers(opener.storeId, opener.userId, opener.userKind) }) },
    );
    const store = this.deps.core.storeForSession(opener.storeId);
    const tab = this.register(view, { storeId: opener.storeId, userId: opener.userId, userKind: opener.userKind, label: parent.label, isPopup: true }, !!store?.proxy);
    // The pop-up's URL was just decided (and logged) by the window-open handler.
    this.deps.passes.grant(tab.id, request.url);
    this.show(tab);
    if (!guest) view.webContents.loadURL(request.url, popupLoadOptions(request)).catch(() => undefined);
    return view.webContents;
  }

  /** Shows the localised blocked page in the tab instead of the page that was refused. */
  showBlockedPage(info: TabInfo, request: BlockedRequest, decision: Decision): void {
    const tab = this.tabs.get(info.id);
    if (!tab) return;
    const page = blockedPageUrl({ ...request, decision, lang: this.deps.language(), store: this.deps.core.storeForSession(info.storeId) });
    // After the refused navigation has failed; loadURL starts no navigation hook of ours.
    setImmediate(() => {
      const wc = tab.view.webContents;
      if (this.tabs.has(tab.id) && !wc.isDestroyed()) wc.loadURL(page).catch(() => undefined);
    });
  }

  /** After a policy change: reloads the tabs whose page or WebSocket is now blocked (RequestGuard.tabsToReload). */
  recheck(): void {
    const open = [...this.tabs.values()].filter((tab) => !tab.view.webContents.isDestroyed()).map((tab) => ({ tab, url: tab.view.webContents.getURL() }));
    for (const tab of this.deps.guard.tabsToReload(open)) if (!tab.view.webContents.isDestroyed()) tab.view.webContents.reload();
  }

  /** Closes at once the tabs of `storeId` (null: all stores) opened by `userId` (null: anyone). */
  close(storeId: string | null, userId: string | null, reason: StoreClosedReason): void {
    this.closeTabs([...this.tabs.values()].filter((t) => (storeId === null || t.storeId === storeId) && (userId === null || t.userId === userId)), reason);
  }

  closeAll(): void {
    this.closeTabs([...this.tabs.values()], 'closed');
  }

  /** Hides the store tabs: the console fills the window. */
  showConsole(): void {
    for (const t of this.tabs.values()) t.view.setVisible(false);
    this.shown = null;
    this.setTitle(null);
    if (!this.deps.window.isDestroyed()) this.deps.window.webContents.focus();
  }

  layout(): void {
    if (this.deps.window.isDestroyed()) return;
    const [width = 0, height = 0] = this.deps.window.getContentSize();
    const bounds = storeTabBounds(width, height);
    for (const t of this.tabs.values()) t.view.setBounds(bounds);
  }

  private register(view: WebContentsView, info: Omit<Tab, 'id' | 'view'>, proxied: boolean): Tab {
    const wc = view.webContents;
    const tab: Tab = { id: wc.id, view, ...info };
    this.tabs.set(tab.id, tab);
    // Local addresses never leave through WebRTC; with a proxy, no UDP bypasses it (防关联).
    wc.setWebRTCIPHandlingPolicy(proxied ? 'disable_non_proxied_udp' : 'default_public_interface_only');
    attachTabHandlers(tab, wc, {
      guard: this.deps.guard,
      core: this.deps.core,
      language: this.deps.language,
      adoptPopup: (opener, options, request) => this.adoptPopup(opener, options, request),
      closeTab: (t) => this.closeTabs([t].flatMap((x) => this.tabs.get(x.id) ?? []), 'closed'),
    });
    const report = () => {
      if (wc.isDestroyed() || !this.tabs.has(tab.id)) return;
      const history = wc.navigationHistory;
      this.deps.location(tab.userId, {
        type: 'store-location',
        storeId: tab.storeId,
        url: wc.getURL().slice(0, 8192),
        title: wc.getTitle().slice(0, 1024),
        canGoBack: history.canGoBack(),
        canGoForward: history.canGoForward(),
      });
    };
    wc.on('did-navigate', report);
    wc.on('did-navigate-in-page', (_event, _url, isMainFrame) => isMainFrame && report());
    wc.on('page-title-updated', report);
    view.setVisible(false);
    this.deps.window.contentView.addChildView(view);
    this.layout();
    return tab;
  }

  private show(tab: Tab): void {
    for (const t of this.tabs.values()) if (t !== tab) t.view.setVisible(false);
    tab.view.setVisible(true);
    this.shown = tab;
    this.recent = [...this.recent.filter((id) => id !== tab.id), tab.id];
    this.layout();
    this.setTitle(tab.label);
    tab.view.webContents.focus();
  }

  private filePickers(storeId: string, userId: string, userKind: PublicUser['kind']): boolean {
    return filePickersAllowed(userKind === 'owner', this.deps.core.switchesFor(storeId, userId));
  }

  private closeTabs(tabs: Tab[], reason: StoreClosedReason): void {
    if (tabs.length === 0) return;
    const shownClosed = this.shown !== null && tabs.includes(this.shown);
    for (const tab of tabs) {
      if (!this.tabs.delete(tab.id)) continue;
      this.deps.passes.forget(tab.id);
      this.recent = this.recent.filter((id) => id !== tab.id);
      if (!this.deps.window.isDestroyed()) this.deps.window.contentView.removeChildView(tab.view);
      // A WebContentsView's webContents outlives its view unless closed explicitly.
      const wc = tab.view.webContents;
      if (!wc.isDestroyed()) wc.close();
    }
    const pairs = new Map(tabs.map((t) => [`${t.storeId}/${t.userId}`, t]));
    for (const t of pairs.values()) {
      if (!this.latest((o) => o.storeId === t.storeId && o.userId === t.userId)) this.deps.storeClosed(t.storeId, t.userId, reason);
    }
    if (shownClosed) {
      const previous = this.shown!;
      const next = this.latest((t) => t.userId === previous.userId);
      if (next) this.show(next);
      else this.showConsole();
    }
  }

  private latest(match: (tab: Tab) => boolean): Tab | null {
    for (let i = this.recent.length - 1; i >= 0; i--) {
      const tab = this.tabs.get(this.recent[i]!);
      if (tab && match(tab)) return tab;
    }
    for (const tab of this.tabs.values()) if (match(tab)) return tab;
    return null;
  }

  private setTitle(label: string | null): void {
    if (!this.deps.window.isDestroyed()) this.deps.window.setTitle(label ? `${label} — ShopWarden` : 'ShopWarden');
  }
}
