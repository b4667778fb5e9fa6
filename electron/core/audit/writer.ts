import type { Database, Statement, Transaction } from 'better-sqlite3';
import type { AuditEventInput } from '../../../shared/model/audit';
import { AUDIT_GENESIS_HASH } from './schema';
import { AuditWriteError } from './errors';
import { toQueuedEvent, toStoredRow, type QueuedEvent } from './event-row';
import { SELECT_HEAD_SQL, UPSERT_HEAD_SQL, sameHead, type AuditHead } from './head';
import { INSERT_ROW_SQL, insertValues } from './row';
import { UrlIndexer } from './url-indexer';

export interface AuditWriterOptions {
  /** Longest time an appended event waits before its batch is committed. Default 50 ms. */
  flushIntervalMs?: number;
  /** Queue length that triggers a flush on the next turn of the event loop. Default 1000. */
  batchSize?: number;
  /**
   * Queue length at which append() flushes synchronously, and — if flushes keep failing —
   * refuses new events with AuditWriteError('backlog-full'), so a dead disk cannot eat all
   * memory. Default 100 000.
   */
  maxQueued?: number;
  /** Longest pause between retries after failed flushes (doubling from flushIntervalMs). Default 5000 ms. */
  maxRetryDelayMs?: number;
  /** Failures of automatic flushes and the start-up head check. Default: console.error. */
  onError?: (error: AuditWriteError) => void;
  /**
   * Called after each batch is committed, with the id of its last row (the alert rules watch
   * the log this way). It runs inside flush(): it must not throw, and rows it appends wait for
   * the next batch.
   */
  onCommit?: (lastId: number) => void;
}

/**
 * Appends events to the hash-chained operation log.
 *
 * append() only validates and queues (it runs on the request hot path). Batches are committed
 * in one IMMEDIATE transaction each — every row's prev_hash/hash computed in order, plus the
 * anchored head in audit_head — when `batchSize` events are waiting, `flushIntervalMs` after
 * the first waiting event, or on flush()/close(). A failed batch is rolled back as a whole and
 * its events stay queued, in order, for the next attempt.
 *
 * SINGLE WRITER: exactly one AuditWriter may append to a database, in one process. It keeps the
 * chain head in memory; a second writer would fork the chain (its batches fail with a
 * "head moved" error rather than corrupting it). Readers may use any connection.
 *
 * Durability: a row is committed once flush() has returned an id >= its position (see
 * lastCommittedId); with `synchronous = NORMAL` in WAL mode the last commits can still be lost
 * on power failure (not on a crash of the app).
 */
export class AuditWriter {
  private readonly flushIntervalMs: number;
  private readonly batchSize: number;
  private readonly maxQueued: number;
  private readonly maxRetryDelayMs: number;
  private readonly onError: (error: AuditWriteError) => void;
  private readonly onCommit: ((lastId: number) => void) | undefined;
  private readonly insertRow: Statement;
  private readonly selectHead: Statement;
  private readonly upsertHead: Statement;
  /** Keeps the viewer's URL index caught up in idle time (null: this database has none). */
  private readonly urlIndexer: UrlIndexer | null;
  private readonly commitBatch: Transaction<(batch: QueuedEvent[]) => AuditHead>;

  private queue: QueuedEvent[] = [];
  /** The anchored head as this writer last saw or wrote it (null: no audit_head row yet). */
  private anchor: AuditHead | null;
  /** Head of the chain new rows link to. */
  private headHash: string;
  private headId: number;
  private rowCount: number;
  private nextId: number;

  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private retryDelayMs = 0;
  private closed = false;

