import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { exportLogBundle, type LogBundle } from '../../electron/core/trust/log-bundle';
import { enrollMachine, importLogBundle, listMachines } from '../../electron/core/trust/log-bundle-import';
import { queryImported } from '../../electron/core/trust/imported-log';
import { machineIdentity, MACHINE_IDENTITY_SETTING } from '../../electron/core/trust/machine-key';
import { fingerprintOf, signFields } from '../../electron/core/trust/keys';
import { TrustError } from '../../electron/core/trust/errors';
import { chainHash } from '../../electron/core/audit/canonical';
import { ImportedEvent } from '../../shared/ipc/trust';
import { event, flipChar, openTrustDb, snapshot, type TrustDb } from '../fixtures/trust/helpers';

const T = Date.UTC(2025, 2, 1);

function staffMachine(name = 'shop-pc-1'): TrustDb & { more(n: number): void } {
  const t = openTrustDb(T);
  machineIdentity(t.repos.settings, T, { name });
  let i = 0;
  return Object.assign(t, {
    more(n: number) {
      t.write(Array.from({ length: n }, () => event(T + ++i * 1000, { url: `https://sellercentral.amazon.com/orders-v3?page=${i}` })));
    },
  });
}

const IMPORT_TABLES = ['imported_audit', 'log_machines'];

function expectRejected(owner: TrustDb, text: string, code: string, reason: RegExp, options: { trustNewMachine?: boolean } = {}) {
  const before = snapshot(owner.db, IMPORT_TABLES);
  const result = importLogBundle(owner.deps, text, options);
  assert.ok(!result.ok, `expected ${code}, got ${JSON.stringify(result)}`);
  assert.equal(result.code, code, result.reason);
  assert.match(result.reason, reason);
  assert.deepEqual(snapshot(owner.db, IMPORT_TABLES), before, `${code}: nothing may be imported`);
}

/** Re-signs an edited bundle with the machine's real key (a machine that lies, or a bug). */
function resign(staff: TrustDb, bundle: Omit<LogBundle, 'signature'>): string {
  const id = machineIdentity(staff.repos.settings, T);
  return JSON.stringify({ ...bundle, signature: signFields(id.privateKey, bundle) });
}

test('the owner imports bundles in order; the viewer shows the rows tagged with the machine', () => {
  const staff = staffMachine();
  const owner = openTrustDb(T);
  staff.more(5);
  const b1 = exportLogBundle(staff.deps);
  assert.deepEqual([b1.fromId, b1.throughId, b1.rows, b1.more], [1, 5, 5, false]);
  const r1 = importLogBundle(owner.deps, b1.text);
  assert.ok(r1.ok, JSON.stringify(r1));
  assert.equal(r1.trustedNow, true);
  assert.match(r1.message, /seen for the first time.*compare it with the fingerprint/);
  assert.equal(r1.imported, 5);

  staff.more(3);
  const b2 = exportLogBundle(staff.deps);
  assert.deepEqual([b2.fromId, b2.throughId], [6, 8]);
  const r2 = importLogBundle(owner.deps, b2.text);
  assert.ok(r2.ok && !r2.trustedNow && r2.imported === 3 && r2.duplicates === 0, JSON.stringify(r2));

  const page = queryImported(owner.db, {}, { limit: 5 });
  assert.deepEqual(page.rows.map((r) => r.id), [8, 7, 6, 5, 4]);
  assert.equal(page.rows[0]!.machineName, 'shop-pc-1');
  assert.equal(page.rows[0]!.url, 'https://sellercentral.amazon.com/orders-v3?page=8');
  const rest = queryImported(owner.db, {}, { after: page.next!, limit: 5 });
  assert.deepEqual(rest.rows.map((r) => r.id), [3, 2, 1]);
  assert.equal(rest.next, null);
  assert.deepEqual(listMachines(owner.db).map((m) => [m.name, m.lastId, m.rowCount]), [['shop-pc-1', 8, 8]]);
  // The import is on the owner's own log.
  owner.writer.flush();
  assert.equal((owner.db.prepare("SELECT count(*) AS n FROM audit_log WHERE kind = 'owner-change'").get() as { n: number }).n, 2);

  assert.throws(() => exportLogBundle(staff.deps), (e: unknown) => e instanceof TrustError && e.code === 'nothing-to-do');
});

