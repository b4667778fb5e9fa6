// The owner's store registry (F1, F3) and the platform catalogues stores are made from (F12).
import { createStore } from 'zustand/vanilla';
import { BUILTIN_PLATFORMS } from '../../shared/catalog';
import type { Platform } from '../../shared/catalog/schema';
import type { ShopWardenClient } from '../../shared/ipc/client';
import type { RequestOf } from '../../shared/ipc/contract';
import type { Store } from '../../shared/model/store';
import { listSlice, upsertById, type ListState } from './list';

export interface StoresState extends ListState<Store> {
  /** The catalogues the service knows (built-in and custom); the built-in ones until loaded. */
  platforms: readonly Platform[];
  platformsLoaded: boolean;
  loadPlatforms(): Promise<void>;
  create(input: RequestOf<'stores:create'>): Promise<Store>;
  update(id: string, patch: RequestOf<'stores:update'>['patch']): Promise<Store>;
  remove(id: string): Promise<void>;
}

export function createStoresStore(client: ShopWardenClient) {
  return createStore<StoresState>()((set, get) => ({
    ...listSlice<Store, StoresState>(set, get, () => client.call('stores:list', {})),
    platforms: BUILTIN_PLATFORMS,
    platformsLoaded: false,
    async loadPlatforms() {
      if (get().platformsLoaded) return;
      try {
        set({ platforms: await client.call('catalog:platforms', {}), platformsLoaded: true });
      } catch {
        // the built-in catalogues stay
      }
    },
    async create(input) {
      const store = await client.call('stores:create', input);
      set({ items: upsertById(get().items, store) });
      return store;
    },
    async update(id, patch) {
      const store = await client.call('stores:update', { id, patch });
      set({ items: upsertById(get().items, store) });
      return store;
    },
    async remove(id) {
      await client.call('stores:delete', { id });
      set({ items: get().items.filter((s) => s.id !== id) });
    },
  }));
}
