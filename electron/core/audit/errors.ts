/** An event the writer refuses: the caller's bug, reported at append time with the reason. */
export class AuditInputError extends Error {
  override readonly name = 'AuditInputError';
}

/**
 * Why the writer could not (yet) make events durable:
 * - flush-failed: the batch transaction failed and was rolled back; the events stay queued.
 * - backlog-full: flushes keep failing and the queue hit its limit; this event was NOT queued.
 * - closed: append after close().
 * - head-mismatch: at start, the anchored head (audit_head) disagrees with the last row, so the
 *   log was altered outside the writer; new rows keep chaining from the anchor, verify() will
 *   name the damage.
 * - url-index-failed: indexing URLs for the viewer's search failed; nothing is lost (searches
 *   check unindexed rows directly) and the next commit tries again.
 */
export type AuditWriteProblem = 'flush-failed' | 'backlog-full' | 'closed' | 'head-mismatch' | 'url-index-failed';

export class AuditWriteError extends Error {
  override readonly name = 'AuditWriteError';
  constructor(
    readonly problem: AuditWriteProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
