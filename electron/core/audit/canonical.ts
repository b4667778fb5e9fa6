import { hash } from 'node:crypto';

/**
 * The one definition of what a row's hash covers. Writer and verifier both go through
 * `chainHash`, so they cannot drift apart.
 */

/** Tag inside every hashed record, so a future change of format can never collide with this one. */
export const CHAIN_FORMAT = 'shopwarden-audit-1';

/** The columns a hash covers, exactly as stored. `detail` is the stored canonical JSON text. */
export interface ChainedFields {
  id: number;
  ts: number;
  kind: string;
  actorId: string | null;
  storeId: string | null;
  url: string | null;
  method: string | null;
  module: string | null;
  decision: string | null;
  reason: string | null;
  ruleId: string | null;
  detail: string;
  prevHash: string;
}

/**
 * A JSON array in fixed field order: strings are quoted and escaped, numbers are bare and null
 * is `null`, so no two different rows serialise alike (a field cannot leak into its neighbour,
 * 1 is not "1", null is not "null"). Values read back from a tampered file with another SQLite
 * type (an integer in a text column) therefore hash differently too.
 */
export function canonicalRecord(row: ChainedFields): string {
  return JSON.stringify([
    CHAIN_FORMAT,
    row.id,
    row.ts,
    row.kind,
    row.actorId,
    row.storeId,
    row.url,
    row.method,
    row.module,
    row.decision,
    row.reason,
    row.ruleId,
    row.detail,
    row.prevHash,
  ]);
}

/** SHA-256 of the canonical record, lower-case hex (64 characters). */
export function chainHash(row: ChainedFields): string {
  return hash('sha256', canonicalRecord(row), 'hex');
}

const MAX_DETAIL_DEPTH = 32;

/**
 * Deterministic JSON for `detail`: object keys sorted (by UTF-16 code units), no whitespace.
 * Accepts only JSON data (plus objects with toJSON such as Date); anything JSON.stringify would
 * silently drop or mangle (NaN, bigint, functions, Map, Error, cycles) is rejected with the path
 * of the offending value, so nothing is lost without notice. Object properties that are
 * undefined are omitted, as in JSON.
 */
export function canonicalJson(value: unknown, path = 'detail'): string {
  return serialise(value, path, 0);
}

function serialise(value: unknown, path: string, depth: number): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} is not a finite number`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`${path}: a ${typeof value} is not JSON data`);
  }
  if (depth >= MAX_DETAIL_DEPTH) throw new TypeError(`${path}: nested deeper than ${MAX_DETAIL_DEPTH} levels (a cycle?)`);
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return serialise(toJSON.call(value), path, depth + 1);
  if (Array.isArray(value)) {
    const items = value.map((item: unknown, i) => (item === undefined ? 'null' : serialise(item, `${path}[${i}]`, depth + 1)));
    return `[${items.join(',')}]`;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
    throw new TypeError(`${path}: a ${name} is not plain JSON data (convert it first, e.g. error.message)`);
  }
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${serialise(item, `${path}.${key}`, depth + 1)}`);
  }
  return `{${parts.join(',')}}`;
}
