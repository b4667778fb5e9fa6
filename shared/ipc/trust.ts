import { z } from 'zod';
import { AuditEvent, AuditKind } from '../model/audit';
import { Id, Level, Timestamp, TimeZone } from '../model/common';

/**
 * Shapes of the "audit you can trust" channels (issue #5, F22–F26) as they cross IPC. The core
 * (electron/core/trust) computes them; these schemas are what the console may rely on.
 */

/** Files that cross IPC as text: a policy bundle, a log bundle (up to 200 000 rows), a public key. */
export const MAX_POLICY_BUNDLE_CHARS = 16 * 1024 * 1024;
export const MAX_LOG_BUNDLE_CHARS = 128 * 1024 * 1024;
export const MAX_PUBLIC_KEY_CHARS = 4096;

// ---- Access review (F23) ----

export const ReviewOptions = z
  .object({
    windowDays: z.number().int().min(1).max(365).default(30),
    expiringWithinDays: z.number().int().min(1).max(90).default(7),
  })
  .strict();
export type ReviewOptions = z.input<typeof ReviewOptions>;

/** The access review's name for the pages no module covers (judged against the role's "other" level). */
export const OTHER_MODULE = '(other)';

export const ModuleUsage = z.object({
  module: z.string(),
  granted: Level,
  navigations: z.number().int(),
  mutations: z.number().int(),
  lastUsed: Timestamp.nullable(),
});
export type ModuleUsage = z.infer<typeof ModuleUsage>;

export const AssignmentReview = z.object({
  assignmentId: Id,
  storeId: Id,
  storeName: z.string(),
  roleId: Id,
  roleName: z.string(),
  roleHolders: z.number().int(),
  validFrom: Timestamp.nullable(),
  validUntil: Timestamp.nullable(),
  createdAt: Timestamp,
  status: z.enum(['active', 'not-started', 'expired']),
  lastUsed: Timestamp.nullable(),
  usedInWindow: z.boolean(),
  modules: z.array(ModuleUsage),
});
export type AssignmentReview = z.infer<typeof AssignmentReview>;

const SuggestionBase = { id: z.string(), staffId: Id, storeId: Id, assignmentId: Id, roleId: Id, reason: z.string() };
export const AccessSuggestion = z.discriminatedUnion('kind', [
  z.object({ ...SuggestionBase, kind: z.literal('downgrade'), modules: z.array(z.string()) }),
  z.object({ ...SuggestionBase, kind: z.literal('revoke') }),
  z.object({ ...SuggestionBase, kind: z.literal('expiring'), validUntil: Timestamp }),
  z.object({ ...SuggestionBase, kind: z.literal('remove-expired'), validUntil: Timestamp }),
]);
export type AccessSuggestion = z.infer<typeof AccessSuggestion>;

export const StaffReview = z.object({
  staffId: Id,
  username: z.string(),
  displayName: z.string(),
  disabled: z.boolean(),
  lastActivity: Timestamp.nullable(),
  assignments: z.array(AssignmentReview),
  suggestions: z.array(AccessSuggestion),
});
export type StaffReview = z.infer<typeof StaffReview>;

export const AccessReview = z.object({
  generatedAt: Timestamp,
  windowDays: z.number().int(),
  from: z.number(),
  to: Timestamp,
  expiringWithinDays: z.number().int(),
  staff: z.array(StaffReview),
});
export type AccessReview = z.infer<typeof AccessReview>;

/** For an "expiring" suggestion: renew until a new end, or end the access now. */
export const ExpiringChoice = z.discriminatedUnion('action', [z.object({ action: z.literal('renew'), validUntil: Timestamp }).strict(), z.object({ action: z.literal('end') }).strict()]);

export const AppliedSuggestion = z.object({
  suggestionId: z.string(),
  change: z.enum(['role-updated', 'role-derived', 'assignment-deleted', 'assignment-renewed']),
  assignmentId: Id.nullable(),
  roleId: Id.nullable(),
});

// ---- Alerts (F24) ----

