import type { Database } from 'better-sqlite3';
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { CHAIN_FORMAT } from '../audit/canonical';
import { SegmentWalk } from './chain';
import { changeEvent, type TrustDeps } from './deps';
import { reject, TrustError, type Rejection } from './errors';
import { fingerprintOf, publicKeyFromPem, shortFingerprint, verifyFields } from './keys';
import { LogBundle } from './log-bundle';

/**
 * Owner machine: imports a staff machine's log bundle (F26) into imported_audit.
 *
 * Keys: a machine is known by its id and Ed25519 key (table log_machines). The first bundle of
 * an unknown machine is trusted on first use (TOFU) unless `trustNewMachine: false`; the answer
 * says so and shows the fingerprint to compare with the one the staff machine displays. A
 * machine can also be enrolled beforehand with enrollMachine. From then on only that key is
 * accepted for that machine id.
 *
 * Checks, all before anything is written: JSON and shape; the declared key matches its
 * fingerprint and, for a known machine, the enrolled key; the signature; the chain inside the
 * bundle (ids consecutive, every row re-hashed, every link, the announced head); continuity
 * with what was imported from that machine before (the bundle's rows must continue at the
 * last imported row, whose hash must match). Rows already imported are skipped (checked
 * through that hash, which covers all earlier rows); a bundle with nothing new is a replay.
 */
export type LogImportCode = 'malformed' | 'unknown-machine' | 'wrong-key' | 'bad-signature' | 'chain-broken' | 'replay' | 'out-of-order' | 'fork';

export interface LogImportSuccess {
  ok: true;
  machineId: string;
  machineName: string;
  fingerprint: string;
  /** The machine was unknown and its key is now trusted (TOFU). */
  trustedNow: boolean;
  imported: number;
  duplicates: number;
  fromId: number;
  throughId: number;
  message: string;
}

export type LogImportResult = LogImportSuccess | Rejection<LogImportCode>;

interface MachineRow {
  machineId: string;
  name: string;
  publicKey: string;
  fingerprint: string;
  lastId: number | null;
  lastHash: string | null;
  rowCount: number;
}

const MACHINE_SELECT = `SELECT machine_id AS machineId, name, public_key AS publicKey, fingerprint, last_id AS lastId, last_hash AS lastHash, row_count AS rowCount FROM log_machines`;

export type CheckedLogBundle = { ok: true; bundle: LogBundle } | Rejection<'malformed' | 'bad-signature' | 'chain-broken'>;

/**
 * The checks that need nothing but the file: shape, the declared key against its fingerprint,
 * the signature with that key, and the chain inside. Whether the key is the right one for the
 * machine is importLogBundle's business (or the reader's, comparing fingerprints).
 */
export function checkLogBundle(text: string): CheckedLogBundle {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return reject('malformed', 'the file is not JSON (damaged or truncated?)');
  }
  const parsed = LogBundle.safeParse(json);
  if (!parsed.success) return reject('malformed', `not a ShopWarden log bundle: ${z.prettifyError(parsed.error)}`);
  const bundle = parsed.data;
  if (bundle.chainFormat !== CHAIN_FORMAT) return reject('malformed', `unknown chain format ${bundle.chainFormat}`);
  let declaredKey: KeyObject;
  try {
    declaredKey = publicKeyFromPem(bundle.machine.publicKey);
  } catch (error) {
    return reject('malformed', `the bundle's machine key is unusable: ${(error as Error).message}`);
  }
  if (fingerprintOf(declaredKey) !== bundle.machine.fingerprint) return reject('malformed', "the bundle's machine fingerprint does not match its key");
  const { signature, ...fields } = bundle;
  if (!verifyFields(declaredKey, fields, signature)) {
    return reject('bad-signature', 'the signature does not match: the bundle was altered after the machine signed it');
  }
  const walk = new SegmentWalk(bundle.fromId, bundle.prevHash);
  for (const row of bundle.rows) {
    const problem = walk.step(row);
    if (problem) return reject('chain-broken', `the log inside the bundle is broken: ${problem}`);
  }
  if (walk.lastId !== bundle.throughId || walk.lastHash !== bundle.headHash) {
    return reject('chain-broken', `the bundle announces rows ${bundle.fromId}–${bundle.throughId} but holds rows up to ${walk.lastId} (truncated?)`);
  }
  return { ok: true, bundle };
}

