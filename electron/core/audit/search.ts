import type { Database } from 'better-sqlite3';
import { urlLike, urlSearchForms, type SqlCondition } from './filter-sql';

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
 *   A search looks each of its forms up (urlLookups; urlSearchForms in filter-sql.ts).
 *   Indexing a URL costs about as much as writing its row, so it is kept off the write path:
 *   the index holds the rows up to `audit_url_mark.last_id`, and the AuditWriter's UrlIndexer
 *   (url-indexer.ts) moves the mark forward in idle time, a few hundred rows per turn of the
 *   event loop. The reader checks the rows after the mark (the tail) directly, so a search is
 *   exact however far behind the index is. The trigger removes the URLs of indexed rows that
 *   retention deletes. Rows someone edits in the file directly (outside the triggers) can be
 *   missed by a URL search; verify is what finds them.
 */
export const LOG_SEARCH_SCHEMA_SQL = `
CREATE INDEX audit_log_module_ts ON audit_log (module, ts);
CREATE VIRTUAL TABLE audit_url USING fts5(url, content = 'audit_log', content_rowid = 'id', tokenize = 'trigram', detail = none, columnsize = 0);
CREATE TABLE audit_url_mark (id INTEGER PRIMARY KEY CHECK (id = 1), last_id INTEGER NOT NULL);
INSERT INTO audit_url (rowid, url) SELECT id, url FROM audit_log WHERE url IS NOT NULL;
INSERT INTO audit_url_mark (id, last_id) VALUES (1, coalesce((SELECT max(id) FROM audit_log), 0));
CREATE TRIGGER audit_url_delete AFTER DELETE ON audit_log WHEN OLD.url IS NOT NULL AND OLD.id <= (SELECT last_id FROM audit_url_mark)
  BEGIN INSERT INTO audit_url (audit_url, rowid, url) VALUES ('delete', OLD.id, OLD.url); END;
`;

/**
 * The staff filter's index (migration 4), replacing `(actor_id, ts)`: after the page order it
 * carries the other filters' columns, so a staff member's rows are checked against module,
 * kind, decision and store inside the index and only the rows that pass are read from the
 * table. A busy staff member has some 60,000 rows in a million-row log, of which a filter like
 * "orders mutations" keeps 3,000: about 7 ms instead of 35–90 ms for a first page, at no
 * measurable cost to the writer. SQLite's planner does not credit those in-index checks and may
 * walk the kind or module index instead, so the reader names this index whenever a staff
 * member is filtered on (AuditReader.source).
 */
export const STAFF_INDEX = 'audit_log_actor_ts_filters';

export const STAFF_INDEX_SCHEMA_SQL = `
DROP INDEX audit_log_actor_ts;
CREATE INDEX ${STAFF_INDEX} ON audit_log (actor_id, ts, module, kind, decision, store_id);
`;

/** The id of the newest row whose URL is in the index. */
export const URL_INDEX_MARK_SQL = 'SELECT last_id FROM audit_url_mark WHERE id = 1';

/** Whether this database has the URL index (migration 3; files opened without migrating may not). */
export function hasUrlIndex(db: Database): boolean {
  return hasSchemaObject(db, 'table', 'audit_url');
}

/** Whether this database has the staff filter's index (migration 4). */
export function hasStaffIndex(db: Database): boolean {
  return hasSchemaObject(db, 'index', STAFF_INDEX);
}

function hasSchemaObject(db: Database, type: 'table' | 'index', name: string): boolean {
  return db.prepare('SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?').get(type, name) !== undefined;
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

/**
 * How the reader finds the rows whose URL may contain `text` in any of its forms
 * (urlSearchForms), one lookup per form: `index`, a condition on audit_url (up to the mark);
 * `tail`, one on audit_log (the rows after it). Null when some form cannot be looked up, so
 * that only walking the log would find all its rows. The text as typed is looked up as it
 * always was (urlIndexPattern). A percent-encoded form has a literal '%' every third character,
 * which a LIKE without ESCAPE (the only kind the index serves) takes for a wildcard, leaving no
 * run of 3 to look up; it is found by its trigrams instead (urlIndexMatch) and, in the tail, by
 * its exact LIKE.
 */
export function urlLookups(text: string): { index: SqlCondition; tail: SqlCondition }[] | null {
  const [typed, ...encoded] = urlSearchForms(text);
  const pattern = urlIndexPattern(typed!);
  if (pattern === null) return null;
  const like = { sql: 'url LIKE ?', params: [pattern] };
  const lookups: { index: SqlCondition; tail: SqlCondition }[] = [{ index: like, tail: like }];
  for (const form of encoded) {
    const match = urlIndexMatch(form);
    if (match === null) return null;
    lookups.push({ index: { sql: 'audit_url MATCH ?', params: [match] }, tail: urlLike(form) });
  }
  return lookups;
}

/**
 * An FTS5 query for the rows whose URL contains every trigram of `text` (null: fewer than 3
 * characters): a superset of the rows that contain `text`, case folded like the LIKE lookup.
 * Each trigram is its own quoted term, ANDed: with detail=none FTS5 has no phrase queries.
 */
export function urlIndexMatch(text: string): string | null {
  const chars = [...text];
  const trigrams = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) trigrams.add(chars.slice(i, i + 3).join(''));
  if (trigrams.size === 0) return null;
  return [...trigrams].map((trigram) => `"${trigram.replace(/"/g, '""')}"`).join(' AND ');
}