export const AlertRuleKind = z.enum(['block-burst', 'outside-hours', 'step-up-denied']);
export type AlertRuleKind = z.infer<typeof AlertRuleKind>;

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time like 08:30');
export const AlertRules = z
  .object({
    blockBurst: z.object({ enabled: z.boolean(), blocks: z.number().int().min(2).max(10_000), withinMinutes: z.number().int().min(1).max(1440) }).strict(),
    outsideHours: z
      .object({ enabled: z.boolean(), timeZone: TimeZone, days: z.array(z.number().int().min(0).max(6)).max(7), start: ClockTime, end: ClockTime })
      .strict()
      .refine((o) => o.start !== o.end, { message: 'start and end must differ', path: ['end'] }),
    stepUpDenied: z.object({ enabled: z.boolean(), includeDismissed: z.boolean() }).strict(),
    autoSuspend: z.array(AlertRuleKind).max(3),
  })
  .strict();
export type AlertRules = z.infer<typeof AlertRules>;

/** At most this many log rows behind an alert travel with alerts:list (rowIds lists them all). */
export const MAX_ALERT_ROWS = 50;

/** What raised an alert, for the console to word it in its own language. */
export const AlertFacts = z.discriminatedUnion('rule', [
  z.object({ rule: z.literal('block-burst'), blocks: z.number().int().positive(), withinMinutes: z.number().int().positive() }),
  z.object({
    rule: z.literal('outside-hours'),
    /** The activity that fell outside working hours. */
    kind: AuditKind,
    /** Local date and time in `timeZone` (the rule's). */
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    time: ClockTime,
    timeZone: TimeZone,
  }),
  /** The step-up-deny row's reason code (owner-password-invalid-credentials, dismissed…). */
  z.object({ rule: z.literal('step-up-denied'), reason: z.string().nullable() }),
]);
export type AlertFacts = z.infer<typeof AlertFacts>;

export const AlertInfo = z.object({
  id: z.string(),
  rule: AlertRuleKind,
  staffId: Id,
  storeId: Id.nullable(),
  at: Timestamp,
  rowIds: z.array(z.number().int().positive()),
  /** Missing only on alerts stored by older versions, which have `message` instead. */
  facts: AlertFacts.optional(),
  /** An English sentence: only alerts stored by older versions have it (shown when `facts` is missing). */
  message: z.string().optional(),
  /** The staff member was suspended automatically because of this alert. */
  suspended: z.boolean(),
  dismissed: z.boolean(),
});
export type AlertInfo = z.infer<typeof AlertInfo>;

export const AlertWithRows = AlertInfo.extend({ rows: z.array(AuditEvent) });
export type AlertWithRows = z.infer<typeof AlertWithRows>;

// ---- Retention (F22) ----

export const RetentionSettings = z.object({ keepDays: z.number().int().min(1).max(36_500) });
export type RetentionSettings = z.infer<typeof RetentionSettings>;

export const RetentionRun = z.union([
  z.object({ cut: z.literal(false), reason: z.string() }),
  z.object({
    cut: z.literal(true),
    fromId: z.number().int(),
    throughId: z.number().int(),
    rows: z.number().int(),
    headHash: z.string(),
    cutoffTs: z.number(),
    fileName: z.string(),
    archiveSha256: z.string(),
  }),
]);
export type RetentionRun = z.infer<typeof RetentionRun>;

export const ArchiveInfo = z.object({
  throughId: z.number().int(),
  throughHash: z.string(),
  cutoffTs: z.number(),
  cutAt: Timestamp,
  rowsRemoved: z.number().int(),
  archiveName: z.string(),
  archiveSha256: z.string(),
  /** The archive file is still in the archives folder. */
  present: z.boolean(),
});
export type ArchiveInfo = z.infer<typeof ArchiveInfo>;

// ---- Keys and bundles (F25, F26) ----

