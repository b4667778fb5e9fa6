import type { User } from '../../../shared/model/staff';
import type { SuspendAction } from './alerts';
import { changeEvent, type TrustDeps } from './deps';

export type SuspensionResult = { suspended: true; user: User } | { suspended: false; reason: 'not-found' | 'not-staff' | 'already-disabled' };

/**
 * Carries out an automatic suspension (F24): disables the staff account through the
 * repositories and logs it as an owner-change row with no actor (the rule did it) naming the
 * alert. The caller must then do what disabling does in the service: reload the policy
 * ('disabled'), sign the person out everywhere and close their stores.
 */
export function applySuspension(deps: TrustDeps, action: SuspendAction): SuspensionResult {
  const before = deps.repos.users.get(action.staffId);
  if (!before) return { suspended: false, reason: 'not-found' };
  if (before.kind !== 'staff') return { suspended: false, reason: 'not-staff' };
  if (before.disabled) return { suspended: false, reason: 'already-disabled' };
  const after = deps.repos.users.setDisabled(action.staffId, true);
  const view = (u: User) => ({ id: u.id, username: u.username, displayName: u.displayName, kind: u.kind, disabled: u.disabled });
  deps.log?.(
    changeEvent(deps.clock(), null, { entity: 'staff', action: 'update', id: after.id, before: view(before), after: view(after), source: 'alert', extra: { alertId: action.alertId, rule: action.rule } }),
  );
  return { suspended: true, user: after };
}
