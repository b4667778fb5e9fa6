import type { SuspendAction } from './alerts';
import { changeEvent, type TrustDeps } from './deps';

export type SuspensionResult = { suspended: true; userId: string } | { suspended: false; reason: 'not-found' | 'not-staff' | 'already-disabled' };

/**
 * Carries out an automatic suspension (F24): suspends the staff member on this computer
 * (repos/suspensions.ts — outside the policy, so a managed staff machine's signed policy does
 * not put them back) and logs it as an owner-change row with no actor (the rule did it) naming
 * the alert. The owner lifts it by enabling the person. The caller must then do what disabling
 * does in the service: reload the policy ('disabled'), sign the person out everywhere and close
 * their stores.
 */
export function applySuspension(deps: TrustDeps, action: SuspendAction): SuspensionResult {
  const user = deps.repos.users.get(action.staffId);
  if (!user) return { suspended: false, reason: 'not-found' };
  if (user.kind !== 'staff') return { suspended: false, reason: 'not-staff' };
  if (user.disabled || !deps.repos.suspensions.add(user.id, 'alert')) return { suspended: false, reason: 'already-disabled' };
  const view = (disabled: boolean) => ({ id: user.id, username: user.username, displayName: user.displayName, kind: user.kind, disabled });
  deps.log?.(
    changeEvent(deps.clock(), null, { entity: 'staff', action: 'update', id: user.id, before: view(false), after: view(true), source: 'alert', extra: { alertId: action.alertId, rule: action.rule } }),
  );
  return { suspended: true, userId: user.id };
}
