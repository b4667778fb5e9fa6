/**
 * Tables of "audit you can trust" (issue #5), created by migration 2 (electron/core/db):
 * - audit_cut: one row per retention run (F22). Rows up to `through_id` were archived and
 *   deleted; the next row's prev_hash continues from `through_hash`, which is where
 *   verifyAuditChain starts walking. The delete trigger of audit_log is narrowed so that only
 *   rows at or below the newest cut can be deleted: retention first records the cut, then
 *   deletes, in one transaction.
 * - log_machines / imported_audit: log bundles imported from staff machines (F26): each
 *   machine's key (trusted on first import or enrolled explicitly), the last row imported
 *   from it, and the imported rows exactly as they were hashed on that machine.
 */
export const TRUST_SCHEMA_SQL = `
CREATE TABLE audit_cut (
  through_id     INTEGER PRIMARY KEY,
  through_hash   TEXT    NOT NULL,
  cutoff_ts      INTEGER NOT NULL,
  cut_at         INTEGER NOT NULL,
  rows_removed   INTEGER NOT NULL,
  archive_name   TEXT    NOT NULL,
  archive_sha256 TEXT    NOT NULL
) STRICT;
CREATE TRIGGER audit_cut_no_update BEFORE UPDATE ON audit_cut
  BEGIN SELECT RAISE(ABORT, 'audit_cut is append-only'); END;
CREATE TRIGGER audit_cut_no_delete BEFORE DELETE ON audit_cut
  BEGIN SELECT RAISE(ABORT, 'audit_cut is append-only'); END;

DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  WHEN OLD.id > coalesce((SELECT max(through_id) FROM audit_cut), 0)
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only (only rows archived by retention may be removed)'); END;

CREATE TABLE log_machines (
  machine_id   TEXT    PRIMARY KEY,
  name         TEXT    NOT NULL,
  public_key   TEXT    NOT NULL,
  fingerprint  TEXT    NOT NULL,
  enrolled_at  INTEGER NOT NULL,
  enrolled_how TEXT    NOT NULL CHECK (enrolled_how IN ('explicit', 'first-import')),
  last_id      INTEGER,
  last_hash    TEXT,
  row_count    INTEGER NOT NULL DEFAULT 0,
  imported_at  INTEGER
) STRICT;

CREATE TABLE imported_audit (
  machine_id  TEXT    NOT NULL REFERENCES log_machines (machine_id) ON DELETE RESTRICT,
  id          INTEGER NOT NULL,
  ts          INTEGER NOT NULL,
  kind        TEXT    NOT NULL,
  actor_id    TEXT,
  store_id    TEXT,
  url         TEXT,
  method      TEXT,
  module      TEXT,
  decision    TEXT,
  reason      TEXT,
  rule_id     TEXT,
  detail      TEXT    NOT NULL,
  prev_hash   TEXT    NOT NULL,
  hash        TEXT    NOT NULL,
  imported_at INTEGER NOT NULL,
  PRIMARY KEY (machine_id, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX imported_audit_ts       ON imported_audit (ts);
CREATE INDEX imported_audit_actor_ts ON imported_audit (actor_id, ts);
CREATE TRIGGER imported_audit_no_update BEFORE UPDATE ON imported_audit
  BEGIN SELECT RAISE(ABORT, 'imported_audit is append-only'); END;
CREATE TRIGGER imported_audit_no_delete BEFORE DELETE ON imported_audit
  BEGIN SELECT RAISE(ABORT, 'imported_audit is append-only'); END;
`;
