import type { Database, Statement, Transaction } from 'better-sqlite3';
import { hasUrlIndex, URL_INDEX_MARK_SQL } from './search';

export interface UrlIndexerOptions {
  /** Rows indexed per turn of the event loop (a few ms of work). Default 500. */
  rowsPerStep?: number;
  /** True while the writer has work of its own: indexing waits for the next commit. */
  isBusy?: () => boolean;
  onError?: (error: Error) => void;
}

/**
 * Moves the URL index (search.ts) forward behind the log: rows after `audit_url_mark` are
 * indexed a step at a time, each step in its own transaction, only while the writer is idle.
 * Under a burst of writes the index lags and catches up afterwards; searches stay exact
 * meanwhile (the reader checks the rows after the mark itself).
 */
export class UrlIndexer {
  private readonly rowsPerStep: number;
  private readonly isBusy: () => boolean;
  private readonly onError: (error: Error) => void;
  private readonly readMark: Statement;
  private readonly readLastId: Statement;
  private readonly step: Transaction<(maxRows: number) => number>;
  private pending: NodeJS.Immediate | null = null;
  private stopped = false;

  /** The indexer for `db`, or null when the database has no URL index (not migrated). */
  static open(db: Database, options: UrlIndexerOptions = {}): UrlIndexer | null {
    return hasUrlIndex(db) ? new UrlIndexer(db, options) : null;
  }

  private constructor(
    private readonly db: Database,
    options: UrlIndexerOptions,
  ) {
    this.rowsPerStep = options.rowsPerStep ?? 500;
    this.isBusy = options.isBusy ?? (() => false);
    this.onError = options.onError ?? ((error) => console.error(error));
    this.readMark = db.prepare(URL_INDEX_MARK_SQL).pluck();
    this.readLastId = db.prepare('SELECT coalesce(max(id), 0) FROM audit_log').pluck();
    const insert = db.prepare('INSERT INTO audit_url (rowid, url) SELECT id, url FROM audit_log WHERE id > ? AND id <= ? AND url IS NOT NULL');
    const moveMark = db.prepare('UPDATE audit_url_mark SET last_id = ? WHERE id = 1');
    this.step = db.transaction((maxRows: number) => {
      const mark = this.readMark.get() as number;
      const lastId = this.readLastId.get() as number;
      const upTo = Math.min(lastId, mark + maxRows);
      if (upTo <= mark) return 0;
      insert.run(mark, upTo);
      moveMark.run(upTo);
      return lastId - upTo;
    });
  }

  /** Id of the newest indexed row. */
  get indexedUpTo(): number {
    return this.readMark.get() as number;
  }

  /** Indexes up to `maxRows` more rows now; answers how many rows are still behind. */
  indexNext(maxRows = this.rowsPerStep): number {
    return this.step.immediate(maxRows);
  }

  /** Indexes everything now (tests, tools). */
  catchUp(): void {
    while (this.indexNext(50_000) > 0);
  }

  /** Runs steps on later turns of the event loop while the writer is idle, until caught up. */
  scheduleIdle(): void {
    if (this.stopped || this.pending) return;
    this.pending = setImmediate(() => {
      this.pending = null;
      if (this.stopped || !this.db.open || this.isBusy() || this.db.inTransaction) return; // the next commit asks again
      try {
        if (this.indexNext() > 0) this.scheduleIdle();
      } catch (error) {
        this.onError(error as Error);
      }
    });
    // Catching up must never keep the process alive on its own.
    this.pending.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.pending) clearImmediate(this.pending);
    this.pending = null;
  }
}