export function importLogBundle(deps: Pick<TrustDeps, 'db' | 'clock' | 'log'>, text: string, options: { trustNewMachine?: boolean; actorId?: string | null } = {}): LogImportResult {
  const { db } = deps;
  const checked = checkLogBundle(text);
  if (!checked.ok) return checked;
  const { bundle } = checked;
  // The declared key hashes to the declared fingerprint (checked), so comparing fingerprints
  // compares keys: a bundle re-signed with another key under this machine's id stops here.
  const known = db.prepare(`${MACHINE_SELECT} WHERE machine_id = ?`).get(bundle.machine.id) as MachineRow | undefined;
  if (known && known.fingerprint !== bundle.machine.fingerprint) {
    return reject('wrong-key', `machine "${known.name}" is enrolled with key ${shortFingerprint(known.fingerprint)}, but this bundle was signed with ${shortFingerprint(bundle.machine.fingerprint)}: not from that machine, or its key was replaced`);
  }
  if (!known && options.trustNewMachine === false) {
    return reject('unknown-machine', `machine "${bundle.machine.name}" (key ${shortFingerprint(bundle.machine.fingerprint)}) is not enrolled; enrol it first`);
  }

  const now = deps.clock();
  const outcome = db.transaction((): LogImportResult => {
    const machine = db.prepare(`${MACHINE_SELECT} WHERE machine_id = ?`).get(bundle.machine.id) as MachineRow | undefined;
    if (machine && machine.fingerprint !== bundle.machine.fingerprint) return reject('wrong-key', 'the machine was enrolled with another key meanwhile');
    let skip = 0;
    if (machine && machine.lastId !== null) {
      const lastId = machine.lastId;
      if (bundle.throughId <= lastId) {
        const stored = db.prepare('SELECT hash FROM imported_audit WHERE machine_id = ? AND id = ?').get(machine.machineId, bundle.throughId) as { hash: string } | undefined;
        if (stored && stored.hash !== bundle.headHash) return reject('fork', `row ${bundle.throughId} differs from the one imported before: this machine's log was rewritten`);
        return reject('replay', `already imported: rows ${bundle.fromId}–${bundle.throughId} of "${machine.name}" are here (imports reach row ${lastId})`);
      }
      if (bundle.fromId > lastId + 1) {
        return reject('out-of-order', `rows ${lastId + 1}–${bundle.fromId - 1} of "${machine.name}" are missing: import the bundle that holds them first (or export again since row ${lastId})`);
      }
      const linkHash = bundle.fromId === lastId + 1 ? bundle.prevHash : bundle.rows[lastId - bundle.fromId]!.hash;
      if (linkHash !== machine.lastHash) return reject('fork', `the bundle does not continue the log imported before at row ${lastId}: this machine's log was rewritten or the bundle is from another history`);
      skip = lastId - bundle.fromId + 1;
    }
    if (!machine) {
      db.prepare(`INSERT INTO log_machines (machine_id, name, public_key, fingerprint, enrolled_at, enrolled_how) VALUES (?, ?, ?, ?, ?, 'first-import')`).run(
        bundle.machine.id,
        bundle.machine.name,
        bundle.machine.publicKey,
        bundle.machine.fingerprint,
        now,
      );
    }
    const fresh = bundle.rows.slice(skip);
    const insert = db.prepare(
      `INSERT INTO imported_audit (machine_id, id, ts, kind, actor_id, store_id, url, method, module, decision, reason, rule_id, detail, prev_hash, hash, imported_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const r of fresh) insert.run(bundle.machine.id, r.id, r.ts, r.kind, r.actorId, r.storeId, r.url, r.method, r.module, r.decision, r.reason, r.ruleId, r.detail, r.prevHash, r.hash, now);
    db.prepare('UPDATE log_machines SET name = ?, last_id = ?, last_hash = ?, row_count = row_count + ?, imported_at = ? WHERE machine_id = ?').run(
      bundle.machine.name,
      bundle.throughId,
      bundle.headHash,
      fresh.length,
      now,
      bundle.machine.id,
    );
    const trustedNow = !machine;
    const message = trustedNow
      ? `imported ${fresh.length} rows from "${bundle.machine.name}", a machine seen for the first time: its key ${shortFingerprint(bundle.machine.fingerprint)} is trusted from now on — compare it with the fingerprint that machine shows`
      : `imported ${fresh.length} new rows from "${bundle.machine.name}"${skip > 0 ? ` (${skip} already here)` : ''}`;
    return { ok: true, machineId: bundle.machine.id, machineName: bundle.machine.name, fingerprint: bundle.machine.fingerprint, trustedNow, imported: fresh.length, duplicates: skip, fromId: bundle.fromId, throughId: bundle.throughId, message };
  }).immediate();

  if (outcome.ok) {
    deps.log?.(
      changeEvent(now, options.actorId ?? null, {
        entity: 'log-bundle',
        action: 'create',
        id: outcome.machineId,
        before: null,
        after: { machine: outcome.machineName, fingerprint: outcome.fingerprint, fromId: outcome.fromId, throughId: outcome.throughId, imported: outcome.imported, duplicates: outcome.duplicates, trustedNow: outcome.trustedNow },
        source: 'log-bundle',
      }),
    );
  }
  return outcome;
}

export interface MachineInfo {
  machineId: string;
  name: string;
  fingerprint: string;
  lastId: number | null;
  rowCount: number;
}

/** Enrols a staff machine's key before its first bundle (instead of trusting it on first use). */
export function enrollMachine(db: Database, machine: { machineId: string; name: string; publicKeyPem: string }, now: number): MachineInfo {
  const key = publicKeyFromPem(machine.publicKeyPem);
  const fingerprint = fingerprintOf(key);
  const existing = db.prepare(`${MACHINE_SELECT} WHERE machine_id = ?`).get(machine.machineId) as MachineRow | undefined;
  if (existing && existing.fingerprint !== fingerprint) throw new TrustError('conflict', `machine ${machine.machineId} is already enrolled with another key`);
  if (!existing) {
    db.prepare(`INSERT INTO log_machines (machine_id, name, public_key, fingerprint, enrolled_at, enrolled_how) VALUES (?, ?, ?, ?, ?, 'explicit')`).run(
      machine.machineId,
      machine.name.slice(0, 80),
      key.export({ type: 'spki', format: 'pem' }).toString(),
      fingerprint,
      now,
    );
  }
  return { machineId: machine.machineId, name: existing?.name ?? machine.name, fingerprint, lastId: existing?.lastId ?? null, rowCount: existing?.rowCount ?? 0 };
}

export function listMachines(db: Database): MachineInfo[] {
  return (db.prepare(`${MACHINE_SELECT} ORDER BY name, machine_id`).all() as MachineRow[]).map(({ machineId, name, fingerprint, lastId, rowCount }) => ({ machineId, name, fingerprint, lastId, rowCount }));
}
