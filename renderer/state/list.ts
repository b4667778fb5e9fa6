// The part every owner list shares: items, loading flag, load error, and a reload that only
// refetches lists that were loaded (policy-changed events must not load every screen's data).
import type { StoreApi } from 'zustand/vanilla';
import { describeError } from './errors';

export interface ListState<T> {
  items: T[];
  loaded: boolean;
  loading: boolean;
  error: string | null;
  load(): Promise<void>;
  /** Refetches if loaded before (after a policy-changed event). */
  refresh(): Promise<void>;
}

type Setter<S> = StoreApi<S>['setState'];
type Getter<S> = StoreApi<S>['getState'];

export function listSlice<T, S extends ListState<T>>(set: Setter<S>, get: Getter<S>, fetch: () => Promise<T[]>): ListState<T> {
  let generation = 0;
  const load = async () => {
    const mine = ++generation;
    set({ loading: true, error: null } as Partial<S>);
    try {
      const items = await fetch();
      if (mine === generation) set({ items, loaded: true, loading: false } as Partial<S>);
    } catch (error) {
      if (mine === generation) set({ loading: false, error: describeError(error) } as Partial<S>);
    }
  };
  return {
    items: [],
    loaded: false,
    loading: false,
    error: null,
    load,
    refresh: async () => {
      if (get().loaded) await load();
    },
  };
}

/** Replaces the item with the same id, or appends it. */
export function upsertById<T extends { id: string }>(items: readonly T[], item: T): T[] {
  const i = items.findIndex((x) => x.id === item.id);
  return i < 0 ? [...items, item] : items.map((x, j) => (j === i ? item : x));
}
