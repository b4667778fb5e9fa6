import { AuditEvent, type AuditKind } from '../../../shared/model/audit';
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
 * The API shape of a stored row. Rows are shown as they are, even from a tampered file (verify()
 * is what judges them), without failing the page they are on: a detail that is no longer JSON
 * comes back as { unparsableDetail: text }, and a field no log row can hold (a kind edited into
 * the file, an id that is not one…) as null or a stand-in, its stored value in
 * `detail.invalidFields` (viewable). Imported rows from other machines go through here too.
 */
export function toAuditEvent(row: StoredRow): AuditEvent {
  return viewable(storedEvent(row));
}

/** The row's values as stored, in the event's shape (exports write these, hashes and all). */
export function storedEvent(row: StoredRow): AuditEvent {
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

/** Stand-ins for fields that may not be null. */
const STAND_INS: Partial<Record<keyof AuditEvent, unknown>> = { ts: 0, kind: 'policy-error', detail: {}, prevHash: '0'.repeat(64), hash: '0'.repeat(64) };

/** The event, or, when some field is not what a log row holds, the event with each such field replaced and kept aside. */
function viewable(event: AuditEvent): AuditEvent {
  const checked = AuditEvent.safeParse(event);
  if (checked.success) return event;
  const shown: Record<string, unknown> = { ...event };
  const invalidFields: Record<string, unknown> = {};
  for (const issue of checked.error.issues) {
    const field = String(issue.path[0]) as keyof AuditEvent;
    invalidFields[field] = event[field];
    shown[field] = field in STAND_INS ? STAND_INS[field] : null;
  }
  return { ...(shown as AuditEvent), detail: { ...(shown.detail as AuditEvent['detail']), invalidFields } };
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
