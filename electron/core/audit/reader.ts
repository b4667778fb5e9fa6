import type { Database, Statement } from 'better-sqlite3';
import type { LogFilter } from '../../../shared/ipc/contract';
import type { AuditEvent } from '../../../shared/model/audit';
import { filterCondition, type SqlCondition } from './filter-sql';
import { STORED_ROW_SELECT, toAuditEvent, type StoredRow } from './row';

export interface LogPage {
  /** Newest first (by ts, then id). */
  rows: AuditEvent[];
  /** Pass as `beforeId` for the next page; null when this was the last one. */
  nextBeforeId: number | null;
}

export interface PageRequest {
  /** Cursor: the id of the last row of the previous page. */
  beforeId?: number;
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
const MAX_CHART_DAYS = 3660;
const STATEMENT_CACHE_LIMIT = 256;

/**
 * Read side of the operation log: filtered pages for the viewer, counts, a streaming export
 * and the per-day chart. Works on any connection (a separate read-only one is best, so a long
 * export never holds up the writer: better-sqlite3 allows no other statement on a connection
 * while an iterator is open).
 *
 * Pages are ordered newest first by (ts, id) — the order the (column, ts) indexes deliver
 * without sorting — and use keyset pagination: the cursor is the last row's id, its (ts, id)
 * is the bound for the next page.
 */
export class AuditReader {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Database) {}

  query(filter: LogFilter = {}, page: PageRequest = {}): LogPage {
    const limit = page.limit ?? 200;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new RangeError(`page limit must be an integer from 1 to 1000, got ${limit}`);
    const select = this.pageSelect(filter, page.beforeId, limit + 1);
    if (select === null) return { rows: [], nextBeforeId: null };
    const rows = this.statement(select.sql).all(...select.params) as StoredRow[];
    const more = rows.length > limit;
    const pageRows = more ? rows.slice(0, limit) : rows;
    return { rows: pageRows.map(toAuditEvent), nextBeforeId: more ? pageRows[pageRows.length - 1]!.id : null };
  }

  /** SQLite's plan for query(filter, page), one line per step: to check which index serves a filter. */
  explainQuery(filter: LogFilter = {}, page: PageRequest = {}): string[] {
    const select = this.pageSelect(filter, page.beforeId, (page.limit ?? 200) + 1);
    if (select === null) return [];
    return (this.db.prepare(`EXPLAIN QUERY PLAN ${select.sql}`).all(...select.params) as { detail: string }[]).map((step) => step.detail);
  }

  count(filter: LogFilter = {}): number {
    const where = filterCondition(filter);
    return (this.statement(`SELECT count(*) AS n FROM audit_log WHERE ${where.sql}`).get(...where.params) as { n: number }).n;
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

  /** Blocks and mutations per local day in [from, to), including days with none, oldest first. */
  dailyActivity(request: DailyActivityRequest): DayActivity[] {
    const offset = (request.utcOffsetMinutes ?? 0) * 60_000;
    if (!Number.isInteger(offset) || Math.abs(offset) > 14 * 3_600_000) throw new RangeError(`utcOffsetMinutes must be a whole number of minutes within ±14 h`);
    if (!(request.to > request.from)) return [];
    const firstDay = Math.floor((request.from + offset) / DAY_MS);
    const lastDay = Math.floor((request.to - 1 + offset) / DAY_MS);
    if (lastDay - firstDay + 1 > MAX_CHART_DAYS) throw new RangeError(`the chart covers at most ${MAX_CHART_DAYS} days`);
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
   * removed the cursor row, the page continues after the nearest older id. Null: nothing can follow.
   */
  private pageSelect(filter: LogFilter, beforeId: number | undefined, limit: number): SqlCondition | null {
    let where: SqlCondition;
    if (beforeId === undefined) {
      where = filterCondition(filter);
    } else {
      const cursor = this.statement('SELECT id, ts FROM audit_log WHERE id <= ? ORDER BY id DESC LIMIT 1').get(beforeId) as { id: number; ts: number } | undefined;
      if (!cursor) return null;
      if (filter.to !== undefined && filter.to <= cursor.ts) {
        where = filterCondition(filter); // every row before `to` already comes after the cursor
      } else {
        const after = { sql: '(ts, id) < (?, ?)', params: [cursor.ts, cursor.id] };
        where = filterCondition({ ...filter, to: undefined }, [after]);
      }
    }
    return { sql: `SELECT ${STORED_ROW_SELECT} FROM audit_log WHERE ${where.sql} ORDER BY ts DESC, id DESC LIMIT ?`, params: [...where.params, limit] };
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
