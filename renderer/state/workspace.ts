// The signed-in person's stores (F5): what they may open, the tabs open from this console, the
// notices when the app closes one (expiry, revocation…) and step-up requests waiting (F17).
import { createStore } from 'zustand/vanilla';
import type { ShopWardenClient } from '../../shared/ipc/client';
import type { StepUpRequest, StoreNavigation, WorkspaceStore } from '../../shared/ipc/contract';
import type { AppEvent } from '../../shared/ipc/events';
import { describeError } from './errors';

export type StoreClosedReason = Extract<AppEvent, { type: 'store-closed' }>['reason'];

/** Where an open store's front page is, as its host last reported (address bar, back/forward). */
export type StoreLocation = Omit<Extract<AppEvent, { type: 'store-location' }>, 'type' | 'storeId'>;

/** A store open from this console: the host shows it as a tab (Electron) or its own window. */
export interface OpenTab {
  storeId: string;
  name: string;
  platformId: string;
  siteId: string;
  colour: string;
}

function tabOf(store: WorkspaceStore['store']): OpenTab {
  return { storeId: store.id, name: store.name, platformId: store.platformId, siteId: store.siteId, colour: store.colour };
}

export interface ClosedNotice {
  id: number;
  storeId: string;
  storeName: string | null;
  reason: StoreClosedReason;
}

export interface WorkspaceState {
  stores: WorkspaceStore[];
  loaded: boolean;
  loading: boolean;
  error: string | null;
  open: OpenTab[];
  /** The store being opened or closed right now. */
  busyStoreId: string | null;
  /** A failed open/close, per store. */
  storeErrors: Record<string, unknown>;
  notices: ClosedNotice[];
  stepUps: StepUpRequest[];
  /** The open store the browser buttons act on: the one last opened or shown from this console. */
  front: string | null;
  locations: Record<string, StoreLocation>;
  load(): Promise<void>;
  openStore(storeId: string): Promise<void>;
  closeStore(storeId: string): Promise<void>;
  navigate(storeId: string, action: StoreNavigation): Promise<void>;
  /** Electron: the console over the store tabs. */
  showConsole(): Promise<void>;
  dismissNotice(id: number): void;
  loadStepUps(): Promise<void>;
  approveStepUp(requestId: string, ownerPassword: string, minutes: number): Promise<number>;
  dismissStepUp(requestId: string): Promise<void>;
  handleEvent(event: AppEvent): void;
  reset(): void;
}

export type WorkspaceStoreApi = ReturnType<typeof createWorkspaceStore>;

let noticeSeq = 0;

