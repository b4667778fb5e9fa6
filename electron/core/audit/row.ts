import type { AuditEvent, AuditKind } from '../../../shared/model/audit';
import type { ChainedFields } from './canonical';

/** Column order of INSERT and of every SELECT: the chained fields, then the row's own hash. */
export const AUDIT_COLUMNS = 'id, ts, kind, actor_id, store_id, url, method, module, decision, reason, rule_id, detail, prev_hash, hash';

/** SELECT list that reads a row straight into the ChainedFields shape. */
export const STORED_ROW_SELECT =
  'id, ts, kind, actor_id AS actorId, store_id AS storeId, url, method, module, decision, reason, rule_id AS ruleId, detail, prev_hash AS prevHash, hash';

export const INSERT_ROW_SQL = `INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** A row as stored (and as read back with STORED_ROW_SELECT). */
export interface StoredRow extends ChainedFields {
  hash: string;
}

/** A row as SELECT STORED_ROW_SELECT returns it in raw (array) mode: AUDIT_COLUMNS order. */
export type StoredRowValues = [
  id: number,
  ts: number,
  kind: string,
  actorId: string | null,
  storeId: string | null,
  url: string | null,
  method: string | null,
  module: string | null,
  decision: string | null,
  reason: string | null,
  ruleId: string | null,
  detail: string,
  prevHash: string,
  hash: string,
];

export function insertValues(row: StoredRow): unknown[] {
  return [row.id, row.ts, row.kind, row.actorId, row.storeId, row.url, row.method, row.module, row.decision, row.reason, row.ruleId, row.detail, row.prevHash, row.hash];
}

/**
 * The API shape of a stored row. Rows are shown as they are, even from a tampered file: a
 * detail that is no longer JSON comes back as { unparsableDetail: text } instead of failing the
 * whole page (verify() is what judges the row).
 */
export function toAuditEvent(row: StoredRow): AuditEvent {
  return {
    id: row.id,
    ts: row.ts,
    kind: row.kind as AuditKind,
    actorId: row.actorId,
    storeId: row.storeId,
    url: row.url,
    method: row.method,
    module: row.module,
    decision: row.decision as AuditEvent['decision'],
    reason: row.reason,
    ruleId: row.ruleId,
    detail: parseDetail(row.detail),
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

export function parseDetail(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  return { unparsableDetail: String(text) };
}
