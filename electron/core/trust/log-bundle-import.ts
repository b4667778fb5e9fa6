import type { Database } from 'better-sqlite3';
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { AuditEvent } from '../../../shared/model/audit';
import { CHAIN_FORMAT } from '../audit/canonical';
import { SegmentWalk, type FileRow } from './chain';
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
 * bundle (ids consecutive, every row re-hashed, every link, the announced head); every row a
 * valid log row (firstInvalidRow); continuity with what was imported from that machine before,
 * one unbroken run of rows: the bundle must overlap or touch that run at either end with
 * matching hashes, and one that would leave a gap is refused (planImport). Rows already
 * imported are skipped (checked through the hash of the highest shared row, which covers all
 * earlier rows); a bundle with nothing new is a replay.
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
 * the signature with that key, the chain inside, and that every row is a valid log row.
 * Whether the key is the right one for the machine is importLogBundle's business (or the
 * reader's, comparing fingerprints).
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
  const invalid = firstInvalidRow(bundle.rows);
  if (invalid) return reject('malformed', `${invalid}: not a valid log row, so the bundle cannot be imported`);
  return { ok: true, bundle };
}

/**
 * The first row that is not a valid log row, as "row N, field F: problem", or null. FileRow
 * checks only what re-hashing needs; an imported row stays for good (imported_audit is
 * append-only) and the viewer answers with AuditEvent, so every row must be one (known kind,
 * time, ids, lengths; detail a JSON object). A signed bundle can still hold anything: the
 * machine's key sits in its database in clear.
 */
function firstInvalidRow(rows: readonly FileRow[]): string | null {
  for (const row of rows) {
    const parsed = AuditEvent.safeParse({ ...row, detail: jsonOrText(row.detail) });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return `row ${row.id}, field ${issue.path.join('.')}: ${issue.message}`;
    }
  }
  return null;
}

