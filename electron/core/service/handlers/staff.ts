import type { Handlers } from '../dispatch';
import { managedRefusal, ServiceError } from '../errors';
import { cutOffStaff, logChange, publicUser, shownUser, shownUsers, type ServiceDeps } from '../deps';
import type { User } from '../../../../shared/model/staff';
import { logAssignmentDeleted } from './assignments';

type StaffChannels = 'staff:list' | 'staff:create' | 'staff:update' | 'staff:set-disabled' | 'staff:reset-password' | 'staff:delete';

export function staffHandlers(deps: ServiceDeps): Pick<Handlers, StaffChannels> {
  const { users, assignments } = deps.repos;
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
      // Lifting the suspension and clearing disabled are one change: both are written or neither.
      // `before` is read first, as the suspension it shows is gone after the write.
      const { before, after } = deps.db.transaction(() => {
        const current = staffMember(req.id);
        const shownBefore = shownUser(deps, current);
        setDisabled(current, req.disabled);
        return { before: shownBefore, after: shownUser(deps, staffMember(req.id)) };
      })();
      logChange(deps, ctx, 'staff', 'update', req.id, before, after);
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
      // Their assignments go with them (ON DELETE CASCADE): read in the delete's transaction, so
      // the log names exactly the rows removed.
      const removed = deps.db.transaction(() => {
        const user = staffMember(req.id);
        const staffAssignments = assignments.listByStaff(req.id);
        users.delete(req.id);
        return { user, assignments: staffAssignments };
      })();
      for (const assignment of removed.assignments) logAssignmentDeleted(deps, ctx, assignment);
      logChange(deps, ctx, 'staff', 'delete', req.id, publicUser(removed.user), null);
      deps.policy.reload();
      await cutOff(req.id, 'disabled');
      deps.hooks.emit({ type: 'policy-changed' });
      return { ok: true as const };
    },
  };
}