test('replayed, out-of-order and overlapping bundles', () => {
  const staff = staffMachine();
  const owner = openTrustDb(T);
  staff.more(4);
  const b1 = exportLogBundle(staff.deps).text;
  staff.more(4);
  const b2 = exportLogBundle(staff.deps).text;
  staff.more(4);
  const b3 = exportLogBundle(staff.deps).text;
  const overlap = exportLogBundle(staff.deps, { sinceId: 2 }).text; // rows 3–12

  assert.ok(importLogBundle(owner.deps, b1).ok);
  expectRejected(owner, b1, 'replay', /already imported: rows 1–4/);
  expectRejected(owner, b3, 'out-of-order', /rows 5–8 .* are missing/);
  assert.ok(importLogBundle(owner.deps, b2).ok);
  expectRejected(owner, b2, 'replay', /already imported/);
  const r = importLogBundle(owner.deps, overlap);
  assert.ok(r.ok && r.imported === 4 && r.duplicates === 6, JSON.stringify(r));
  expectRejected(owner, b3, 'replay', /already imported/);
  assert.equal((owner.db.prepare('SELECT count(*) AS n FROM imported_audit').get() as { n: number }).n, 12);
});

test('bundles imported newest first: the older ones fill in before the first imported row', () => {
  const staff = staffMachine();
  const owner = openTrustDb(T);
  staff.more(30);
  const bundle = (from: number, through: number) => exportLogBundle(staff.deps, { sinceId: from - 1, maxRows: through - from + 1 }).text;
  const newest = importLogBundle(owner.deps, bundle(21, 25));
  assert.ok(newest.ok, JSON.stringify(newest));
  assert.match(newest.message, /rows 1–20 of this machine are not here: import the bundle that holds them/);
  // Rows 1-10 would not touch the rows here: refused, naming what is missing.
  expectRejected(owner, bundle(1, 10), 'out-of-order', /rows 11–20 of "shop-pc-1" are missing between this bundle and the rows imported before/);
  const middle = importLogBundle(owner.deps, bundle(11, 20));
  assert.ok(middle.ok && middle.imported === 10 && middle.duplicates === 0, JSON.stringify(middle));
  assert.match(middle.message, /rows 1–10 of this machine are not here/);
  // Over the rows here and beyond them at both ends: only the missing ones are added.
  const oldest = importLogBundle(owner.deps, bundle(1, 30));
  assert.ok(oldest.ok && oldest.imported === 15 && oldest.duplicates === 15, JSON.stringify(oldest));
  assert.doesNotMatch(oldest.message, /not here/);

  for (const [from, through] of [[1, 10], [11, 20], [5, 25], [21, 30]] as const) expectRejected(owner, bundle(from, through), 'replay', /already imported.*imports hold rows 1–30/);
  assert.deepEqual(listMachines(owner.db).map((m) => [m.lastId, m.rowCount]), [[30, 30]]);
  const ids = queryImported(owner.db, {}, { limit: 100 }).rows.map((r) => r.id);
  assert.deepEqual(ids, Array.from({ length: 30 }, (_, i) => 30 - i));
  // The next bundle continues after the newest row as usual.
  staff.more(2);
  const next = importLogBundle(owner.deps, exportLogBundle(staff.deps, { sinceId: 30 }).text);
  assert.ok(next.ok && next.imported === 2, JSON.stringify(next));
});

