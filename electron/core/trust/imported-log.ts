import type { Database } from 'better-sqlite3';
import type { AuditEvent } from '../../../shared/model/audit';
import { Timestamp } from '../../../shared/model/common';
import { toAuditEvent, type StoredRow } from '../audit/row';

/**
 * Read side of imported log bundles for the log viewer (F26): the same AuditEvent shape as the
 * local log, tagged with the machine it came from, newest first, keyset-paginated.
 */
export interface ImportedEvent extends AuditEvent {
  machineId: string;
  machineName: string;
}

export interface ImportedFilter {
  machineId?: string;
  actorId?: string;
  storeId?: string;
  kinds?: string[];
  from?: number;
  /** Exclusive. */
  to?: number;
}

/** Cursor: the last row of the previous page. */
export interface ImportedCursor {
  ts: number;
  machineId: string;
  id: number;
}

export interface ImportedPage {
  rows: ImportedEvent[];
  next: ImportedCursor | null;
}

const SELECT = `SELECT i.id, i.ts, i.kind, i.actor_id AS actorId, i.store_id AS storeId, i.url, i.method, i.module, i.decision, i.reason, i.rule_id AS ruleId,
  i.detail, i.prev_hash AS prevHash, i.hash, i.machine_id AS machineId, m.name AS machineName
  FROM imported_audit i JOIN log_machines m ON m.machine_id = i.machine_id`;

export function queryImported(db: Database, filter: ImportedFilter = {}, page: { after?: ImportedCursor; limit?: number } = {}): ImportedPage {
  const limit = page.limit ?? 200;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new RangeError('page limit must be from 1 to 1000');
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    where.push(sql);
    params.push(...values);
  };
  if (filter.machineId !== undefined) add('i.machine_id = ?', filter.machineId);
  if (filter.actorId !== undefined) add('i.actor_id = ?', filter.actorId);
  if (filter.storeId !== undefined) add('i.store_id = ?', filter.storeId);
  if (filter.kinds !== undefined && filter.kinds.length > 0) add(`i.kind IN (${filter.kinds.map(() => '?').join(', ')})`, ...filter.kinds);
  if (filter.from !== undefined) add('i.ts >= ?', filter.from);
  if (filter.to !== undefined) add('i.ts < ?', filter.to);
  if (page.after) add('(i.ts, i.machine_id, i.id) < (?, ?, ?)', page.after.ts, page.after.machineId, page.after.id);
  const sql = `${SELECT} WHERE ${where.length ? where.join(' AND ') : '1'} ORDER BY i.ts DESC, i.machine_id DESC, i.id DESC LIMIT ?`;
  const rows = db.prepare(sql).all(...params, limit + 1) as Array<StoredRow & { machineId: string; machineName: string }>;
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const shown = kept.map((r) => ({ ...toAuditEvent(r), machineId: r.machineId, machineName: r.machineName }));
  const last = kept[kept.length - 1];
  // Paging goes on from the stored time; one before 1970 (only an invalid row has it, and all
  // rows after it in this order are such) cannot be a cursor, so the viewer stops there.
  const next = more && last && Timestamp.safeParse(last.ts).success ? { ts: last.ts, machineId: last.machineId, id: last.id } : null;
  return { rows: shown, next };
}
