import type { Handlers } from '../dispatch';
import { managedRefusal, ServiceError } from '../errors';
import { cutOffStaff, logChange, publicUser, shownUser, shownUsers, type ServiceDeps } from '../deps';
import type { User } from '../../../../shared/model/staff';

type StaffChannels = 'staff:list' | 'staff:create' | 'staff:update' | 'staff:set-disabled' | 'staff:reset-password' | 'staff:delete';

export function staffHandlers(deps: ServiceDeps): Pick<Handlers, StaffChannels> {
  const { users } = deps.repos;
  const staffMember = (id: string): User => {
    const user = users.get(id);
    if (!user || user.kind !== 'staff') throw new ServiceError('not-found', `staff member ${id} not found`);
    return user;
  };
  /**
   * On a managed staff machine the users table is the owner's signed policy: disabling someone
   * there suspends them on this computer instead, and only such a suspension can be lifted.
   * Enabling lifts a suspension by an alert rule too (F24).
   */
  const setDisabled = (user: User, disabled: boolean): void => {
    const managed = deps.managed.isManaged();
    if (disabled) {
      if (managed) deps.repos.suspensions.add(user.id, 'owner');
      else users.setDisabled(user.id, true);
      return;
    }
    if (user.disabled && managed) throw managedRefusal();
    deps.repos.suspensions.remove(user.id);
    if (user.disabled) users.setDisabled(user.id, false);
  };
  /** Closes every store of the user and signs them out everywhere, at once (F7). */
  const cutOff = (userId: string, reason: 'disabled' | 'password-reset') => cutOffStaff(deps, userId, reason);

  return {
    'staff:list': () => shownUsers(deps, users.list().filter((u) => u.kind === 'staff')),

    'staff:create': async (req, ctx) => {
      const user = await deps.auth.createStaff(req);
      logChange(deps, ctx, 'staff', 'create', user.id, null, publicUser(user));
      deps.policy.reload();
      return publicUser(user);
    },

    'staff:update': (req, ctx) => {
      const before = staffMember(req.id);
      const after = users.update(req.id, { displayName: req.displayName });
      logChange(deps, ctx, 'staff', 'update', req.id, publicUser(before), publicUser(after));
      return publicUser(after);
    },

    'staff:set-disabled': async (req, ctx) => {
      const before = staffMember(req.id);
      setDisabled(before, req.disabled);
      const after = shownUser(deps, staffMember(req.id));
      logChange(deps, ctx, 'staff', 'update', req.id, shownUser(deps, before), after);
      deps.policy.reload('disabled');
      if (req.disabled) await cutOff(req.id, 'disabled');
      deps.hooks.emit({ type: 'policy-changed' });
      return after;
    },

    'staff:reset-password': async (req, ctx) => {
      staffMember(req.id);
      await deps.auth.resetPassword(req.id, req.password);
      logChange(deps, ctx, 'staff', 'update', req.id, null, { passwordReset: true });
      await cutOff(req.id, 'password-reset');
      return { ok: true as const };
    },

    'staff:delete': async (req, ctx) => {
      const before = staffMember(req.id);
      users.delete(req.id);
      logChange(deps, ctx, 'staff', 'delete', req.id, publicUser(before), null);
      deps.policy.reload();
      await cutOff(req.id, 'disabled');
      deps.hooks.emit({ type: 'policy-changed' });
      return { ok: true as const };
    },
  };
}
