import { z } from 'zod';
import { AuditEventInput } from '../../../shared/model/audit';
import { canonicalJson, chainHash } from './canonical';
import { AuditInputError } from './errors';
import { redactDetail, redactUrl, STORED_URL_MAX, truncate } from './redact';
import type { StoredRow } from './row';

/**
 * An accepted event waiting in the writer's queue: validated, detail already redacted and
 * frozen as canonical JSON (so later changes by the caller cannot alter it and a detail that
 * is not JSON data is refused at append time rather than poisoning a batch). The URL is
 * redacted when the row is built, off the request hot path.
 */
export type QueuedEvent = Omit<StoredRow, 'id' | 'prevHash' | 'hash'>;

/** Validates one event for the queue; throws AuditInputError saying what is wrong. */
export function toQueuedEvent(input: AuditEventInput): QueuedEvent {
  // A URL over the stored limit is cut rather than refused, so a long query string cannot cost
  // the event; cutting cannot expose a secret, as redaction works on whatever name=value is left.
  const url: unknown = (input as { url?: unknown } | null | undefined)?.url;
  const parsed = AuditEventInput.safeParse(typeof url === 'string' && url.length > STORED_URL_MAX ? { ...input, url: truncate(url, STORED_URL_MAX) } : input);
  if (!parsed.success) throw new AuditInputError(`invalid audit event: ${z.prettifyError(parsed.error)}`);
  const event = parsed.data;
  let detail: string;
  try {
    detail = canonicalJson(redactDetail(event.detail));
  } catch (error) {
    throw new AuditInputError(`invalid audit event: ${(error as Error).message}`);
  }
  return {
    ts: event.ts,
    kind: event.kind,
    actorId: event.actorId,
    storeId: event.storeId,
    url: wellFormed(event.url),
    method: wellFormed(event.method),
    module: wellFormed(event.module),
    decision: event.decision,
    reason: wellFormed(event.reason),
    ruleId: wellFormed(event.ruleId),
    detail,
  };
}

/** The row to insert at `id` after a row hashed `prevHash`: URL redacted, hash computed. */
export function toStoredRow(event: QueuedEvent, id: number, prevHash: string): StoredRow {
  // Spelled out rather than spread: one fixed object shape keeps this loop fast (4 µs → 0.1 µs).
  const row: StoredRow = {
    id,
    ts: event.ts,
    kind: event.kind,
    actorId: event.actorId,
    storeId: event.storeId,
    url: event.url === null ? null : redactUrl(event.url),
    method: event.method,
    module: event.module,
    decision: event.decision,
    reason: event.reason,
    ruleId: event.ruleId,
    detail: event.detail,
    prevHash,
    hash: '',
  };
  row.hash = chainHash(row);
  return row;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * SQLite stores UTF-8, which cannot hold a lone UTF-16 surrogate: it would come back as U+FFFD
 * and no longer match the hash computed from the original. Replace it up front instead.
 */
function wellFormed(text: string | null): string | null {
  return text === null ? null : text.replace(LONE_SURROGATE, '\uFFFD');
}
