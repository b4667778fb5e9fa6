import type { Platform } from '../../../../shared/catalog/schema';
import type { RoleInput } from '../../../../shared/model/role';
import { filterProblem } from '../../../../shared/policy/filter-problem';
import type { IpcError } from '../../../../shared/ipc/result';
import type { Handlers } from '../dispatch';
import { ServiceError } from '../errors';
import { logChange, type ServiceDeps } from '../deps';

type RoleChannels = 'roles:list' | 'roles:create' | 'roles:update' | 'roles:delete';

/**
 * Every filter of a role must parse for every site it may be used on (F13), and every module it
 * names must exist in some platform: a typo would otherwise silently grant or deny nothing.
 */
export function roleProblems(role: Partial<RoleInput>, platforms: readonly Platform[]): IpcError['issues'] {
  const issues: IpcError['issues'] = [];
  const check = (text: string, path: string) => {
    const problem = filterProblem(text, platforms);
    if (problem !== null) issues.push({ path, message: problem });
  };
  role.rules?.forEach((r, i) => check(r.filter, `rules.${i}.filter`));
  role.stepUp?.forEach((f, i) => check(f, `stepUp.${i}`));
  const moduleIds = new Set(platforms.flatMap((p) => p.modules.map((m) => m.id)));
  for (const id of Object.keys(role.levels ?? {})) if (!moduleIds.has(id)) issues.push({ path: `levels.${id}`, message: `no platform has a module "${id}"` });
  const ruleIds = role.rules?.map((r) => r.id) ?? [];
  ruleIds.forEach((id, i) => {
    if (ruleIds.indexOf(id) !== i) issues.push({ path: `rules.${i}.id`, message: `duplicate rule id "${id}"` });
  });
  return issues;
}

export function roleHandlers(deps: ServiceDeps): Pick<Handlers, RoleChannels> {
  const { roles } = deps.repos;
  const validate = (role: Partial<RoleInput>) => {
    const issues = roleProblems(role, deps.platforms());
    if (issues.length > 0) throw new ServiceError('invalid-payload', `the role has ${issues.length} problem(s): ${issues[0]!.path}: ${issues[0]!.message}`, issues);
  };
  const changed = () => {
    deps.policy.reload();
    deps.hooks.emit({ type: 'policy-changed' });
  };
  return {
    'roles:list': () => roles.list(),

    'roles:create': (req, ctx) => {
      validate(req);
      const role = roles.create(req);
      logChange(deps, ctx, 'role', 'create', role.id, null, role);
      changed();
      return role;
    },

    'roles:update': (req, ctx) => {
      const before = roles.get(req.id);
      if (!before) throw new ServiceError('not-found', `role ${req.id} not found`);
      validate(req.patch);
      const after = roles.update(req.id, req.patch);
      logChange(deps, ctx, 'role', 'update', req.id, before, after);
      changed();
      return after;
    },

    'roles:delete': (req, ctx) => {
      const before = roles.get(req.id);
      if (!before) throw new ServiceError('not-found', `role ${req.id} not found`);
      const inUse = roles.countAssignments(req.id);
      if (inUse > 0) throw new ServiceError('conflict', `the role is assigned ${inUse} time(s); change those assignments first`);
      roles.delete(req.id);
      logChange(deps, ctx, 'role', 'delete', req.id, before, null);
      changed();
      return { ok: true as const };
    },
  };
}
