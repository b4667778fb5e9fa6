import type { Assignment } from '../../../../shared/model/assignment';
import type { Handlers } from '../dispatch';
import { ServiceError } from '../errors';
import { logChange, type ServiceDeps } from '../deps';
import { grantsOf } from '../../repos';
import { translateRoleFiltersBetweenSites } from '../../../../shared/catalog';
import type { Store } from '../../../../shared/model/store';
import type { CallContext } from '../context';

type AssignmentChannels = 'assignments:list' | 'assignments:upsert' | 'assignments:delete' | 'assignments:copy-to-stores' | 'assignments:apply-role';

export function assignmentHandlers(deps: ServiceDeps): Pick<Handlers, AssignmentChannels> {
  const { assignments, stores, users, roles } = deps.repos;
  const requireStaff = (id: string) => {
    const user = users.get(id);
    if (!user || user.kind !== 'staff') throw new ServiceError('not-found', `staff member ${id} not found`, [{ path: 'staffId', message: 'not found' }]);
  };
  const requireRole = (id: string) => {
    if (!roles.get(id)) throw new ServiceError('not-found', `role ${id} not found`, [{ path: 'roleId', message: 'not found' }]);
  };
  const requireStores = (ids: readonly string[], path: string) => {
    const found = ids.map((id) => stores.get(id));
    const missing = ids.filter((_, i) => !found[i]);
    if (missing.length > 0) throw new ServiceError('not-found', `store(s) not found: ${missing.join(', ')}`, [{ path, message: 'not found' }]);
    return found.map((s) => s!);
  };
  /** Logs each written assignment against what it replaced, then recompiles (closing lost access). */
  const written = (ctx: CallContext, before: Map<string, Assignment | null>, after: Assignment[]) => {
    for (const a of after) logChange(deps, ctx, 'assignment', before.get(`${a.staffId}/${a.storeId}`) ? 'update' : 'create', a.id, before.get(`${a.staffId}/${a.storeId}`) ?? null, a, a.storeId);
    deps.policy.reload();
    deps.hooks.emit({ type: 'policy-changed' });
    return after;
  };
  const snapshot = (pairs: { staffId: string; storeId: string }[]) => new Map(pairs.map((p) => [`${p.staffId}/${p.storeId}`, assignments.getFor(p.staffId, p.storeId)]));

  return {
    'assignments:list': (req) => {
      const all = req.storeId ? assignments.listByStore(req.storeId) : req.staffId ? assignments.listByStaff(req.staffId) : assignments.list();
      return all.filter((a) => (!req.staffId || a.staffId === req.staffId) && (!req.storeId || a.storeId === req.storeId));
    },

    'assignments:upsert': (req, ctx) => {
      requireStaff(req.staffId);
      requireRole(req.roleId);
      requireStores([req.storeId], 'storeId');
      const before = snapshot([req]);
      return written(ctx, before, [assignments.upsert(req)])[0]!;
    },

    'assignments:delete': (req, ctx) => {
      const before = assignments.get(req.id);
      if (!before) throw new ServiceError('not-found', `assignment ${req.id} not found`);
      assignments.delete(req.id);
      logChange(deps, ctx, 'assignment', 'delete', req.id, before, null, before.storeId);
      deps.policy.reload();
      deps.hooks.emit({ type: 'policy-changed' });
      return { ok: true as const };
    },

    // F10: roles name hosts through the site's keys ({seller}), so the same role means the same
    // pages on every site of a platform; one that names a site's hosts literally gets a copy for
    // the other site (siteRoles). Copying across platforms would not mean the same, and is refused.
    'assignments:copy-to-stores': (req, ctx) => {
      const [from] = requireStores([req.fromStoreId], 'fromStoreId');
      const targets = requireStores(req.toStoreIds, 'toStoreIds');
      const foreign = targets.filter((s) => s.platformId !== from!.platformId);
      if (foreign.length > 0)
        throw new ServiceError('invalid-payload', `only stores of the same platform (${from!.platformId}) can share assignments: ${foreign.map((s) => s.name).join(', ')}`, [
          { path: 'toStoreIds', message: 'other platform' },
        ]);
      const sources = assignments.listByStore(req.fromStoreId);
      const before = snapshot(targets.flatMap((t) => sources.map((a) => ({ staffId: a.staffId, storeId: t.id }))));
      const roleFor = siteRoles(deps, ctx, from!);
      return written(ctx, before, assignments.copyToStores(req.fromStoreId, req.toStoreIds, (a, storeId) => roleFor(a.roleId, stores.get(storeId)!)));
    },

    'assignments:apply-role': (req, ctx) => {
      requireStaff(req.staffId);
      requireRole(req.roleId);
      requireStores(req.storeIds, 'storeIds');
      const before = snapshot(req.storeIds.map((storeId) => ({ staffId: req.staffId, storeId })));
      return written(ctx, before, assignments.applyRole(req.staffId, req.roleId, req.storeIds, { validUntil: req.validUntil, ...(req.scope ? { scope: req.scope } : {}) }));
    },
  };
}

/**
 * The role a copied assignment gets on a store of another site: the same role when nothing in it
 * names the source site's hosts, else "<role> · <SITE>" with those hosts translated
 * (translateRoleFiltersBetweenSites) — made once and logged, reused afterwards.
 */
function siteRoles(deps: ServiceDeps, ctx: CallContext, from: Store): (roleId: string, target: Store) => string {
  const { roles } = deps.repos;
  const siteOf = (store: Store) => deps.platforms().find((p) => p.id === store.platformId)?.sites.find((s) => s.id === store.siteId);
  const fromSite = siteOf(from);
  return (roleId, target) => {
    const toSite = siteOf(target);
    const role = roles.get(roleId);
    if (!role || !fromSite || !toSite || fromSite.id === toSite.id) return roleId;
    let translated;
    try {
      translated = translateRoleFiltersBetweenSites(role, fromSite, toSite);
    } catch (error) {
      throw new ServiceError('invalid-payload', `role "${role.name}" cannot be copied to ${target.name}: ${(error as Error).message}`, [{ path: 'toStoreIds', message: 'hosts not translatable' }]);
    }
    if (translated === null) return roleId;
    const name = `${role.name.slice(0, 70)} · ${toSite.id.toUpperCase()}`;
    const grants = { ...grantsOf(role), ...translated };
    const existing = roles.findIdentical(name, grants);
    if (existing) return existing.id;
    const description = `"${role.name}" with its ${fromSite.id} hosts translated to ${toSite.id}, made when assignments were copied to ${target.name}.`.slice(0, 500);
    const created = roles.create({ name, description, template: role.template, ...grants });
    logChange(deps, ctx, 'role', 'create', created.id, null, created);
    return created.id;
  };
}
