import type { Database, Statement } from 'better-sqlite3';
import { LOG_DAILY_MAX_DAYS, type LogFilter } from '../../../shared/ipc/contract';
import type { AuditEvent } from '../../../shared/model/audit';
import { filterCondition, type SqlCondition } from './filter-sql';
import { STORED_ROW_SELECT, toAuditEvent, type StoredRow, type StoredRowValues } from './row';
import { hasStaffIndex, hasUrlIndex, STAFF_INDEX, URL_INDEX_MARK_SQL, urlLookups } from './search';

/** Row ids from `first` to `last`, both included. */
export interface IdRange {
  first: number;
  last: number;
}

export interface LogPage {
  /** Newest first (by ts, then id). */
  rows: AuditEvent[];
  /** Pass as `beforeId` for the next page; null when this was the last one. */
  nextBeforeId: number | null;
}

export interface PageRequest {
  /** Cursor: the id of the last row of the previous page. */
  beforeId?: number;
  /** Snapshot bound: only rows with an id up to this one (inclusive) are read; see newestId(). */
  throughId?: number;
  /** Rows per page, 1–1000. Default 200. */
  limit?: number;
}

export interface DailyActivityRequest {
  from: number;
  /** Exclusive. At most 3660 days after `from`. */
  to: number;
  /** The viewer's offset from UTC in minutes (e.g. +480 for China), so days start at local midnight. Default 0. */
  utcOffsetMinutes?: number;
}

export interface DayActivity {
  /** Local calendar date, YYYY-MM-DD. */
  day: string;
  /** Epoch ms of that day's local midnight. */
  start: number;
  /** Rows whose decision is "blocked". */
  blocks: number;
  /** Rows of kind "mutation" (mutating requests that were let through). */
  mutations: number;
}

const DAY_MS = 86_400_000;
const STATEMENT_CACHE_LIMIT = 256;
/**
 * A URL text found in few rows is looked up in the URL index and only those rows are read and
 * sorted (about 5 µs a row); a common one is matched while walking the other filters' index
 * newest first (about 0.5 µs a row), where it soon fills a page: in a log of N rows a text in
 * n of them fills a page of 200 after some 200·N/n rows. Reading the n rows costs less while
 * n < √(200·N·0.1) ≈ √(20·N): 630 rows in a 20,000-row log, 4,500 in a million. Never more
 * than URL_INDEX_MAX_ROWS, which bounds what the index route can cost.
 */
export const URL_INDEX_MAX_ROWS = 5000;
/** Rows after the URL index's mark read directly (about 0.5 µs each); further behind, URL searches walk the other filters' index. */
const URL_TAIL_MAX_ROWS = 20_000;
const urlIndexLimit = (logRows: number) => Math.min(URL_INDEX_MAX_ROWS, Math.max(100, Math.round(Math.sqrt(20 * logRows))));

/**
 * Read side of the operation log: filtered pages for the viewer, counts, a streaming export
 * and the per-day chart. Works on any connection (a separate read-only one is best, so a long
 * export never holds up the writer: better-sqlite3 allows no other statement on a connection
 * while an iterator is open).
 *
 * Pages are ordered newest first by (ts, id) — the order the (column, ts) indexes deliver
 * without sorting — and use keyset pagination: the cursor is the last row's id, its (ts, id)
 * is the bound for the next page. SQLite picks the index from its statistics (openDatabase
 * keeps them current). A URL text is looked up in the URL index (search.ts) first: when it
 * occurs in few rows, only those are read; otherwise it is matched along the walk.
 */
export class AuditReader {
  private readonly statements = new Map<string, Statement>();
  private readonly urlIndex: boolean;
  private readonly staffIndex: boolean;
  private readonly urlIndexMaxRows: number | undefined;

  /** `urlIndexMaxRows` fixes the URL index limit (tests); by default it follows the log's size. */
  constructor(
    private readonly db: Database,
    options: { urlIndexMaxRows?: number } = {},
  ) {
    this.urlIndex = hasUrlIndex(db);
    this.staffIndex = hasStaffIndex(db);
    this.urlIndexMaxRows = options.urlIndexMaxRows;
  }

