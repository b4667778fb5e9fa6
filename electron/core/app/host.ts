import type { PublicUser, StoreNavigation } from '../../../shared/ipc/contract';
import type { AppEvent } from '../../../shared/ipc/events';
import type { Store } from '../../../shared/model/store';
import type { PageLanguage } from '../pages/blocked-page';

export type StoreClosedReason = Extract<AppEvent, { type: 'store-closed' }>['reason'];

/**
 * What the core needs from a host (Electron or the system browser): the core decides, the host
 * only carries out. Every method must be safe to call for a store that is not open.
 */
export interface HostHooks {
  /** Opens or focuses the store's session for this user (access was checked by the core). */
  openStore(store: Store, user: PublicUser): Promise<void>;
  /**
   * Closes store tabs/windows at once: of `storeId` (null: every store), only those opened by
   * `userId` when given. For each store it closed, the host tells that user's consoles with a
   * store-closed event carrying `reason` (so a store that was not open raises no notice).
   */
  closeStore(storeId: string | null, userId: string | null, reason: StoreClosedReason): Promise<void>;
  /**
   * Back / forward / reload, or `homeUrl`, in the front page of the store open for `userId`
   * (the navigation passes the guard like any other). False when it is not open for them.
   */
  navigateStore(storeId: string, userId: string, action: StoreNavigation, homeUrl: string): Promise<boolean>;
  /** The stores open for `userId` now. */
  openStoreIds(userId: string): string[];
  /** Brings the console to the front over the store tabs (a no-op where the console has its own window). */
  showConsole(): void;
  /** Closes the store (store-closed "deleted" to whoever had it open) and wipes its session data for good. */
  clearStoreData(storeId: string): Promise<void>;
  /** The console switched its interface language: the host's own pages (the blocked page) follow it. */
  languageChosen(language: PageLanguage): void;
  /**
   * The guard's policy changed. What store sessions keep open was allowed under the old one:
   * the host decides its open WebSockets and the pages on screen again (AppCore.peek) and ends
   * what is now blocked, so lowering a role takes effect in windows already open. Called
   * synchronously from inside the change: the host does the work later.
   */
  policyChanged(): void;
  /** Pushes an event to the consoles; `userId` limits it to consoles signed in as that user. */
  emit(event: AppEvent, userId?: string): void;
  /**
   * Shows the file (an absolute path the core checked) in the system's file manager: its folder,
   * with the file selected where the system can. Rejects when nothing can show it.
   */
  revealFile(path: string): Promise<void>;
}

/** A host with nothing to carry out (CLI tools, tests of the core alone). */
export const NO_HOST: HostHooks = {
  openStore: async () => {},
  closeStore: async () => {},
  navigateStore: async () => false,
  showConsole: () => {},
  openStoreIds: () => [],
  clearStoreData: async () => {},
  languageChosen: () => {},
  policyChanged: () => {},
  emit: () => {},
  revealFile: async () => {},
};
