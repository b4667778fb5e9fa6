/**
 * The operation log table. Part of migration 1 (electron/core/db). Append-only by trigger so
 * that no code path of ours edits history by mistake; the hash chain is what detects anyone
 * who edits the file directly (F21).
 */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

export const AUDIT_SCHEMA_SQL = `
CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY,
  ts        INTEGER NOT NULL,
  kind      TEXT    NOT NULL,
  actor_id  TEXT,
  store_id  TEXT,
  url       TEXT,
  method    TEXT,
  module    TEXT,
  decision  TEXT,
  reason    TEXT,
  rule_id   TEXT,
  detail    TEXT    NOT NULL DEFAULT '{}',
  prev_hash TEXT    NOT NULL,
  hash      TEXT    NOT NULL
);
CREATE INDEX audit_log_ts       ON audit_log (ts);
CREATE INDEX audit_log_actor_ts ON audit_log (actor_id, ts);
CREATE INDEX audit_log_store_ts ON audit_log (store_id, ts);
CREATE INDEX audit_log_kind_ts  ON audit_log (kind, ts);
CREATE INDEX audit_log_decision_ts ON audit_log (decision, ts);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
`;
