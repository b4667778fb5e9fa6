/** "Audit you can trust" (issue #5, F22–F26): retention, access review, alerts, signed bundles. Node only. */
export type { TrustDeps } from './deps';
export { TrustError, type TrustErrorCode, type Rejection } from './errors';
export { buildAccessReview, OTHER_MODULE, type AccessReview, type AccessReviewOptions, type AccessSuggestion, type AssignmentReview, type ModuleUsage, type StaffReview } from './access-review';
export { applySuggestion, type AppliedSuggestion, type ExpiringChoice } from './access-review-apply';
export { accessReviewCsv, accessReviewHtml } from './access-review-report';
export { AlertRules, AlertRuleKind, ALERT_RULES_SETTING, defaultAlertRules, loadAlertRules, saveAlertRules } from './alert-rules';
export { AlertEngine, evaluateAlerts, type Alert, type AlertBatch, type AlertRange, type AlertRow, type SuspendAction } from './alerts';
export { applySuspension, type SuspensionResult } from './alert-suspension';
export { runRetention, listCuts, DEFAULT_KEEP_DAYS, type RetentionOptions, type RetentionResult, type CutRecord } from './retention';
export { verifyArchive, ARCHIVE_FORMAT, type ArchiveVerdict } from './archive';
export { createOwnerKey, ownerPublicKey, unlockOwnerKey, resealOwnerKey, enrollOwnerKey, enrolledOwnerKey, type PublicKeyInfo } from './owner-key';
export { exportPolicyBundle, applyPolicyBundle, checkPolicyBundle, appliedPolicy, POLICY_BUNDLE_FORMAT, type PolicyApplyResult, type PolicyRejectionCode } from './policy-bundle';
export { machineIdentity, type MachineIdentity } from './machine-key';
export { exportLogBundle, LOG_BUNDLE_FORMAT, type LogBundleExport, type LogBundleOptions } from './log-bundle';
export { importLogBundle, checkLogBundle, enrollMachine, listMachines, type LogImportResult, type LogImportCode, type MachineInfo } from './log-bundle-import';
export { queryImported, type ImportedEvent, type ImportedFilter, type ImportedPage } from './imported-log';
export { shortFingerprint } from './keys';