export function createWorkspaceStore(client: ShopWardenClient) {
  const initial = {
    stores: [] as WorkspaceStore[],
    loaded: false,
    loading: false,
    error: null as string | null,
    open: [] as OpenTab[],
    busyStoreId: null as string | null,
    storeErrors: {} as Record<string, unknown>,
    notices: [] as ClosedNotice[],
    stepUps: [] as StepUpRequest[],
    front: null as string | null,
    locations: {} as Record<string, StoreLocation>,
  };
  return createStore<WorkspaceState>()((set, get) => {
    const storeName = (storeId: string) =>
      get().open.find((t) => t.storeId === storeId)?.name ?? get().stores.find((w) => w.store.id === storeId)?.store.name ?? null;
    const withoutError = (storeId: string) => {
      const { [storeId]: _gone, ...rest } = get().storeErrors;
      return rest;
    };
    /** State once `storeId` is no longer open: its location forgotten, another tab in front. */
    const afterClose = (storeId: string) => {
      const open = get().open.filter((t) => t.storeId !== storeId);
      const { [storeId]: _gone, ...locations } = get().locations;
      const front = get().front === storeId ? (open.at(-1)?.storeId ?? null) : get().front;
      return { open, locations, front };
    };
    return {
      ...initial,

      async load() {
        set({ loading: true, error: null });
        try {
          const stores = await client.call('workspace:stores', {});
          // A tab whose store is no longer openable stays until the host says it closed; stores
          // the host has open (a reloaded console) get their tabs back.
          // Tabs already open take the store's name, colour and site as they are now (edited by the owner).
          const known = new Set(get().open.map((t) => t.storeId));
          const current = new Map(stores.map((w) => [w.store.id, w.store]));
          const open = get().open.map((tab) => {
            const store = current.get(tab.storeId);
            return store ? tabOf(store) : tab;
          });
          const reopened = stores.filter((w) => w.open && !known.has(w.store.id)).map((w) => tabOf(w.store));
          set({ stores, loaded: true, loading: false, open: [...open, ...reopened], front: get().front ?? reopened.at(-1)?.storeId ?? null });
        } catch (error) {
          set({ loading: false, error: describeError(error) });
        }
      },

      async openStore(storeId) {
        set({ busyStoreId: storeId, storeErrors: withoutError(storeId) });
        try {
          await client.call('workspace:open-store', { storeId });
          const w = get().stores.find((x) => x.store.id === storeId)?.store;
          if (w && !get().open.some((t) => t.storeId === storeId)) set({ open: [...get().open, tabOf(w)] });
          set({ front: storeId });
        } catch (error) {
          set({ storeErrors: { ...get().storeErrors, [storeId]: error } });
        } finally {
          set({ busyStoreId: null });
        }
      },

      async closeStore(storeId) {
        set({ busyStoreId: storeId, storeErrors: withoutError(storeId) });
        try {
          await client.call('workspace:close-store', { storeId });
          set(afterClose(storeId));
        } catch (error) {
          set({ storeErrors: { ...get().storeErrors, [storeId]: error } });
        } finally {
          set({ busyStoreId: null });
        }
      },

      async navigate(storeId, action) {
        set({ storeErrors: withoutError(storeId), front: storeId });
        try {
          await client.call('workspace:navigate', { storeId, action });
        } catch (error) {
          set({ storeErrors: { ...get().storeErrors, [storeId]: error } });
        }
      },

      async showConsole() {
        await client.call('workspace:show-console', {}).catch(() => undefined);
      },

      dismissNotice(id) {
        set({ notices: get().notices.filter((n) => n.id !== id) });
      },

      async loadStepUps() {
        try {
          set({ stepUps: await client.call('stepup:pending', {}) });
        } catch {
          // not signed in any more: nothing waits
        }
      },

      async approveStepUp(requestId, ownerPassword, minutes) {
        const { until } = await client.call('stepup:approve', { requestId, ownerPassword, minutes });
        set({ stepUps: get().stepUps.filter((r) => r.id !== requestId) });
        return until;
      },

      async dismissStepUp(requestId) {
        try {
          await client.call('stepup:dismiss', { requestId });
        } finally {
          set({ stepUps: get().stepUps.filter((r) => r.id !== requestId) });
        }
      },

      handleEvent(event) {
        switch (event.type) {
          case 'step-up-needed':
            if (!get().stepUps.some((r) => r.id === event.request.id)) set({ stepUps: [...get().stepUps, event.request] });
            return;
          case 'store-location': {
            const { type: _type, storeId, ...location } = event;
            set({ locations: { ...get().locations, [storeId]: location } });
            return;
          }
          case 'store-closed': {
            const name = storeName(event.storeId);
            // Closing a tab oneself needs no notice; the app closing it does.
            const notices = event.reason === 'closed' ? get().notices : [...get().notices, { id: ++noticeSeq, storeId: event.storeId, storeName: name, reason: event.reason }];
            set({ ...afterClose(event.storeId), notices });
            if (event.reason !== 'closed') void get().load();
            return;
          }
          case 'policy-changed':
            if (get().loaded) void get().load();
            return;
          case 'signed-out':
            get().reset();
            return;
        }
      },

      reset() {
        set({ ...initial });
      },
    };
  });
}
