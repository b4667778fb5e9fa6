import { assignmentActiveAt } from '../../../../shared/model/assignment';
import type { WorkspaceStore } from '../../../../shared/ipc/contract';
import type { Store } from '../../../../shared/model/store';
import type { Handlers } from '../dispatch';
import { ServiceError } from '../errors';
import { actor, shownUser, type ServiceDeps } from '../deps';
import { decide } from '../../../../shared/policy/decide';
import { subjectOf } from '../../../../shared/policy/compile';

type WorkspaceChannels = 'workspace:stores' | 'workspace:open-store' | 'workspace:close-store' | 'workspace:navigate' | 'workspace:show-console' | 'policy:test' | 'policy:problems';

const OWNER_ROLE_NAME = 'Owner';

function withoutProxy(store: Store): WorkspaceStore['store'] {
  const { proxy: _proxy, ...rest } = store;
  return rest;
}

export function workspaceHandlers(deps: ServiceDeps): Pick<Handlers, WorkspaceChannels> {
  const { stores, assignments, roles } = deps.repos;

  /**
   * The stores this user may open now (F5): all for the owner; for staff, active assignments the
   * guard's policy holds too (a managed machine with no valid signed policy holds none).
   */
  const openable = (userId: string, kind: 'owner' | 'staff'): WorkspaceStore[] => {
    const open = new Set(deps.hooks.openStoreIds(userId));
    if (kind === 'owner') return stores.list().map((store) => ({ store: withoutProxy(store), roleName: OWNER_ROLE_NAME, validUntil: null, open: open.has(store.id) }));
    const user = deps.repos.users.get(userId);
    if (!user || shownUser(deps, user).disabled) return [];
    const now = deps.clock();
    const policy = deps.policy.policy;
    return assignments
      .listByStaff(userId)
      .filter((a) => assignmentActiveAt(a, now) && subjectOf(policy, a.storeId, userId) !== undefined)
      .flatMap((a) => {
        const store = stores.get(a.storeId);
        const role = roles.get(a.roleId);
        return store && role ? [{ store: withoutProxy(store), roleName: role.name, validUntil: a.validUntil, open: open.has(store.id) }] : [];
      });
  };

  return {
    'workspace:stores': (_req, ctx) => {
      const user = actor(ctx);
      return openable(user.id, user.kind);
    },

    'workspace:open-store': async (req, ctx) => {
      const user = actor(ctx);
      if (!openable(user.id, user.kind).some((w) => w.store.id === req.storeId))
        throw new ServiceError('forbidden', 'you are not assigned to this store, or your access has ended');
      const store = stores.getWithSecrets(req.storeId);
      if (!store) throw new ServiceError('not-found', `store ${req.storeId} not found`);
      // Logged before opening, so the row comes before the home page's navigation; an open the
      // host refuses or fails (open for someone else, no browser…) is followed by the reason.
      deps.log({ ts: deps.clock(), kind: 'store-open', actorId: user.id, storeId: store.id, url: store.homeUrl });
      try {
        await deps.hooks.openStore(store, user);
      } catch (error) {
        const detail = { error: error instanceof Error ? error.message.slice(0, 500) : String(error).slice(0, 500) };
        deps.log({ ts: deps.clock(), kind: 'store-close', actorId: user.id, storeId: store.id, reason: 'open-failed', detail });
        throw error;
      }
      return { ok: true as const };
    },

    'workspace:close-store': async (req, ctx) => {
      const user = actor(ctx);
      // Logged by the host's report of what it closed (AppCore.storeClosed), if anything was open.
      await deps.hooks.closeStore(req.storeId, user.id, 'closed');
      return { ok: true as const };
    },

    'workspace:show-console': () => {
      deps.hooks.showConsole();
      return { ok: true as const };
    },

    'workspace:navigate': async (req, ctx) => {
      const user = actor(ctx);
      const store = stores.get(req.storeId);
      if (!store || !(await deps.hooks.navigateStore(store.id, user.id, req.action, store.homeUrl)))
        throw new ServiceError('not-found', 'this store is not open for you: open it first');
      return { ok: true as const };
    },

    'policy:test': (req) => {
      const decision = decide(
        { storeId: req.storeId, userId: req.staffId, url: req.url, method: req.method, resourceType: 'mainFrame', isMainFrame: true },
        deps.policy.policy,
        deps.clock(),
      );
      return { decision };
    },

    'policy:problems': () => [...deps.policy.policy.problems],
  };
}
