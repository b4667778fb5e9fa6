// Who is at the screen: first-run setup, the login picker, the signed-in user and the console
// settings (idle lock). Data comes only through the typed client.
import { createStore } from 'zustand/vanilla';
import type { ShopWardenClient } from '../../shared/ipc/client';
import type { AppSettings, PublicUser, SessionInfo } from '../../shared/ipc/contract';
import { describeError } from './errors';

/** Why the login screen is shown (a notice above the form). */
export type LoginNotice = 'idle-lock' | 'signed-out-disabled' | 'signed-out-password-reset' | 'signed-out';

export type SessionPhase = 'loading' | 'unreachable' | 'setup' | 'login' | 'signed-in';

export interface SessionState {
  phase: SessionPhase;
  session: SessionInfo | null;
  users: PublicUser[];
  settings: AppSettings | null;
  notice: LoginNotice | null;
  /** Why app:status failed (phase 'unreachable'). */
  loadError: string | null;
  /** The user name to preselect at login (the host's hint, then the last one used here). */
  lastUser: string | null;
  /** Counts the host's reports of work in this user's store windows (the idle lock watches it). */
  storeActivity: number;
  load(): Promise<void>;
  setupOwner(input: { username: string; password: string; displayName: string }): Promise<void>;
  login(username: string, password: string): Promise<void>;
  /** Signs out; `notice` says why on the login screen (idle lock). */
  logout(notice?: LoginNotice): Promise<void>;
  /** The host signed this console out (event): back to login without a call. */
  signedOut(notice: LoginNotice): void;
  changePassword(current: string, next: string): Promise<void>;
  updateSettings(patch: Partial<AppSettings>): Promise<AppSettings>;
  clearNotice(): void;
}

export type SessionStore = ReturnType<typeof createSessionStore>;

export function createSessionStore(client: ShopWardenClient, options: { lastUser?: string | null } = {}) {
  return createStore<SessionState>()((set, get) => {
    const loadSettings = async () => {
      try {
        set({ settings: await client.call('settings:get', {}) });
      } catch {
        set({ settings: null });
      }
    };
    const signedIn = async (session: SessionInfo) => {
      set({ session, phase: 'signed-in', notice: null, lastUser: session.user.username });
      await loadSettings();
    };
    const backToLogin = async (notice: LoginNotice | null) => {
      set({ session: null, phase: 'login', notice, settings: null });
      try {
        const status = await client.call('app:status', {});
        set({ users: status.users, phase: status.needsSetup ? 'setup' : 'login' });
      } catch {
        // the picker keeps the users it had
      }
    };
    return {
      phase: 'loading',
      session: null,
      users: [],
      settings: null,
      notice: null,
      loadError: null,
      lastUser: options.lastUser ?? null,
      storeActivity: 0,

      async load() {
        set({ phase: 'loading', loadError: null });
        try {
          const status = await client.call('app:status', {});
          set({ users: status.users });
          if (status.session) await signedIn(status.session);
          else set({ phase: status.needsSetup ? 'setup' : 'login', session: null });
        } catch (error) {
          set({ phase: 'unreachable', loadError: describeError(error) });
        }
      },

      async setupOwner(input) {
        await signedIn(await client.call('auth:setup-owner', input));
      },

      async login(username, password) {
        await signedIn(await client.call('auth:login', { username, password }));
      },

      async logout(notice) {
        try {
          await client.call('auth:logout', {});
        } catch {
          // already signed out (or the host is gone): the screen goes back to login either way
        }
        await backToLogin(notice ?? null);
      },

      signedOut(notice) {
        if (get().phase !== 'signed-in') return;
        void backToLogin(notice);
      },

      async changePassword(current, next) {
        await client.call('auth:change-password', { current, next });
      },

      async updateSettings(patch) {
        const settings = await client.call('settings:update', patch);
        set({ settings });
        return settings;
      },

      clearNotice() {
        set({ notice: null });
      },
    };
  });
}
