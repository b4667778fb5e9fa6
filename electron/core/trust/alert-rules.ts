import { z } from 'zod';
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

export const AlertRuleKind = z.enum(['block-burst', 'outside-hours', 'step-up-denied']);
export type AlertRuleKind = z.infer<typeof AlertRuleKind>;

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time like 08:30');

export const TimeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone such as Asia/Shanghai');

export const AlertRules = z.object({
  blockBurst: z.object({ enabled: z.boolean(), blocks: z.number().int().min(2).max(10_000), withinMinutes: z.number().int().min(1).max(1440) }),
  outsideHours: z
    .object({
      enabled: z.boolean(),
      timeZone: TimeZone,
      /** Working days, 0 = Sunday … 6 = Saturday (the day the shift starts on). */
      days: z.array(z.number().int().min(0).max(6)).max(7),
      start: ClockTime,
      end: ClockTime,
    })
    .refine((o) => o.start !== o.end, { message: 'start and end must differ', path: ['end'] }),
  stepUpDenied: z.object({ enabled: z.boolean(), includeDismissed: z.boolean() }),
  autoSuspend: z.array(AlertRuleKind).max(3),
});
export type AlertRules = z.infer<typeof AlertRules>;

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