  constructor(
    private readonly db: Database,
    options: AuditWriterOptions = {},
  ) {
    this.flushIntervalMs = positive(options.flushIntervalMs ?? 50, 'flushIntervalMs');
    this.batchSize = positive(options.batchSize ?? 1000, 'batchSize');
    this.maxQueued = Math.max(positive(options.maxQueued ?? 100_000, 'maxQueued'), this.batchSize);
    this.maxRetryDelayMs = Math.max(positive(options.maxRetryDelayMs ?? 5000, 'maxRetryDelayMs'), this.flushIntervalMs);
    this.onError = options.onError ?? ((error) => console.error(`[audit] ${error.message}`, error.cause ?? ''));
    this.onCommit = options.onCommit;
    this.insertRow = db.prepare(INSERT_ROW_SQL);
    this.selectHead = db.prepare(SELECT_HEAD_SQL);
    this.upsertHead = db.prepare(UPSERT_HEAD_SQL);
    this.urlIndexer = UrlIndexer.open(db, {
      isBusy: () => this.queue.length > 0,
      onError: (cause) => this.onError(new AuditWriteError('url-index-failed', `could not index log URLs (searches still find them): ${cause.message}`, { cause })),
    });
    this.commitBatch = db.transaction((batch: QueuedEvent[]) => this.writeBatch(batch));

    const last = db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string } | undefined;
    this.anchor = (this.selectHead.get() as AuditHead | undefined) ?? null;
    // The anchor wins over the last row when they disagree: chaining from it keeps the damage
    // (deleted or forged newest rows) visible to verify() instead of papering over it.
    this.headId = this.anchor?.lastId ?? last?.id ?? 0;
    this.headHash = this.anchor?.hash ?? last?.hash ?? AUDIT_GENESIS_HASH;
    this.rowCount = this.anchor?.rows ?? (last ? (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n : 0);
    this.nextId = Math.max(this.headId, last?.id ?? 0) + 1;
    this.urlIndexer?.scheduleIdle(); // rows a previous run left unindexed
    const mismatch = describeHeadMismatch(this.anchor, last);
    if (mismatch) queueMicrotask(() => this.onError(new AuditWriteError('head-mismatch', mismatch)));
  }

  /** Validates and queues one event; throws AuditInputError for a malformed event. */
  append(event: AuditEventInput): void {
    if (this.closed) throw new AuditWriteError('closed', 'the audit writer is closed');
    const queued = toQueuedEvent(event);
    if (this.queue.length >= this.maxQueued) this.relieveBacklog();
    this.queue.push(queued);
    this.schedule();
  }

  /**
   * Commits everything queued, in one transaction, now. Returns the id of the last committed
   * row (0 for an empty log): every event appended before this call is durable up to there.
   * On failure nothing is written, the events stay queued and the AuditWriteError is thrown.
   */
  flush(): number {
    this.cancelScheduled();
    if (this.queue.length === 0) return this.headId;
    const batch = this.queue;
    let committed: AuditHead;
    try {
      if (this.db.inTransaction) throw new Error('another transaction is open on this connection; the log commits its own');
      committed = this.commitBatch.immediate(batch);
    } catch (cause) {
      this.backOff();
      throw new AuditWriteError('flush-failed', `could not commit ${batch.length} audit events (kept for retry): ${(cause as Error).message}`, { cause });
    }
    this.retryDelayMs = 0;
    this.queue = [];
    this.adopt(committed);
    return committed.lastId;
  }

  /**
   * Writes `event` as the next row inside the caller's open transaction, ahead of the events
   * still queued: for a row that must commit together with another change (retention's record
   * of its own cut, which verify requires). Returns what to call once that transaction has
   * committed; if it rolls back, the row goes with it and the writer is as it was.
   */
  appendInTransaction(event: AuditEventInput): () => void {
    if (this.closed) throw new AuditWriteError('closed', 'the audit writer is closed');
    if (!this.db.inTransaction) throw new Error('appendInTransaction needs the caller’s open transaction');
    const head = this.writeBatch([toQueuedEvent(event)]);
    return () => this.adopt(head);
  }

