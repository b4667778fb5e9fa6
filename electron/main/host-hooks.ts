// HostHooks for Electron: what the core asks the host to carry out (open, close, navigate, wipe,
// notify, show a file in its folder).
import { shell } from 'electron';
import type { HostHooks } from '../core/app/host';
import type { ConsoleIpc } from './console-ipc';
import type { StoreSessions } from './store-sessions';
import type { StoreTabs } from './tabs';

export interface ElectronHost {
  tabs: StoreTabs;
  sessions: StoreSessions;
  console: ConsoleIpc;
}

/**
 * The hooks exist before the host does (the core is opened with them, and the host's parts need
 * the core), so they look the host up on each call. The core only calls them while answering the
 * console, i.e. once the host is up; opening a store earlier is an error, the rest do nothing.
 */
export function electronHostHooks(host: () => ElectronHost | null): HostHooks {
  return {
    async openStore(store, user) {
      const h = host();
      if (!h) throw new Error('the ShopWarden window is not ready');
      await h.tabs.open(store, user);
    },
    async closeStore(storeId, userId, reason) {
      host()?.tabs.close(storeId, userId, reason);
    },
    async navigateStore(storeId, userId, action, homeUrl) {
      return host()?.tabs.navigate(storeId, userId, action, homeUrl) ?? false;
    },
    openStoreIds(userId) {
      return host()?.tabs.openStoreIds(userId) ?? [];
    },
    showConsole() {
      host()?.tabs.showConsole();
    },
    async clearStoreData(storeId) {
      const h = host();
      if (!h) throw new Error('the ShopWarden window is not ready');
      h.tabs.close(storeId, null, 'deleted');
      await h.sessions.clear(storeId);
    },
    // Electron learns the console's language from its address (?lang=, bootstrap.ts), which
    // also drives the menu and is remembered for the next start.
    languageChosen() {},
    // Called from inside the change: the tabs are looked at a turn later.
    policyChanged() {
      setImmediate(() => host()?.tabs.recheck());
    },
    emit(event, userId) {
      host()?.console.emit(event, userId);
    },
    async revealFile(path) {
      shell.showItemInFolder(path);
    },
  };
}
