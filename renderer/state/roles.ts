// Roles (F8) and the policy problems the core reports (a role that cannot compile…).
import { createStore } from 'zustand/vanilla';
import type { ShopWardenClient } from '../../shared/ipc/client';
import type { RequestOf } from '../../shared/ipc/contract';
import type { Role } from '../../shared/model/role';
import { listSlice, upsertById, type ListState } from './list';

export interface RolesState extends ListState<Role> {
  problems: string[];
  loadProblems(): Promise<void>;
  create(input: RequestOf<'roles:create'>): Promise<Role>;
  update(id: string, patch: RequestOf<'roles:update'>['patch']): Promise<Role>;
  remove(id: string): Promise<void>;
}

export function createRolesStore(client: ShopWardenClient) {
  return createStore<RolesState>()((set, get) => ({
    ...listSlice<Role, RolesState>(set, get, () => client.call('roles:list', {})),
    problems: [],
    async loadProblems() {
      try {
        set({ problems: await client.call('policy:problems', {}) });
      } catch {
        // keeps the last answer
      }
    },
    async create(input) {
      const role = await client.call('roles:create', input);
      set({ items: upsertById(get().items, role) });
      return role;
    },
    async update(id, patch) {
      const role = await client.call('roles:update', { id, patch });
      set({ items: upsertById(get().items, role) });
      return role;
    },
    async remove(id) {
      await client.call('roles:delete', { id });
      set({ items: get().items.filter((r) => r.id !== id) });
    },
  }));
}
