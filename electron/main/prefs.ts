// Window and UI preferences of this machine (not policy, not secrets): electron-store's JSON file
// in the data folder. Values are checked on read, so a hand-edited file cannot break start-up.
import ElectronStore from 'electron-store';
import { ipcMain } from 'electron';
import { z } from 'zod';
import { isUiLanguage, type UiLanguage } from './language';
import type { Rect } from './layout';

const Bounds = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });

interface PrefsShape {
  window?: { bounds: Rect; maximized: boolean };
  language?: UiLanguage;
  lastUsername?: string;
}

export interface HostPrefs {
  windowState(): { bounds: Rect | null; maximized: boolean };
  saveWindowState(bounds: Rect, maximized: boolean): void;
  language(): UiLanguage | null;
  setLanguage(language: UiLanguage): void;
  lastUsername(): string | null;
  setLastUsername(username: string): void;
}

export function openPrefs(): HostPrefs {
  const store = new ElectronStore<PrefsShape>({ name: 'window-prefs', clearInvalidConfig: true });
  // electron-store answers a synchronous IPC message with the data folder's path for renderer-side
  // stores. We have none, and the console must reach no channel but ours: drop it.
  ipcMain.removeAllListeners('electron-store-get-data');
  return {
    windowState() {
      const saved = z.object({ bounds: Bounds, maximized: z.boolean() }).safeParse(store.get('window'));
      return saved.success ? saved.data : { bounds: null, maximized: false };
    },
    saveWindowState(bounds, maximized) {
      store.set('window', { bounds, maximized });
    },
    language() {
      const value: unknown = store.get('language');
      return isUiLanguage(value) ? value : null;
    },
    setLanguage(language) {
      store.set('language', language);
    },
    lastUsername() {
      const value: unknown = store.get('lastUsername');
      return typeof value === 'string' && value.length > 0 && value.length <= 64 ? value : null;
    },
    setLastUsername(username) {
      store.set('lastUsername', username);
    },
  };
}
