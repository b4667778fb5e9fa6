import type { Assignment } from '../../../../shared/model/assignment';
import type { Handlers } from '../dispatch';
import { ServiceError } from '../errors';
import { logChange, type ServiceDeps } from '../deps';
import { grantsOf } from '../../repos';
import { translateRoleFiltersBetweenSites } from '../../../../shared/catalog';
import type { Role } from '../../../../shared/model/role';
import type { Store } from '../../../../shared/model/store';
import { clipText } from '../../../../shared/text';
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
      logAssignmentDeleted(deps, ctx, before);
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
      const site = siteRoles(deps, from!);
      const copies = assignments.copyToStores(req.fromStoreId, req.toStoreIds, (a, storeId) => site.roleFor(a.roleId, stores.get(storeId)!));
      // Logged only after the commit: a role made for one store goes with the rollback when a later one fails.
      for (const role of site.created) logChange(deps, ctx, 'role', 'create', role.id, null, role);
      return written(ctx, before, copies);
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

/** The log row of a removed assignment: by this handler, or with its store or staff member (ON DELETE CASCADE). */
export function logAssignmentDeleted(deps: ServiceDeps, ctx: CallContext, assignment: Assignment): void {
  logChange(deps, ctx, 'assignment', 'delete', assignment.id, assignment, null, assignment.storeId);
}

/**
 * The role a copied assignment gets on a store of another site: the same role when nothing in it
 * names the source site's hosts, else "<role> · <SITE>" with those hosts translated
 * (translateRoleFiltersBetweenSites) — made once, reused afterwards. `roleFor` runs inside the
 * copy's transaction; the roles it made are in `created`, for the caller to log once committed.
 */
function siteRoles(deps: ServiceDeps, from: Store): { roleFor: (roleId: string, target: Store) => string; created: Role[] } {
  const { roles } = deps.repos;
  const siteOf = (store: Store) => deps.platforms().find((p) => p.id === store.platformId)?.sites.find((s) => s.id === store.siteId);
  const fromSite = siteOf(from);
  const created: Role[] = [];
  const roleFor = (roleId: string, target: Store): string => {
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
    const name = `${clipText(role.name, 70)} · ${toSite.id.toUpperCase()}`;
    const grants = { ...grantsOf(role), ...translated };
    const existing = roles.findIdentical(name, grants);
    if (existing) return existing.id;
    const description = clipText(`"${role.name}" with its ${fromSite.id} hosts translated to ${toSite.id}, made when assignments were copied to ${target.name}.`, 500);
    const made = roles.create({ name, description, template: role.template, ...grants });
    created.push(made);
    return made.id;
  };
  return { roleFor, created };
}