  /** Flushes and stops. Throws like flush() (the writer then stays open, events kept). */
  close(): number {
    if (this.closed) return this.headId;
    const lastId = this.flush();
    this.closed = true;
    this.cancelScheduled();
    this.urlIndexer?.stop();
    return lastId;
  }

  /** Id of the newest committed row (0 if none). */
  get lastCommittedId(): number {
    return this.headId;
  }

  /** Events accepted but not yet committed. */
  get pendingCount(): number {
    return this.queue.length;
  }

  /** The committed chain head: last row id, its hash and the number of rows. */
  get head(): AuditHead {
    return { lastId: this.headId, hash: this.headHash, rows: this.rowCount };
  }

  /** A committed head becomes this writer's. */
  private adopt(committed: AuditHead): void {
    this.anchor = committed;
    this.headId = committed.lastId;
    this.headHash = committed.hash;
    this.rowCount = committed.rows;
    this.nextId = committed.lastId + 1;
    this.onCommit?.(committed.lastId);
    this.urlIndexer?.scheduleIdle();
  }

  /** Inserts the batch as one chain segment and moves the anchor; runs inside a transaction. */
  private writeBatch(batch: QueuedEvent[]): AuditHead {
    const anchor = (this.selectHead.get() as AuditHead | undefined) ?? null;
    if (!sameHead(anchor, this.anchor)) {
      throw new Error('audit_head moved since this writer last committed: another writer is appending to this log (only one may)');
    }
    let id = this.nextId;
    let prevHash = this.headHash;
    for (const event of batch) {
      const row = toStoredRow(event, id, prevHash);
      this.insertRow.run(insertValues(row));
      prevHash = row.hash;
      id += 1;
    }
    const head = { lastId: id - 1, hash: prevHash, rows: this.rowCount + batch.length };
    this.upsertHead.run(head.lastId, head.hash, head.rows);
    return head;
  }

  /** The queue is full: flush now, unless flushes are failing, in which case refuse the event. */
  private relieveBacklog(): void {
    if (this.retryDelayMs === 0) {
      try {
        this.flush();
        return;
      } catch (error) {
        this.onError(error as AuditWriteError);
      }
    }
    throw new AuditWriteError('backlog-full', `audit queue is full (${this.queue.length} events) because flushes are failing; event not logged`);
  }

  private schedule(): void {
    if (this.closed || this.queue.length === 0) return;
    const failing = this.retryDelayMs > 0;
    if (!failing && this.queue.length >= this.batchSize) {
      this.immediate ??= setImmediate(() => this.autoFlush());
    } else {
      this.timer ??= setTimeout(() => this.autoFlush(), failing ? this.retryDelayMs : this.flushIntervalMs);
      // Retries of a broken database must not keep the process alive on their own.
      if (failing) this.timer.unref();
    }
  }

  private autoFlush(): void {
    try {
      this.flush();
    } catch (error) {
      this.onError(error as AuditWriteError);
    }
  }

  /** After a failed flush: retry later, waiting twice as long each time (up to maxRetryDelayMs). */
  private backOff(): void {
    this.retryDelayMs = Math.min(Math.max(this.retryDelayMs * 2, this.flushIntervalMs), this.maxRetryDelayMs);
    this.cancelScheduled();
    this.schedule();
  }

  private cancelScheduled(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }
}

function describeHeadMismatch(anchor: AuditHead | null, last: { id: number; hash: string } | undefined): string | null {
  if (anchor === null) {
    return last ? `audit_head is missing while the log has rows (up to ${last.id}); re-anchoring at the last row` : null;
  }
  if (!last) return anchor.lastId === 0 ? null : `the log is empty but audit_head records ${anchor.rows} rows up to ${anchor.lastId}`;
  if (last.id !== anchor.lastId || last.hash !== anchor.hash) {
    return `the last row (${last.id}) does not match audit_head (row ${anchor.lastId}): the log was changed outside the writer; run verify`;
  }
  return null;
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`AuditWriterOptions.${name} must be a positive number, got ${value}`);
  return value;
}
