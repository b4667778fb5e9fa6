import type { Database } from 'better-sqlite3';

/**
 * The chain's anchored head: last row id, its hash and the row count, kept in a one-row table
 * and updated in the same transaction as every batch. Without it, deleting the newest rows
 * would leave a shorter chain that still verifies. Part of migration 1, next to
 * AUDIT_SCHEMA_SQL.
 */
export const AUDIT_HEAD_SCHEMA_SQL = `
CREATE TABLE audit_head (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  last_id   INTEGER NOT NULL,
  last_hash TEXT    NOT NULL,
  row_count INTEGER NOT NULL
);
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
  BEGIN SELECT RAISE(ABORT, 'audit_head is never deleted'); END;
`;

export interface AuditHead {
  lastId: number;
  hash: string;
  rows: number;
}

export const SELECT_HEAD_SQL = 'SELECT last_id AS lastId, last_hash AS hash, row_count AS rows FROM audit_head WHERE id = 1';

export const UPSERT_HEAD_SQL = `
INSERT INTO audit_head (id, last_id, last_hash, row_count) VALUES (1, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash, row_count = excluded.row_count`;

export function readAuditHead(db: Database): AuditHead | null {
  return (db.prepare(SELECT_HEAD_SQL).get() as AuditHead | undefined) ?? null;
}

export function sameHead(a: AuditHead | null, b: AuditHead | null): boolean {
  if (a === null || b === null) return a === b;
  return a.lastId === b.lastId && a.hash === b.hash && a.rows === b.rows;
}