  query(filter: LogFilter = {}, page: PageRequest = {}): LogPage {
    const limit = page.limit ?? 200;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new RangeError(`page limit must be an integer from 1 to 1000, got ${limit}`);
    const rows = this.snapshot(() => {
      const select = this.pageSelect(filter, page, limit + 1);
      return select === null ? [] : (this.statement(select.sql).all(...select.params) as StoredRow[]);
    });
    const more = rows.length > limit;
    const pageRows = more ? rows.slice(0, limit) : rows;
    return { rows: pageRows.map(toAuditEvent), nextBeforeId: more ? pageRows[pageRows.length - 1]!.id : null };
  }

  /** SQLite's plan for query(filter, page), one line per step: to check which index serves a filter. */
  explainQuery(filter: LogFilter = {}, page: PageRequest = {}): string[] {
    const select = this.pageSelect(filter, page, (page.limit ?? 200) + 1);
    if (select === null) return [];
    return (this.db.prepare(`EXPLAIN QUERY PLAN ${select.sql}`).all(...select.params) as { detail: string }[]).map((step) => step.detail);
  }

  /** The newest row's id (0: the log is empty): a viewer's snapshot, as `throughId` for every page it reads. */
  newestId(): number {
    return (this.statement('SELECT max(id) FROM audit_log').pluck().get() as number | null) ?? 0;
  }

  /** Every matching row counted (an export's progress total); `throughId` as in countUpTo. */
  count(filter: LogFilter = {}, throughId?: number): number {
    // Not countUpTo without a limit: a bare count(*) lets SQLite count index entries without
    // visiting rows, twice as fast on a whole log as counting a subquery's rows.
    return this.snapshot(() => {
      const { from, where } = this.source(filter, filter, throughId === undefined ? [] : [snapshotBound(throughId)]);
      return (this.statement(`SELECT count(*) AS n FROM ${from} WHERE ${where.sql}`).get(...where.params) as { n: number }).n;
    });
  }

