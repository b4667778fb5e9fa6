// What every screen needs, handed down once: the typed client, the feature stores, the host kind.
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { ShopWardenClient } from '../../shared/ipc/client';
import type { HostKind } from '../api/transport';
import type { FeatureName, FeatureStores } from '../state';

export interface Services {
  client: ShopWardenClient;
  stores: FeatureStores;
  host: HostKind;
  /** The clock the screens compare expiry times with (tests set it). */
  now: () => number;
}

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({ services, children }: { services: Services; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices outside ServicesProvider');
  return services;
}

type StateOf<N extends FeatureName> = FeatureStores[N] extends StoreApi<infer S> ? S : never;

/** Reads one feature store with a selector (re-renders when the selected value changes). */
export function useFeature<N extends FeatureName, T>(name: N, selector: (state: StateOf<N>) => T): T {
  const store = useServices().stores[name] as unknown as StoreApi<StateOf<N>>;
  return useStore<StoreApi<StateOf<N>>, T>(store, selector);
}

/** The feature store's actions and current state without subscribing (for event handlers). */
export function useFeatureApi<N extends FeatureName>(name: N): FeatureStores[N] {
  return useServices().stores[name];
}
