import type { Database } from 'better-sqlite3';
import type { ChainVerdict } from '../../../shared/model/audit';
import type { StoredRow } from './row';
import type { ChainStart } from './verify';

type Broken = Extract<ChainVerdict, { intact: false }>;

/** A row of audit_cut (migration 2), written by retention in the transaction that deletes. */
export interface CutRow extends ChainStart {
  cutoffTs: number;
  cutAt: number;
  rowsRemoved: number;
  archiveName: string;
  archiveSha256: string;
}

export function hasCutTable(db: Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'audit_cut'").get() !== undefined;
}

/** Every retention cut, oldest first (one row per retention run: a few hundred at most). */
export function readCuts(db: Database): CutRow[] {
  if (!hasCutTable(db)) return [];
  return db
    .prepare(
      `SELECT through_id AS throughId, through_hash AS throughHash, cutoff_ts AS cutoffTs, cut_at AS cutAt, rows_removed AS rowsRemoved,
              archive_name AS archiveName, archive_sha256 AS archiveSha256 FROM audit_cut ORDER BY through_id`,
    )
    .all() as CutRow[];
}

/**
 * Confirms the retention cuts (audit_cut) against the log itself. An audit_cut row alone proves
 * nothing: with the sqlite3 shell and no hashing at all, anyone could drop the delete trigger,
 * insert a cut copying some row's hash, delete every row up to it, and the chain would verify
 * from that "anchor". So a cut is believed only when the chained log says retention made it:
 * with its cut, runRetention (electron/core/trust/retention.ts) writes an owner-change
 * row — entity 'audit-log', action 'delete', source 'retention', before { fromId, throughId,
 * rows }, and headHash, archive, archiveSha256, cutoffTs, at ts = the cut's cut_at — whose
 * fields must all agree with the cut. Its format has not changed since audit_cut exists
 * (keptUnexported was added later and is not compared), so older databases verify the same.
 *
 * - The newest cut, where the walk starts, must be confirmed by such a row. That row always
 *   remains: it is appended after every row the cut kept, and only a later cut could archive
 *   it, which would then be the newest.
 * - Every retention row the remaining log holds must match its cut exactly, so audit_cut can
 *   be neither edited nor given an extra cut just below one the log describes. An older cut
 *   whose row a later cut has archived cannot be checked here (its row is in that archive).
 *
 * Limits, stated plainly: the chain is unkeyed. Someone who computes SHA-256 can still rewrite
 * every row after a forged cut, forge a retention row to match and move audit_head; this only
 * raises the bar from "edit the file with the sqlite3 shell" to "re-hash the chain".
 *
 * Timing: retention writes that row in the very transaction that records the cut and deletes
 * the rows (AuditWriter.appendInTransaction), so no crash can leave a cut without its record.
 * Cuts made before that (the row followed in the writer's next batch) verify the same once the
 * row is there; one whose row was lost in a crash at that moment is reported like a forged cut
 * (nothing tells them apart without a key).
 */
export class CutCheck {
  /** Each cut, with the first row it removed (the row after the cut before it, or 1). */
  private readonly byThroughId = new Map<number, { cut: CutRow; fromId: number }>();
  private readonly newest: CutRow | null;
  private newestConfirmed = false;

  constructor(cuts: readonly CutRow[]) {
    let fromId = 1;
    for (const cut of cuts) {
      this.byThroughId.set(cut.throughId, { cut, fromId });
      fromId = cut.throughId + 1;
    }
    this.newest = cuts.at(-1) ?? null;
  }

  /** An owner-change row that passed the chain checks: a retention row must match its cut. */
  step(row: StoredRow): Broken | null {
    // A substring test before parsing: owner-change details can be large (a role and its rules).
    if (!row.detail.includes('"retention"')) return null;
    const detail = retentionDetail(row.detail);
    if (detail === null) return null;
    const before = isPlainObject(detail.before) ? detail.before : {};
    const entry = typeof before.throughId === 'number' ? this.byThroughId.get(before.throughId) : undefined;
    if (entry === undefined) {
      return broken(row.id, `cut mismatch: row ${row.id} records a retention cut through row ${String(before.throughId)}, but audit_cut has no such cut (audit_cut edited?)`);
    }
    const { cut, fromId } = entry;
    // Named by audit_cut's columns; the first row a cut removed follows from the cut before it.
    const compared: Array<[column: string, inLog: unknown, inCut: unknown]> = [
      ['through_id of the cut before it', before.fromId, fromId],
      ['rows_removed', before.rows, cut.rowsRemoved],
      ['through_hash', detail.headHash, cut.throughHash],
      ['archive_name', detail.archive, cut.archiveName],
      ['archive_sha256', detail.archiveSha256, cut.archiveSha256],
      ['cutoff_ts', detail.cutoffTs, cut.cutoffTs],
      ['cut_at', row.ts, cut.cutAt],
    ];
    const differ = compared.filter(([, inLog, inCut]) => inLog !== inCut).map(([column]) => column);
    if (differ.length > 0) {
      return broken(row.id, `cut mismatch: row ${row.id} records the retention cut through row ${cut.throughId}, but audit_cut disagrees (${differ.join(', ')}) (audit_cut edited?)`);
    }
    if (cut === this.newest) this.newestConfirmed = true;
    return null;
  }

  /** After the whole log: the newest cut, where the walk started, must have been confirmed. */
  finish(): Broken | null {
    const cut = this.newest;
    if (cut === null || this.newestConfirmed) return null;
    return broken(
      cut.throughId + 1,
      `cut not confirmed: audit_cut says rows up to ${cut.throughId} were archived and deleted by retention, but no retention row in the log records that cut (cut made outside ShopWarden, or the app stopped before logging it?)`,
    );
  }
}

/** The parsed detail of a retention row, or null for any other row (or a detail that is not JSON). */
function retentionDetail(text: string): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isPlainObject(value) || value.entity !== 'audit-log' || value.source !== 'retention' || value.action !== 'delete') return null;
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}


/** A verdict naming the first bad row. */
export function broken(firstBadId: number, problem: string): Broken {
  return { intact: false, firstBadId, problem };
}
