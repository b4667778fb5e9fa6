// Staff accounts (F7): one per person; disabling one closes their sessions at once (core).
import { createStore } from 'zustand/vanilla';
import type { ShopWardenClient } from '../../shared/ipc/client';
import type { PublicUser, RequestOf } from '../../shared/ipc/contract';
import { listSlice, upsertById, type ListState } from './list';

export interface StaffState extends ListState<PublicUser> {
  create(input: RequestOf<'staff:create'>): Promise<PublicUser>;
  rename(id: string, displayName: string): Promise<PublicUser>;
  setDisabled(id: string, disabled: boolean): Promise<PublicUser>;
  resetPassword(id: string, password: string): Promise<void>;
  remove(id: string): Promise<void>;
}

export function createStaffStore(client: ShopWardenClient) {
  return createStore<StaffState>()((set, get) => {
    const put = (user: PublicUser) => {
      set({ items: upsertById(get().items, user) });
      return user;
    };
    return {
      ...listSlice<PublicUser, StaffState>(set, get, () => client.call('staff:list', {})),
      create: async (input) => put(await client.call('staff:create', input)),
      rename: async (id, displayName) => put(await client.call('staff:update', { id, displayName })),
      setDisabled: async (id, disabled) => put(await client.call('staff:set-disabled', { id, disabled })),
      async resetPassword(id, password) {
        await client.call('staff:reset-password', { id, password });
      },
      async remove(id) {
        await client.call('staff:delete', { id });
        set({ items: get().items.filter((u) => u.id !== id) });
      },
    };
  });
}