  /**
   * The matching rows counted up to `limit`, which bounds the cost: a common URL text is
   * matched row by row, and counting all of them in a million-row log takes a third of a
   * second. `capped`: there are more than `limit` (then `count` is `limit`). `throughId`: only
   * rows up to that id, a viewer's snapshot (see PageRequest).
   */
  countUpTo(filter: LogFilter, limit: number, throughId?: number): { count: number; capped: boolean } {
    if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`count limit must be a non-negative integer, got ${limit}`);
    const n = this.snapshot(() => {
      const { from, where } = this.source(filter, filter, throughId === undefined ? [] : [snapshotBound(throughId)]);
      return (this.statement(`SELECT count(*) AS n FROM (SELECT 1 FROM ${from} WHERE ${where.sql} LIMIT ?)`).get(...where.params, limit + 1) as { n: number }).n;
    });
    return { count: Math.min(n, limit), capped: n > limit };
  }

  /**
   * Every matching row, oldest first in chain (id) order, one at a time: memory stays flat
   * however large the export. The connection is busy until the iteration ends or is abandoned
   * with `break`/return().
   */
  *iterate(filter: LogFilter = {}): Generator<AuditEvent, void, undefined> {
    const where = filterCondition(filter);
    const statement = this.statement(`SELECT ${STORED_ROW_SELECT} FROM audit_log WHERE ${where.sql} ORDER BY id`);
    for (const row of statement.iterate(...where.params) as IterableIterator<StoredRow>) yield toAuditEvent(row);
  }

  /**
   * The same rows as iterate(), as stored and as arrays (StoredRowValues): no object per row,
   * detail still JSON text. For exports, which format rows straight into text.
   */
  *iterateValues(filter: LogFilter = {}, ids?: IdRange): Generator<StoredRowValues, void, undefined> {
    const where = filterCondition(filter, ids ? [{ sql: 'id BETWEEN ? AND ?', params: [ids.first, ids.last] }] : []);
    // Its own statement: raw mode is a property of the statement, and iterate() shares the cache.
    const statement = this.db.prepare(`SELECT ${STORED_ROW_SELECT} FROM audit_log WHERE ${where.sql} ORDER BY id`).raw(true);
    yield* statement.iterate(...where.params) as IterableIterator<StoredRowValues>;
  }

  /** Ids of the first and last rows matching the filter (null: none), for splitting an export; `throughId` as in countUpTo. */
  idSpan(filter: LogFilter = {}, throughId?: number): IdRange | null {
    const where = filterCondition(filter, throughId === undefined ? [] : [{ sql: 'id <= ?', params: [throughId] }]);
    // Two queries: each stops at its first match, walking the ids from its end.
    const first = this.statement(`SELECT id FROM audit_log WHERE ${where.sql} ORDER BY id LIMIT 1`).pluck().get(...where.params) as number | undefined;
    const last = this.statement(`SELECT id FROM audit_log WHERE ${where.sql} ORDER BY id DESC LIMIT 1`).pluck().get(...where.params) as number | undefined;
    return first === undefined || last === undefined ? null : { first, last };
  }

  /** Blocks and mutations per local day in [from, to), including days with none, oldest first. */
  dailyActivity(request: DailyActivityRequest): DayActivity[] {
    const offset = (request.utcOffsetMinutes ?? 0) * 60_000;
    if (!Number.isInteger(offset) || Math.abs(offset) > 14 * 3_600_000) throw new RangeError(`utcOffsetMinutes must be a whole number of minutes within ±14 h`);
    if (!(request.to > request.from)) return [];
    const firstDay = Math.floor((request.from + offset) / DAY_MS);
    const lastDay = Math.floor((request.to - 1 + offset) / DAY_MS);
    if (lastDay - firstDay + 1 > LOG_DAILY_MAX_DAYS + 1) throw new RangeError(`the chart covers at most ${LOG_DAILY_MAX_DAYS} days`);
    const days = new Map<number, DayActivity>();
    for (let day = firstDay; day <= lastDay; day++) {
      days.set(day, { day: new Date(day * DAY_MS).toISOString().slice(0, 10), start: day * DAY_MS - offset, blocks: 0, mutations: 0 });
    }
    // Two queries, each answered from one covering index ((decision, ts) and (kind, ts)).
    // better-sqlite3 binds numbers as REAL: the CAST keeps the division an integer one.
    const perDay = (column: 'decision' | 'kind', value: string) =>
      this.statement(`SELECT (ts + CAST(? AS INTEGER)) / ${DAY_MS} AS day, count(*) AS n FROM audit_log WHERE ${column} = ? AND ts >= ? AND ts < ? GROUP BY day`).all(
        offset,
        value,
        request.from,
        request.to,
      ) as { day: number; n: number }[];
    for (const { day, n } of perDay('decision', 'blocked')) days.get(day)!.blocks = n;
    for (const { day, n } of perDay('kind', 'mutation')) days.get(day)!.mutations = n;
    return [...days.values()];
  }

  /**
   * The page SELECT. After a cursor, the cursor row's (ts, id) becomes the upper bound (and
   * replaces `to` when tighter), so the index range starts right at the cursor; if retention
   * removed the cursor row, the page continues after the nearest older id. `throughId` leaves
   * out rows logged after the snapshot (`+id`: a filter on each row, never the index to walk).
   * Null: nothing can follow.
   */
  private pageSelect(filter: LogFilter, { beforeId, throughId }: PageRequest, limit: number): SqlCondition | null {
    const snapshot: SqlCondition[] = throughId === undefined ? [] : [snapshotBound(throughId)];
    let cursorCondition: { filter: LogFilter; extra: SqlCondition[] } = { filter, extra: snapshot };
    if (beforeId !== undefined) {
      const cursor = this.statement('SELECT id, ts FROM audit_log WHERE id <= ? ORDER BY id DESC LIMIT 1').get(beforeId) as { id: number; ts: number } | undefined;
      if (!cursor) return null;
      // When every row before `to` already comes after the cursor, `to` alone is the bound.
      if (filter.to === undefined || filter.to > cursor.ts) cursorCondition = { filter: { ...filter, to: undefined }, extra: [...snapshot, { sql: '(ts, id) < (?, ?)', params: [cursor.ts, cursor.id] }] };
    }
    const { from, where } = this.source(filter, cursorCondition.filter, cursorCondition.extra);
    return { sql: `SELECT ${STORED_ROW_SELECT} FROM ${from} WHERE ${where.sql} ORDER BY ts DESC, id DESC LIMIT ?`, params: [...where.params, limit] };
  }

  /**
   * FROM and WHERE for a filter (`bounded`: the filter with its page bounds). With a URL text
   * that the URL index finds in few rows, only those rows are read (by id; NOT INDEXED keeps
   * SQLite from walking a column index instead); the exact LIKE still applies to them.
   */
  private source(filter: LogFilter, bounded: LogFilter = filter, extra: SqlCondition[] = []): { from: string; where: SqlCondition } {
    const candidates = this.urlCandidates(filter);
    if (candidates === null) {
      // The planner would sometimes walk another index; see STAFF_INDEX.
      const from = this.staffIndex && filter.actorId !== undefined ? `audit_log INDEXED BY ${STAFF_INDEX}` : 'audit_log';
      return { from, where: filterCondition(bounded, extra) };
    }
    return { from: 'audit_log NOT INDEXED', where: filterCondition(bounded, [...extra, { sql: 'id IN (SELECT value FROM json_each(?))', params: [JSON.stringify(candidates)] }]) };
  }

  /**
   * Ids of the rows whose URL may contain the filter's text (in any of its forms, see
   * urlLookups): from the URL index for the rows up to its mark, by reading the rows after it
   * (the tail the indexer has not reached yet); null when walking the other filters' index is
   * the better plan, or the only one.
   */
  private urlCandidates(filter: LogFilter): number[] | null {
    if (!this.urlIndex || filter.urlContains === undefined || filter.urlContains === '') return null;
    const lookups = urlLookups(filter.urlContains);
    if (lookups === null) return null;
    // Separate subqueries: SQLite reads max() or min() off the key only when each stands alone; together they scan every row.
    const { first, last, mark } = this.statement(`SELECT (SELECT min(id) FROM audit_log) AS first, (SELECT max(id) FROM audit_log) AS last, (${URL_INDEX_MARK_SQL}) AS mark`).get() as {
      first: number | null;
      last: number | null;
      mark: number;
    };
    if (first === null || last === null) return [];
    if (last - mark > URL_TAIL_MAX_ROWS) return null;
    // Rows in the log, near enough: ids run without gaps above the newest retention cut.
    const limit = this.urlIndexMaxRows ?? urlIndexLimit(last - first + 1);
    const ids = new Set<number>();
    for (const { index } of lookups) if (!this.collectIds(ids, `SELECT rowid FROM audit_url WHERE ${index.sql} LIMIT ?`, index.params, limit)) return null;
    for (const { tail } of lookups) if (!this.collectIds(ids, `SELECT id FROM audit_log WHERE id > ? AND ${tail.sql} LIMIT ?`, [mark, ...tail.params], limit)) return null;
    return [...ids];
  }

  /**
   * Adds the ids `sql` selects to `ids`, reading no more than would take them past `limit`.
   * False when it stopped there: there may be more than `limit` candidates (the forms of a text
   * can find the same rows, so this can be said early; walking instead is always right).
   */
  private collectIds(ids: Set<number>, sql: string, params: unknown[], limit: number): boolean {
    const room = limit + 1 - ids.size;
    const found = this.statement(sql).pluck().all(...params, room) as number[];
    for (const id of found) ids.add(id);
    return found.length < room;
  }

  /** Runs reads in one transaction, so the URL index and the rows are seen at the same instant. */
  private snapshot<T>(read: () => T): T {
    return this.db.inTransaction ? read() : this.db.transaction(read)();
  }

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= STATEMENT_CACHE_LIMIT) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/** Rows up to a viewer's snapshot (`+id`: a filter on each row, never the index to walk). */
function snapshotBound(throughId: number): SqlCondition {
  return { sql: '+id <= ?', params: [throughId] };
}
