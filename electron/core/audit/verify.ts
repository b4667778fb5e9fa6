import type { Database } from 'better-sqlite3';
import type { ChainVerdict } from '../../../shared/model/audit';
import { chainHash } from './canonical';
import { readAuditHead, type AuditHead } from './head';
import { STORED_ROW_SELECT, type StoredRow } from './row';
import { AUDIT_GENESIS_HASH } from './schema';
import { broken, CutCheck, hasCutTable, readCuts, type CutRow } from './cut-check';

type Broken = Extract<ChainVerdict, { intact: false }>;

/**
 * Walks the chain one row at a time: ids must run 1, 2, 3… without gaps, every row must hash
 * to its stored hash, and link to the row before it. At the end, the last row and the count
 * must match the anchored head, which is what catches deleted newest rows, and a walk that
 * started from a retention cut must have met the log's own record of that cut (CutCheck).
 */
class ChainWalk {
  private expectedId: number;
  private prevHash: string;
  private readonly cutId: number;
  private readonly cuts: CutCheck;
  rows: number;
  lastId: number;

  /**
   * Starts after the newest retention anchor (rows 1…throughId archived and deleted), or at
   * genesis when the log was never cut. `cuts` is every audit_cut row, oldest first.
   */
  constructor(cuts: readonly CutRow[]) {
    const start = cuts.at(-1) ?? null;
    this.lastId = start?.throughId ?? 0;
    this.expectedId = this.lastId + 1;
    this.prevHash = start?.throughHash ?? AUDIT_GENESIS_HASH;
    // Ids run 1, 2, 3… without gaps, so the rows before the cut are exactly throughId.
    this.rows = this.lastId;
    this.cutId = this.lastId;
    this.cuts = new CutCheck(cuts);
  }

  /** Checks the next row in id order; returns the problem, or null if it is sound. */
  step(row: StoredRow): Broken | null {
    if (row.id !== this.expectedId) {
      const missing = row.id - 1 === this.expectedId ? `row ${this.expectedId} is missing` : `rows ${this.expectedId}–${row.id - 1} are missing`;
      return broken(row.id, `id gap: ${missing} before row ${row.id} (deleted?)`);
    }
    if (chainHash(row) !== row.hash) return broken(row.id, `hash mismatch: row ${row.id} does not match its stored hash (edited?)`);
    if (row.prevHash !== this.prevHash) {
      const target = row.id === 1 ? 'the genesis hash' : row.id - 1 === this.cutId ? `the retention anchor after row ${this.cutId}` : `row ${row.id - 1}`;
      return broken(row.id, `prev_hash mismatch: row ${row.id} does not link to ${target} (rows replaced or reordered?)`);
    }
    this.expectedId = row.id + 1;
    this.prevHash = row.hash;
    this.lastId = row.id;
    this.rows += 1;
    // Only the rare owner-change rows go further; every other row costs one comparison.
    return row.kind === 'owner-change' ? this.cuts.step(row) : null;
  }

  /** After the last row: compares the walked chain with the anchored head. */
  finish(anchor: AuditHead | null): ChainVerdict {
    if (anchor === null) {
      if (this.rows === 0) return { intact: true, rows: 0, head: AUDIT_GENESIS_HASH };
      return broken(this.lastId, `head mismatch: audit_head is missing but the log has ${this.rows} rows (anchor deleted?)`);
    }
    if (anchor.lastId > this.lastId) {
      return broken(this.lastId + 1, `head mismatch: the log ends at row ${this.lastId} but its anchored head is row ${anchor.lastId} (newest rows deleted?)`);
    }
    if (anchor.lastId < this.lastId) {
      return broken(anchor.lastId + 1, `head mismatch: rows after ${anchor.lastId} were added outside the writer (anchored head is row ${anchor.lastId})`);
    }
    if (anchor.hash !== this.prevHash) return broken(this.lastId, `head mismatch: row ${this.lastId} is not the row the head was anchored to (replaced?)`);
    if (anchor.rows !== this.rows) return broken(this.lastId, `head mismatch: audit_head counts ${anchor.rows} rows, the log has ${this.rows}`);
    // Last: the confirmation is only worth something once the rows holding it are known sound.
    const unconfirmed = this.cuts.finish();
    if (unconfirmed) return unconfirmed;
    return { intact: true, rows: this.rows, head: this.prevHash };
  }
}

const SELECT_AFTER_SQL = `SELECT ${STORED_ROW_SELECT} FROM audit_log WHERE id > ? ORDER BY id`;

/** The retention anchor (F22): the last archived-and-deleted row and its hash. */
export interface ChainStart {
  throughId: number;
  throughHash: string;
}

/**
 * The newest retention cut (table audit_cut of migration 2), or null when the log was never
 * cut or the file predates that table.
 */
export function readChainStart(db: Database): ChainStart | null {
  if (!hasCutTable(db)) return null;
  return (db.prepare('SELECT through_id AS throughId, through_hash AS throughHash FROM audit_cut ORDER BY through_id DESC LIMIT 1').get() as ChainStart | undefined) ?? null;
}

/**
 * Checks the whole log in one pass, streaming rows (constant memory) inside one read
 * transaction, so a concurrent writer on another connection cannot make it see a half state.
 * Synchronous: blocks the thread for about a second per million rows; in the Electron main
 * process prefer verifyAuditChainAsync or a worker.
 */
export function verifyAuditChain(db: Database): ChainVerdict {
  return db.transaction(() => {
    const walk = new ChainWalk(readCuts(db));
    const anchor = readAuditHead(db);
    for (const row of db.prepare(SELECT_AFTER_SQL).iterate(walk.lastId) as IterableIterator<StoredRow>) {
      const problem = walk.step(row);
      if (problem) return problem;
    }
    return walk.finish(anchor);
  }).deferred();
}

export interface AsyncVerifyOptions {
  /** Rows per slice between yields to the event loop. Default 5000. */
  chunkSize?: number;
  /** Called after each slice with the number of rows checked so far. */
  onProgress?: (rowsChecked: number) => void;
  signal?: AbortSignal;
}

/**
 * Same verdict as verifyAuditChain, checked in slices of `chunkSize` rows with the event loop
 * free in between (so the writer on the same connection keeps committing). Rows are
 * append-only, so slices read earlier stay valid; the last slice and the head are read in one
 * transaction.
 */
export async function verifyAuditChainAsync(db: Database, options: AsyncVerifyOptions = {}): Promise<ChainVerdict> {
  const chunkSize = options.chunkSize ?? 5000;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
  const slice = db.prepare(`${SELECT_AFTER_SQL} LIMIT ?`);
  const walk = new ChainWalk(readCuts(db));
  for (;;) {
    options.signal?.throwIfAborted();
    const rows = slice.all(walk.lastId, chunkSize) as StoredRow[];
    for (const row of rows) {
      const problem = walk.step(row);
      if (problem) return problem;
    }
    if (rows.length > 0) options.onProgress?.(walk.rows);
    if (rows.length < chunkSize) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return db.transaction(() => {
    for (const row of db.prepare(SELECT_AFTER_SQL).iterate(walk.lastId) as IterableIterator<StoredRow>) {
      const problem = walk.step(row);
      if (problem) return problem;
    }
    return walk.finish(readAuditHead(db));
  }).deferred();
}
