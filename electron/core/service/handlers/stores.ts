import { isDeepStrictEqual } from 'node:util';
import { getPlatform, getSite } from '../../../../shared/catalog';
import type { Platform } from '../../../../shared/catalog/schema';
import type { Store, StoreInput } from '../../../../shared/model/store';
import type { Handlers } from '../dispatch';
import { managedRefusal, ServiceError } from '../errors';
import { logChange, type ServiceDeps } from '../deps';
import { logAssignmentDeleted } from './assignments';

type StoreChannels = 'catalog:platforms' | 'stores:list' | 'stores:create' | 'stores:update' | 'stores:delete';

/** A store must name a platform and a site the catalogue knows, or the guard could not classify its pages. */
export function checkPlatformSite(platforms: readonly Platform[], platformId: string, siteId: string): void {
  const platform = getPlatform(platformId, platforms);
  if (!platform) throw new ServiceError('invalid-payload', `unknown platform "${platformId}"`, [{ path: 'platformId', message: 'unknown platform' }]);
  if (!getSite(platform, siteId))
    throw new ServiceError('invalid-payload', `platform "${platformId}" has no site "${siteId}"`, [{ path: 'siteId', message: `one of ${platform.sites.map((s) => s.id).join(', ')}` }]);
}

/**
 * A patch that only sets the password of the store's proxy, as a managed staff machine may
 * (bundles never carry one, so it is entered on each machine).
 */
function onlyProxyPassword(before: Store, patch: Partial<StoreInput>): boolean {
  const keys = Object.keys(patch);
  if (keys.length !== 1 || keys[0] !== 'proxy' || !patch.proxy || !before.proxy) return false;
  const { password: _new, ...proxy } = patch.proxy;
  const { password: _old, ...current } = before.proxy;
  return isDeepStrictEqual(proxy, current);
}

export function storeHandlers(deps: ServiceDeps): Pick<Handlers, StoreChannels> {
  const { stores, assignments } = deps.repos;
  return {
    'catalog:platforms': () => [...deps.platforms()],

    'stores:list': () => stores.list(),

    'stores:create': (req, ctx) => {
      checkPlatformSite(deps.platforms(), req.platformId, req.siteId);
      const store = stores.create(req);
      logChange(deps, ctx, 'store', 'create', store.id, null, store, store.id);
      deps.policy.reload();
      deps.hooks.emit({ type: 'policy-changed' });
      return store;
    },

    'stores:update': async (req, ctx) => {
      const before = stores.get(req.id);
      if (!before) throw new ServiceError('not-found', `store ${req.id} not found`);
      if (deps.managed.isManaged() && !onlyProxyPassword(before, req.patch)) throw managedRefusal();
      checkPlatformSite(deps.platforms(), req.patch.platformId ?? before.platformId, req.patch.siteId ?? before.siteId);
      const after = stores.update(req.id, req.patch);
      logChange(deps, ctx, 'store', 'update', after.id, before, after, after.id);
      deps.policy.reload();
      // A new proxy, user agent or language applies to a fresh session, and a store moved to
      // another platform, site or home page opens there afresh: close the open one.
      const opensAs = (s: typeof before) => JSON.stringify([s.proxy, s.userAgent, s.acceptLanguage, s.platformId, s.siteId, s.homeUrl]);
      const identityChanged = opensAs(before) !== opensAs(after);
      if (identityChanged || req.patch.proxy !== undefined) await deps.hooks.closeStore(after.id, null, 'closed');
      deps.hooks.emit({ type: 'policy-changed' });
      return after;
    },

    'stores:delete': async (req, ctx) => {
      const before = stores.get(req.id);
      if (!before) throw new ServiceError('not-found', `store ${req.id} not found`);
      // Wipe the session first: a store that is gone must not leave a logged-in profile behind.
      await deps.hooks.clearStoreData(req.id);
      // Its assignments go with it (ON DELETE CASCADE): read in the delete's transaction, so the
      // log names exactly the rows removed (the store too is read again: it may have changed meanwhile).
      const removed = deps.db.transaction(() => {
        const store = stores.get(req.id);
        if (!store) throw new ServiceError('not-found', `store ${req.id} not found`);
        const storeAssignments = assignments.listByStore(req.id);
        stores.delete(req.id);
        return { store, assignments: storeAssignments };
      })();
      for (const assignment of removed.assignments) logAssignmentDeleted(deps, ctx, assignment);
      logChange(deps, ctx, 'store', 'delete', req.id, removed.store, null, null);
      deps.policy.reload();
      deps.hooks.emit({ type: 'policy-changed' });
      return { ok: true as const };
    },
  };
}
