import { AlertRules } from '../../../shared/ipc/trust';
import type { SettingsRepo } from '../repos/settings';

/**
 * Alert rules (F24), kept in settings under ALERT_RULES_SETTING:
 * - blockBurst: `blocks` blocked requests by one staff member within `withinMinutes`;
 * - outsideHours: any activity of a staff member outside the working days and hours, in the
 *   given IANA time zone (an overnight shift such as 22:00–06:00 is allowed: end before start);
 * - stepUpDenied: a step-up approval that failed (wrong owner password…); requests the staff
 *   member dismissed themselves only when `includeDismissed`.
 * `autoSuspend` lists the rules whose alerts also suspend the staff member.
 */
export const ALERT_RULES_SETTING = 'trust.alert-rules';

// One schema for the rules, the contract's: what the console may send is what the core keeps.
export { AlertRuleKind, AlertRules } from '../../../shared/ipc/trust';

export function defaultAlertRules(timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone): AlertRules {
  return {
    blockBurst: { enabled: true, blocks: 10, withinMinutes: 5 },
    outsideHours: { enabled: false, timeZone, days: [1, 2, 3, 4, 5], start: '08:00', end: '20:00' },
    stepUpDenied: { enabled: true, includeDismissed: false },
    autoSuspend: [],
  };
}

export function loadAlertRules(settings: SettingsRepo): AlertRules {
  return settings.get(ALERT_RULES_SETTING, AlertRules) ?? defaultAlertRules();
}

/** Validates (throws ZodError naming the field) and stores; answers the stored rules. */
export function saveAlertRules(settings: SettingsRepo, rules: unknown): AlertRules {
  const parsed = AlertRules.parse(rules);
  settings.set(ALERT_RULES_SETTING, parsed);
  return parsed;
}
