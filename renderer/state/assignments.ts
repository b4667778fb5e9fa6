// Assignments (F9, F10): staff × store × role with a validity window and scope values.
import { createStore } from 'zustand/vanilla';
import type { ShopWardenClient } from '../../shared/ipc/client';
import type { RequestOf } from '../../shared/ipc/contract';
import type { Assignment } from '../../shared/model/assignment';
import { listSlice, upsertById, type ListState } from './list';

export interface AssignmentsState extends ListState<Assignment> {
  upsert(input: RequestOf<'assignments:upsert'>): Promise<Assignment>;
  remove(id: string): Promise<void>;
  copyToStores(fromStoreId: string, toStoreIds: string[]): Promise<Assignment[]>;
  applyRole(input: RequestOf<'assignments:apply-role'>): Promise<Assignment[]>;
}

export function createAssignmentsStore(client: ShopWardenClient) {
  return createStore<AssignmentsState>()((set, get) => {
    const merge = (written: Assignment[]) => {
      set({ items: written.reduce((items, a) => upsertById(items, a), get().items) });
      return written;
    };
    return {
      ...listSlice<Assignment, AssignmentsState>(set, get, () => client.call('assignments:list', {})),
      upsert: async (input) => merge([await client.call('assignments:upsert', input)])[0]!,
      async remove(id) {
        await client.call('assignments:delete', { id });
        set({ items: get().items.filter((a) => a.id !== id) });
      },
      copyToStores: async (fromStoreId, toStoreIds) => merge(await client.call('assignments:copy-to-stores', { fromStoreId, toStoreIds })),
      applyRole: async (input) => merge(await client.call('assignments:apply-role', input)),
    };
  });
}