test('an older bundle from another history cannot fill in before the imported rows', () => {
  const staff = staffMachine();
  const owner = openTrustDb(T);
  staff.more(20);
  assert.ok(importLogBundle(owner.deps, exportLogBundle(staff.deps, { sinceId: 10 }).text).ok);
  // The same machine key on a database whose rows 1-12 say something else.
  const rewritten = staffMachine();
  rewritten.repos.settings.set(MACHINE_IDENTITY_SETTING, staff.repos.settings.getRaw(MACHINE_IDENTITY_SETTING));
  rewritten.write(Array.from({ length: 12 }, (_, i) => event(T + (i + 1) * 1000, { url: `https://sellercentral.amazon.com/orders-v3?page=${i + 1}&edited` })));
  expectRejected(owner, exportLogBundle(rewritten.deps, { sinceId: 0, maxRows: 10 }).text, 'fork', /row 11 imported before does not link to the bundle's last row 10/);
  expectRejected(owner, exportLogBundle(rewritten.deps, { sinceId: 0, maxRows: 12 }).text, 'fork', /row 12 differs from the one imported before/);
});

test('tampered, truncated, incomplete and foreign bundles are rejected and nothing is imported', () => {
  const staff = staffMachine();
  const owner = openTrustDb(T);
  staff.more(6);
  const good = exportLogBundle(staff.deps).text;
  const doc = JSON.parse(good) as LogBundle;
  const { signature: _signature, ...fields } = doc;

  expectRejected(owner, good.slice(0, good.length - 200), 'malformed', /not JSON/);
  expectRejected(owner, flipChar(good, good.indexOf('page=3') + 5), 'bad-signature', /altered/);
  expectRejected(owner, flipChar(good, good.indexOf('"ts":') + 6), 'bad-signature', /altered/);
  expectRejected(owner, JSON.stringify({ ...doc, rows: doc.rows.slice(0, 5), throughId: 5, headHash: doc.rows[4]!.hash }), 'bad-signature', /altered/);

  // Signed by the machine itself but with a row missing or edited: the chain inside catches it.
  const missing = { ...fields, rows: fields.rows.filter((r) => r.id !== 3) };
  expectRejected(owner, resign(staff, missing), 'chain-broken', /row 3 is missing/);
  const edited = { ...fields, rows: fields.rows.map((r) => (r.id === 2 ? { ...r, url: 'https://elsewhere.example/' } : r)) };
  expectRejected(owner, resign(staff, edited), 'chain-broken', /row 2 does not match its hash/);
  const short = { ...fields, rows: fields.rows.slice(0, 4) };
  expectRejected(owner, resign(staff, short), 'chain-broken', /holds rows up to 4 \(truncated\?\)/);

  // Unknown machine, when first use is not trusted.
  expectRejected(owner, good, 'unknown-machine', /not enrolled/, { trustNewMachine: false });

  assert.ok(importLogBundle(owner.deps, good).ok);
  // Another key claiming to be that machine.
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  staff.more(2);
  const next = JSON.parse(exportLogBundle(staff.deps).text) as LogBundle;
  const { signature: _s2, ...nextFields } = next;
  const impostor = { ...nextFields, machine: { ...nextFields.machine, publicKey: pem, fingerprint: fingerprintOf(pem) } };
  expectRejected(owner, JSON.stringify({ ...impostor, signature: signFields(privateKey, impostor) }), 'wrong-key', /enrolled with key/);
  // The key the bundle names must be the key behind its fingerprint.
  expectRejected(owner, JSON.stringify({ ...next, machine: { ...next.machine, fingerprint: 'a'.repeat(64) } }), 'malformed', /fingerprint does not match/);
});

test('a machine whose log was rewritten after an import is a fork', () => {
  const staff = staffMachine();
  const owner = openTrustDb(T);
  staff.more(4);
  assert.ok(importLogBundle(owner.deps, exportLogBundle(staff.deps).text).ok);
  // The same identity on a fresh database: a rewritten history with the same machine key.
  const rewritten = staffMachine();
  rewritten.repos.settings.set(MACHINE_IDENTITY_SETTING, staff.repos.settings.getRaw(MACHINE_IDENTITY_SETTING));
  rewritten.write(Array.from({ length: 6 }, (_, i) => event(T + (i + 1) * 1000, { url: `https://sellercentral.amazon.com/orders-v3?page=${i + 1}&edited` })));
  expectRejected(owner, exportLogBundle(rewritten.deps, { sinceId: 4 }).text, 'fork', /does not continue the log imported before at row 4/);
  expectRejected(owner, exportLogBundle(rewritten.deps, { sinceId: 0, maxRows: 3 }).text, 'fork', /row 3 differs/);
});

test('explicit enrolment, and a bundle limit that leaves more to export', () => {
  const staff = staffMachine();
  const owner = openTrustDb(T);
  const id = machineIdentity(staff.repos.settings, T);
  const info = enrollMachine(owner.db, { machineId: id.machineId, name: id.name, publicKeyPem: id.publicKeyPem }, T);
  assert.equal(info.fingerprint, id.fingerprint);
  assert.throws(() => enrollMachine(owner.db, { machineId: id.machineId, name: 'x', publicKeyPem: generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString() }, T), /another key/);
  staff.more(10);
  const part = exportLogBundle(staff.deps, { maxRows: 6 });
  assert.equal(part.more, true);
  const r = importLogBundle(owner.deps, part.text, { trustNewMachine: false });
  assert.ok(r.ok && !r.trustedNow && r.imported === 6, JSON.stringify(r));
  assert.ok(importLogBundle(owner.deps, exportLogBundle(staff.deps).text, { trustNewMachine: false }).ok);
  assert.equal(listMachines(owner.db)[0]!.rowCount, 10);
});

/** The bundle's rows with `edit` made to row `id` and the chain re-linked from there, re-signed by the machine (one that lies). */
function forged(staff: TrustDb, fields: Omit<LogBundle, 'signature'>, id: number, edit: Record<string, unknown>): string {
  let prevHash = fields.prevHash;
  const rows = fields.rows.map((row) => {
    const next = { ...row, ...(row.id === id ? edit : {}), prevHash };
    next.hash = chainHash(next);
    prevHash = next.hash;
    return next;
  });
  return resign(staff, { ...fields, rows, headHash: prevHash });
}

test('a signed bundle with a row the viewer could not show is malformed, naming the row and field; nothing is imported', () => {
  const staff = staffMachine();
  const owner = openTrustDb(T);
  staff.more(3);
  const { signature: _signature, ...fields } = JSON.parse(exportLogBundle(staff.deps).text) as LogBundle;
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ reason: 'x'.repeat(65) }, /row 2, field reason: Too big/],
    [{ kind: 'bogus' }, /row 2, field kind: Invalid option/],
    [{ ts: -1 }, /row 2, field ts: Too small/],
    [{ actorId: 'has spaces!' }, /row 2, field actorId: must be 1-64 letters/],
    [{ url: 'u'.repeat(8193) }, /row 2, field url: Too big/],
    [{ decision: 'maybe' }, /row 2, field decision: Invalid option/],
    [{ detail: '[1]' }, /row 2, field detail: .*expected record/],
    [{ detail: 'not json' }, /row 2, field detail: .*expected record/],
  ];
  for (const [edit, reason] of cases) expectRejected(owner, forged(staff, fields, 2, edit), 'malformed', reason);
  assert.ok(importLogBundle(owner.deps, forged(staff, fields, 2, {})).ok, 'the same bundle with valid rows imports');
});

