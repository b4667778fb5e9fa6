import type { Database } from 'better-sqlite3';

/**
 * What the log viewer's filters need on a large log (issue #4), created by migration 3
 * (electron/core/db/migrations/003-log-viewer.ts):
 *
 * - `audit_log_module_ts`: the module filter, like the other (column, ts) indexes of
 *   AUDIT_SCHEMA_SQL. A rarely used module no longer means walking the whole log by time.
 * - `audit_url`: a trigram index of the URLs (SQLite FTS5, external content: it stores the
 *   index only, the text stays in audit_log). It answers "which rows contain this text" for a
 *   search of 3 or more characters in milliseconds, where LIKE '%text%' reads every row. It is
 *   only ever a pre-filter: the reader still applies the exact LIKE to the rows it finds.
 *   `detail=none, columnsize=0` keep it small (about 80 bytes per row); the trigram tokenizer
 *   folds case like LIKE does for ASCII (and beyond), so every row LIKE matches is found.
 *   The AuditWriter adds each batch's URLs in the batch's own transaction (INDEX_BATCH_URLS_SQL:
 *   one statement per batch is ~6× cheaper than a trigger per row); the trigger removes the
 *   URLs of rows retention deletes, so the index always holds exactly the rows of audit_log.
 *   Rows someone edits in the file directly (outside the triggers) can be missed by a URL
 *   search; verify is what finds them.
 */
export const LOG_SEARCH_SCHEMA_SQL = `
CREATE INDEX audit_log_module_ts ON audit_log (module, ts);
CREATE VIRTUAL TABLE audit_url USING fts5(url, content = 'audit_log', content_rowid = 'id', tokenize = 'trigram', detail = none, columnsize = 0);
INSERT INTO audit_url (rowid, url) SELECT id, url FROM audit_log WHERE url IS NOT NULL;
CREATE TRIGGER audit_url_delete AFTER DELETE ON audit_log WHEN OLD.url IS NOT NULL
  BEGIN INSERT INTO audit_url (audit_url, rowid, url) VALUES ('delete', OLD.id, OLD.url); END;
`;

/** Indexes the URLs of the rows from id ? on (the batch just inserted). */
export const INDEX_BATCH_URLS_SQL = 'INSERT INTO audit_url (rowid, url) SELECT id, url FROM audit_log WHERE id >= ? AND url IS NOT NULL';

/** Whether this database has the URL index (migration 3; files opened without migrating may not). */
export function hasUrlIndex(db: Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_url'").get() !== undefined;
}

/**
 * The LIKE pattern to look `text` up in audit_url with, or null when the index cannot help:
 * the trigram index needs a run of at least 3 characters without wildcards (a shorter search
 * would make it read every entry). LIKE metacharacters of the text become `_`, which matches
 * them too, so the rows found are always a superset of the exact match (no ESCAPE needed).
 */
export function urlIndexPattern(text: string): string | null {
  const literal = text.replace(/[%_]/g, '_');
  const longestRun = Math.max(0, ...literal.split('_').map((run) => [...run].length));
  return longestRun >= 3 ? `%${literal}%` : null;
}
