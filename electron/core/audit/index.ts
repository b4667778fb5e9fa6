/** The tamper-evident operation log (F19–F21): write, read, verify. Node only. */
export { AUDIT_GENESIS_HASH, AUDIT_SCHEMA_SQL } from './schema';
export { AUDIT_HEAD_SCHEMA_SQL, readAuditHead, type AuditHead } from './head';
export { AuditWriter, type AuditWriterOptions } from './writer';
export { AuditReader, type DailyActivityRequest, type DayActivity, type LogPage, type PageRequest } from './reader';
export { verifyAuditChain, verifyAuditChainAsync, readChainStart, type AsyncVerifyOptions, type ChainStart } from './verify';
export { redactDetail, redactUrl, REDACTED } from './redact';
export { isSecretName } from './secret-names';
export { canonicalJson, canonicalRecord, chainHash, CHAIN_FORMAT, type ChainedFields } from './canonical';
export { AuditInputError, AuditWriteError, type AuditWriteProblem } from './errors';
export { exportLog, csvCell, CSV_COLUMNS, type ExportFormat } from './export';