/** The first 16 hex digits of a key fingerprint in groups of four, for people comparing keys by eye or phone. */
export function shortFingerprint(fingerprint: string): string {
  return (fingerprint.slice(0, 16).match(/.{1,4}/g) ?? []).join(' ');
}

export const KeyInfo = z.object({ publicKeyPem: z.string(), fingerprint: z.string(), shortFingerprint: z.string() });
export type KeyInfo = z.infer<typeof KeyInfo>;

export const TrustStatus = z.object({
  /** This machine's owner key (null until the first policy export). */
  ownerKey: KeyInfo.nullable(),
  /** Staff machine: the owner key it accepts policy bundles from. */
  enrolledOwnerKey: KeyInfo.extend({ enrolledAt: Timestamp }).nullable(),
  /** Staff machine: the owner key an administrator pinned in a file (then enrolment is refused). */
  pinnedOwnerKey: KeyInfo.extend({ file: z.string() }).nullable(),
  /** Staff machine: the last policy bundle applied. */
  appliedPolicy: z.object({ version: z.number().int(), appliedAt: Timestamp }).nullable(),
  /**
   * Managed: the machine takes stores, staff, roles and assignments from signed bundles only
   * (F25); `problem` says why staff have no access at all, when so.
   */
  management: z.discriminatedUnion('managed', [
    z.object({ managed: z.literal(false) }),
    z.object({
      managed: z.literal(true),
      keySource: z.enum(['pinned-file', 'enrolled']),
      keyFile: z.string().nullable(),
      version: z.number().int().nullable(),
      problem: z.string().nullable(),
    }),
  ]),
  /** This machine's identity in log bundles. */
  machine: z.object({ machineId: z.string(), name: z.string(), fingerprint: z.string(), shortFingerprint: z.string() }),
});
export type TrustStatus = z.infer<typeof TrustStatus>;

const Counts = z.object({ stores: z.number().int(), staff: z.number().int(), roles: z.number().int(), assignments: z.number().int() });

export const PolicyRejectionCode = z.enum(['malformed', 'not-enrolled', 'wrong-key', 'bad-signature', 'stale-version', 'invalid-payload', 'conflict']);
export const PolicyApplyResult = z.union([
  z.object({ ok: z.literal(true), version: z.number().int(), fingerprint: z.string(), counts: Counts, removedStoreIds: z.array(z.string()), removedStaffIds: z.array(z.string()), newStaffIds: z.array(z.string()) }),
  z.object({ ok: z.literal(false), code: PolicyRejectionCode, reason: z.string() }),
]);
export type PolicyApplyResult = z.infer<typeof PolicyApplyResult>;

export const LogImportCode = z.enum(['malformed', 'unknown-machine', 'wrong-key', 'bad-signature', 'chain-broken', 'replay', 'out-of-order', 'fork']);
export type LogImportCode = z.infer<typeof LogImportCode>;
export const LogImportResult = z.union([
  z.object({
    ok: z.literal(true),
    machineId: z.string(),
    machineName: z.string(),
    fingerprint: z.string(),
    trustedNow: z.boolean(),
    imported: z.number().int(),
    duplicates: z.number().int(),
    fromId: z.number().int(),
    throughId: z.number().int(),
    message: z.string(),
  }),
  z.object({ ok: z.literal(false), code: LogImportCode, reason: z.string() }),
]);
export type LogImportResult = z.infer<typeof LogImportResult>;

export const MachineInfo = z.object({ machineId: z.string(), name: z.string(), fingerprint: z.string(), lastId: z.number().int().nullable(), rowCount: z.number().int() });
export type MachineInfo = z.infer<typeof MachineInfo>;

export const ImportedEvent = AuditEvent.extend({ machineId: z.string(), machineName: z.string() });
export type ImportedEvent = z.infer<typeof ImportedEvent>;
export const ImportedCursor = z.object({ ts: Timestamp, machineId: z.string().min(1).max(64), id: z.number().int().positive() }).strict();
export type ImportedCursor = z.infer<typeof ImportedCursor>;

export const ExportedFile = z.object({ path: z.string(), fileName: z.string() });
