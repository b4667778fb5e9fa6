import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { Timestamp } from '../../../shared/model/common';
import { CHAIN_FORMAT } from '../audit/canonical';
import { readAuditHead } from '../audit/head';
import { STORED_ROW_SELECT, type StoredRow } from '../audit/row';
import { readChainStart } from '../audit/verify';
import { FileRow, HASH_PATTERN, toFileRow } from './chain';
import type { SettingsRepo } from '../repos/settings';
import type { TrustDeps } from './deps';
import { TrustError } from './errors';
import { signFields } from './keys';
import { machineIdentity } from './machine-key';

/**
 * Log bundles (F26). A staff machine exports its log rows after `sinceId` as one signed JSON
 * file:
 *   { format, chainFormat, machine: { id, name, publicKey, fingerprint }, createdAt,
 *     fromId, throughId, prevHash, headHash, rows: [...], signature }
 * Rows are exactly as stored (detail as its canonical JSON text), so the owner re-hashes each
 * one; `prevHash` is the hash the first row links to and `headHash` the last row's hash.
 * `signature` is Ed25519, by the machine key, over the canonical JSON of every other field.
 * Import and its checks: log-bundle-import.ts.
 */
export const LOG_BUNDLE_FORMAT = 'shopwarden-log-bundle/1';
export const LAST_EXPORTED_SETTING = 'trust.log-bundle.last-exported-id';
export const DEFAULT_MAX_BUNDLE_ROWS = 200_000;

/** The last row a log bundle of this machine holds, or undefined when it never exported one. */
export function lastExportedId(settings: SettingsRepo): number | undefined {
  return settings.get(LAST_EXPORTED_SETTING, z.number().int().nonnegative());
}

export const LogBundle = z
  .object({
    format: z.literal(LOG_BUNDLE_FORMAT),
    chainFormat: z.string(),
    machine: z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), name: z.string().min(1).max(80), publicKey: z.string().max(1000), fingerprint: HASH_PATTERN }).strict(),
    createdAt: Timestamp,
    fromId: z.number().int().positive(),
    throughId: z.number().int().positive(),
    prevHash: HASH_PATTERN,
    headHash: HASH_PATTERN,
    rows: z.array(FileRow).min(1).max(1_000_000),
    signature: z.string().min(1).max(200),
  })
  .strict();
export type LogBundle = z.infer<typeof LogBundle>;

export interface LogBundleExport {
  text: string;
  fromId: number;
  throughId: number;
  rows: number;
  /** More rows remain after throughId (the bundle hit maxRows): export again. */
  more: boolean;
  machineId: string;
  fingerprint: string;
}

export interface LogBundleOptions {
  /**
   * Export rows with id > sinceId. Default: the last row this machine exported; at first, the
   * last row retention removed (0 when it never cut).
   */
  sinceId?: number;
  maxRows?: number;
  /** Shown to the owner; default this computer's host name. */
  machineName?: string;
}

/**
 * Staff machine: builds the next bundle. The caller flushes the AuditWriter first so the bundle
 * reaches the newest row. Refuses when rows after `sinceId` were removed by retention (the
 * owner would see a gap) or when there is nothing new.
 */
export function exportLogBundle(deps: TrustDeps, options: LogBundleOptions = {}): LogBundleExport {
  const { db, repos } = deps;
  const maxRows = options.maxRows ?? DEFAULT_MAX_BUNDLE_ROWS;
  if (!Number.isInteger(maxRows) || maxRows < 1 || maxRows > 1_000_000) throw new TrustError('invalid-input', 'maxRows must be from 1 to 1000000');
  if (options.sinceId !== undefined && (!Number.isInteger(options.sinceId) || options.sinceId < 0)) throw new TrustError('invalid-input', 'sinceId must be a row id (0 for the start)');
  const identity = machineIdentity(repos.settings, deps.clock(), { name: options.machineName });
  return db.transaction(() => {
    const cut = readChainStart(db);
    // A machine that never exported starts after the newest cut: retention does not wait for a
    // first export, and the rows it removed are in its archives (the owner's import accepts a
    // first bundle that does not start at row 1).
    const sinceId = options.sinceId ?? lastExportedId(repos.settings) ?? cut?.throughId ?? 0;
    if (cut && sinceId < cut.throughId) {
      throw new TrustError('conflict', `rows up to ${cut.throughId} were removed by retention; export since ${cut.throughId} or later (the archives hold the rest)`);
    }
    const head = readAuditHead(db);
    if (!head || head.lastId <= sinceId) throw new TrustError('nothing-to-do', `no rows after ${sinceId} to export`);
    const rows = (db.prepare(`SELECT ${STORED_ROW_SELECT} FROM audit_log WHERE id > ? AND id <= ? ORDER BY id LIMIT ?`).all(sinceId, head.lastId, maxRows) as StoredRow[]).map(toFileRow);
    const first = rows[0]!;
    const last = rows[rows.length - 1]!;
    if (first.id !== sinceId + 1) throw new TrustError('chain-broken', `row ${sinceId + 1} is missing from this log; run verify`);
    const fields: Omit<LogBundle, 'signature'> = {
      format: LOG_BUNDLE_FORMAT,
      chainFormat: CHAIN_FORMAT,
      machine: { id: identity.machineId, name: identity.name, publicKey: identity.publicKeyPem, fingerprint: identity.fingerprint },
      createdAt: deps.clock(),
      fromId: first.id,
      throughId: last.id,
      prevHash: first.prevHash,
      headHash: last.hash,
      rows,
    };
    const text = `${JSON.stringify({ ...fields, signature: signBundle(identity.privateKey, fields) })}\n`;
    repos.settings.set(LAST_EXPORTED_SETTING, last.id);
    return { text, fromId: first.id, throughId: last.id, rows: rows.length, more: last.id < head.lastId, machineId: identity.machineId, fingerprint: identity.fingerprint };
  }).immediate();
}

/** The signature of a log bundle over all its fields but `signature`. */
export function signBundle(privateKey: KeyObject, fields: Omit<LogBundle, 'signature'>): string {
  return signFields(privateKey, fields);
}