test('a row that is not a valid log row (already imported before the bundle check) is shown flagged instead of failing the page', () => {
  const staff = staffMachine();
  const owner = openTrustDb(T);
  staff.more(4);
  assert.ok(importLogBundle(owner.deps, exportLogBundle(staff.deps).text).ok);
  const { machineId } = listMachines(owner.db)[0]!;
  const insert = owner.db.prepare(
    `INSERT INTO imported_audit (machine_id, id, ts, kind, actor_id, store_id, url, method, module, decision, reason, rule_id, detail, prev_hash, hash, imported_at)
     VALUES (?, ?, ?, ?, 'has spaces!', NULL, NULL, NULL, NULL, NULL, ?, NULL, '{"k":1}', ?, ?, 0)`,
  );
  insert.run(machineId, 5, T + 10_000, 'bogus', 'x'.repeat(65), 'a'.repeat(64), 'b'.repeat(64));
  insert.run(machineId, 6, -5, 'login', null, 'b'.repeat(64), 'c'.repeat(64));

  const page = queryImported(owner.db, {}, { limit: 3 });
  for (const row of page.rows) assert.ok(ImportedEvent.safeParse(row).success, JSON.stringify(row));
  assert.deepEqual(page.rows.map((r) => r.id), [5, 4, 3]);
  const [flagged] = page.rows;
  assert.deepEqual(
    { kind: flagged!.kind, actorId: flagged!.actorId, reason: flagged!.reason, ts: flagged!.ts },
    { kind: 'policy-error', actorId: null, reason: null, ts: T + 10_000 },
  );
  assert.deepEqual(flagged!.detail, { k: 1, invalidFields: { kind: 'bogus', actorId: 'has spaces!', reason: 'x'.repeat(65) } });
  const rest = queryImported(owner.db, {}, { after: page.next!, limit: 3 });
  assert.deepEqual(rest.rows.map((r) => [r.id, r.ts]), [[2, T + 2000], [1, T + 1000], [6, 0]]);
  for (const row of rest.rows) assert.ok(ImportedEvent.safeParse(row).success, JSON.stringify(row));
  assert.deepEqual(rest.rows[2]!.detail, { k: 1, invalidFields: { ts: -5, actorId: 'has spaces!' } });
  assert.equal(rest.next, null, 'a time before 1970 cannot be a cursor: paging stops there');
});
