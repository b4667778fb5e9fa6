// One zustand store per feature, made for one client (tests give each render its own).
import type { ShopWardenClient } from '../../shared/ipc/client';
import type { AppEvent } from '../../shared/ipc/events';
import { createAssignmentsStore } from './assignments';
import { createAuditStore } from './audit';
import { createLogStore } from './log';
import { createRolesStore } from './roles';
import { createSessionStore, type LoginNotice } from './session';
import { createStaffStore } from './staff';
import { createStoresStore } from './stores';
import { createWorkspaceStore } from './workspace';

export function createFeatureStores(client: ShopWardenClient, options: { lastUser?: string | null; logPageSize?: number } = {}) {
  return {
    session: createSessionStore(client, { lastUser: options.lastUser ?? null }),
    workspace: createWorkspaceStore(client),
    stores: createStoresStore(client),
    staff: createStaffStore(client),
    roles: createRolesStore(client),
    assignments: createAssignmentsStore(client),
    log: createLogStore(client, { pageSize: options.logPageSize }),
    audit: createAuditStore(client),
  };
}

export type FeatureStores = ReturnType<typeof createFeatureStores>;
export type FeatureName = keyof FeatureStores;

const SIGNED_OUT_NOTICE: Record<Extract<AppEvent, { type: 'signed-out' }>['reason'], LoginNotice> = {
  disabled: 'signed-out-disabled',
  'password-reset': 'signed-out-password-reset',
  logout: 'signed-out',
};

/** Routes an event the host pushed to the stores it concerns. */
export function routeEvent(stores: FeatureStores, event: AppEvent): void {
  stores.workspace.getState().handleEvent(event);
  switch (event.type) {
    case 'policy-changed':
      void stores.stores.getState().refresh();
      void stores.staff.getState().refresh();
      void stores.roles.getState().refresh();
      void stores.assignments.getState().refresh();
      if (stores.session.getState().session?.user.kind === 'owner') void stores.roles.getState().loadProblems();
      return;
    case 'log-export-progress':
      if (stores.log.getState().exporting) stores.log.setState({ exportProgress: { rows: event.rows, total: event.total } });
      return;
    case 'alert-raised':
      stores.audit.getState().alertRaised(event.alert);
      return;
    case 'store-activity':
      stores.session.setState((state) => ({ storeActivity: state.storeActivity + 1 }));
      return;
    case 'signed-out':
      stores.session.getState().signedOut(SIGNED_OUT_NOTICE[event.reason]);
      return;
    default:
      return;
  }
}

/** Back to the empty state after a sign-out: the next person at the screen sees nothing of the last one's data. */
export function resetFeatureStores(stores: FeatureStores): void {
  for (const name of ['workspace', 'stores', 'staff', 'roles', 'assignments', 'log', 'audit'] as const) {
    const store = stores[name] as { setState(state: unknown, replace: true): void; getInitialState(): unknown };
    store.setState(store.getInitialState(), true);
  }
}