/** The parsed JSON, or the text itself when it is not JSON (so the schema names it). */
function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
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
    const range = machine ? importedRange(db, machine) : null;
    const plan = planImport(db, bundle, range);
    if (!plan.ok) return plan;
    if (!machine) {
      db.prepare(`INSERT INTO log_machines (machine_id, name, public_key, fingerprint, enrolled_at, enrolled_how) VALUES (?, ?, ?, ?, ?, 'first-import')`).run(
        bundle.machine.id,
        bundle.machine.name,
        bundle.machine.publicKey,
        bundle.machine.fingerprint,
        now,
      );
    }
    const { fresh } = plan;
    const insert = db.prepare(
      `INSERT INTO imported_audit (machine_id, id, ts, kind, actor_id, store_id, url, method, module, decision, reason, rule_id, detail, prev_hash, hash, imported_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const r of fresh) insert.run(bundle.machine.id, r.id, r.ts, r.kind, r.actorId, r.storeId, r.url, r.method, r.module, r.decision, r.reason, r.ruleId, r.detail, r.prevHash, r.hash, now);
    db.prepare('UPDATE log_machines SET name = ?, last_id = ?, last_hash = ?, row_count = row_count + ?, imported_at = ? WHERE machine_id = ?').run(
      bundle.machine.name,
      plan.lastId,
      plan.lastHash,
      fresh.length,
      now,
      bundle.machine.id,
    );
    const trustedNow = !machine;
    const duplicates = bundle.rows.length - fresh.length;
    const firstId = Math.min(bundle.fromId, range?.firstId ?? bundle.fromId);
    const message =
      (trustedNow
        ? `imported ${fresh.length} rows from "${bundle.machine.name}", a machine seen for the first time: its key ${shortFingerprint(bundle.machine.fingerprint)} is trusted from now on — compare it with the fingerprint that machine shows`
        : `imported ${fresh.length} new rows from "${bundle.machine.name}"${duplicates > 0 ? ` (${duplicates} already here)` : ''}`) + missingBefore(firstId);
    return { ok: true, machineId: bundle.machine.id, machineName: bundle.machine.name, fingerprint: bundle.machine.fingerprint, trustedNow, imported: fresh.length, duplicates, fromId: bundle.fromId, throughId: bundle.throughId, message };
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

/**
 * The rows imported from one machine so far. They are always one unbroken run of its chain,
 * firstId…lastId: an import may only extend the run at either end, so a row id inside it is a
 * row that is here.
 */
interface ImportedRange {
  firstId: number;
  /** The hash the first imported row links to: the hash of row firstId - 1 on the machine. */
  firstPrevHash: string;
  lastId: number;
  lastHash: string;
}

function importedRange(db: Database, machine: MachineRow): ImportedRange | null {
  if (machine.lastId === null || machine.lastHash === null) return null;
  const first = db.prepare('SELECT id, prev_hash AS prevHash FROM imported_audit WHERE machine_id = ? ORDER BY id LIMIT 1').get(machine.machineId) as { id: number; prevHash: string } | undefined;
  if (!first) return null;
  return { firstId: first.id, firstPrevHash: first.prevHash, lastId: machine.lastId, lastHash: machine.lastHash };
}

type ImportPlan = { ok: true; fresh: LogBundle['rows']; lastId: number; lastHash: string } | Rejection<'replay' | 'out-of-order' | 'fork'>;

/**
 * Where a (checked) bundle fits the run already imported from its machine: the rows to add and
 * the run's new end. It must overlap or touch the run: after it (the usual next bundle), or
 * before it (an older bundle imported after a newer one). A bundle that would leave a gap is
 * refused, naming the missing rows, so the run never has holes.
 *
 * Back-filling before the run is as sound as extending it: the run's first row stores the hash
 * of the row before it, and that hash covers that row and, through its own link, every row
 * before it. So only the machine's original older rows can link to it, exactly as only its
 * original newer rows can continue from the last hash.
 */
function planImport(db: Database, bundle: LogBundle, range: ImportedRange | null): ImportPlan {
  if (range === null) return { ok: true, fresh: bundle.rows, lastId: bundle.throughId, lastHash: bundle.headHash };
  const name = bundle.machine.name;
  if (bundle.fromId > range.lastId + 1) {
    return reject('out-of-order', `rows ${range.lastId + 1}–${bundle.fromId - 1} of "${name}" are missing: import the bundle that holds them first (or export again since row ${range.lastId})`);
  }
  if (bundle.throughId < range.firstId - 1) {
    return reject('out-of-order', `rows ${bundle.throughId + 1}–${range.firstId - 1} of "${name}" are missing between this bundle and the rows imported before: import the bundle that holds them first`);
  }
  const fork = linkProblem(db, bundle, range);
  if (fork) return reject('fork', `${fork}: this machine's log was rewritten or the bundle is from another history`);
  const fresh = bundle.rows.filter((row) => row.id < range.firstId || row.id > range.lastId);
  if (fresh.length === 0) return reject('replay', `already imported: rows ${bundle.fromId}–${bundle.throughId} of "${name}" are here (imports hold rows ${range.firstId}–${range.lastId})`);
  const forward = bundle.throughId > range.lastId;
  return { ok: true, fresh, lastId: forward ? bundle.throughId : range.lastId, lastHash: forward ? bundle.headHash : range.lastHash };
}

/**
 * Why a bundle next to or over the imported run is not the same history, or null. Where they
 * overlap, comparing the highest shared row is enough (its hash covers every row before it);
 * where they only touch, the link between them must hold.
 */
function linkProblem(db: Database, bundle: LogBundle, range: ImportedRange): string | null {
  const shared = Math.min(bundle.throughId, range.lastId);
  if (shared >= Math.max(bundle.fromId, range.firstId)) {
    const stored = shared === range.lastId ? range.lastHash : (db.prepare('SELECT hash FROM imported_audit WHERE machine_id = ? AND id = ?').get(bundle.machine.id, shared) as { hash: string }).hash;
    return bundle.rows[shared - bundle.fromId]!.hash === stored ? null : `row ${shared} differs from the one imported before`;
  }
  if (bundle.fromId === range.lastId + 1) return bundle.prevHash === range.lastHash ? null : `the bundle does not continue the log imported before at row ${range.lastId}`;
  return bundle.headHash === range.firstPrevHash ? null : `row ${range.firstId} imported before does not link to the bundle's last row ${bundle.throughId}`;
}

/** Said on success while the machine's first rows are not here (that is allowed: they may come later). */
function missingBefore(firstId: number): string {
  if (firstId === 1) return '';
  return `; rows 1–${firstId - 1} of this machine are not here: import the bundle that holds them (rows its retention removed before they were exported are only in its archives)`;
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
