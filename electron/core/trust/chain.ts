import { z } from 'zod';
import { AUDIT_DETAIL_MAX } from '../../../shared/model/audit';
import { chainHash } from '../audit/canonical';
import type { StoredRow } from '../audit/row';

/**
 * Log rows outside the database (retention archives, log bundles): the stored columns exactly
 * as hashed, `detail` as its canonical JSON text, so every row can be re-hashed on arrival.
 */
const Hash = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 hash in lower-case hex');
const Text = z.string().max(65_536).nullable();

export const FileRow = z
  .object({
    id: z.number().int().positive(),
    ts: z.number().int(),
    kind: z.string().min(1).max(64),
    actorId: Text,
    storeId: Text,
    url: Text,
    method: Text,
    module: Text,
    decision: Text,
    reason: Text,
    ruleId: Text,
    detail: z.string().max(AUDIT_DETAIL_MAX),
    prevHash: Hash,
    hash: Hash,
  })
  .strict();
export type FileRow = z.infer<typeof FileRow>;

export const HASH_PATTERN = Hash;

/** A stored row as a plain object in FileRow's key order (the SELECT may carry more columns). */
export function toFileRow(row: StoredRow): FileRow {
  return {
    id: row.id,
    ts: row.ts,
    kind: row.kind,
    actorId: row.actorId,
    storeId: row.storeId,
    url: row.url,
    method: row.method,
    module: row.module,
    decision: row.decision,
    reason: row.reason,
    ruleId: row.ruleId,
    detail: row.detail,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/**
 * Checks a run of rows that should continue a chain: ids consecutive from `fromId`, each row
 * hashing to its stored hash and linking to the one before (the first to `prevHash`).
 */
export class SegmentWalk {
  private expectedId: number;
  private prev: string;
  rows = 0;

  constructor(fromId: number, prevHash: string) {
    this.expectedId = fromId;
    this.prev = prevHash;
  }

  /** The problem with the next row, or null when it continues the chain. */
  step(row: FileRow): string | null {
    if (row.id !== this.expectedId) {
      return row.id > this.expectedId ? `row ${this.expectedId} is missing (the next row is ${row.id})` : `row ${row.id} is out of order (expected ${this.expectedId})`;
    }
    if (chainHash(row) !== row.hash) return `row ${row.id} does not match its hash (edited?)`;
    if (row.prevHash !== this.prev) return `row ${row.id} does not link to the row before it (rows replaced or reordered?)`;
    this.expectedId += 1;
    this.prev = row.hash;
    this.rows += 1;
    return null;
  }

  get lastHash(): string {
    return this.prev;
  }

  get lastId(): number {
    return this.expectedId - 1;
  }
}
