import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { chainHash } from '../../electron/core/audit/canonical';
import { STORED_ROW_SELECT, type StoredRow } from '../../electron/core/audit/row';
import { AuditWriter } from '../../electron/core/audit/writer';
import { verifyAuditChain, verifyAuditChainAsync } from '../../electron/core/audit/verify';
import { runRetention, listCuts } from '../../electron/core/trust/retention';
import { verifyArchive } from '../../electron/core/trust/archive';
import { TrustError } from '../../electron/core/trust/errors';
import { exportLogBundle } from '../../electron/core/trust/log-bundle';
import { importLogBundle } from '../../electron/core/trust/log-bundle-import';
import { machineIdentity } from '../../electron/core/trust/machine-key';
import { AUDIT_DETAIL_MAX } from '../../shared/model/audit';
import { freshDir } from './db-test-helpers';
import { DAY, event, openTrustDb, type TrustDb } from '../fixtures/trust/helpers';

/** 60 rows, one every 5 days from T, then the clock at T + 300 days. */
function agedLog(): { t: TrustDb; start: number; archiveDir: string } {
  const start = Date.UTC(2024, 0, 1);
  const t = openTrustDb(start);
  t.write(Array.from({ length: 60 }, (_, i) => event(start + i * 5 * DAY, { url: `https://sellercentral.amazon.com/orders-v3?page=${i}` })));
  t.clock.set(start + 300 * DAY);
  return { t, start, archiveDir: join(freshDir(), 'archives') };
}

test('retention archives the old rows, deletes them, and the rest of the chain still verifies', async () => {
  const { t, start, archiveDir } = agedLog();
  const result = await runRetention(t.deps, { archiveDir, keepDays: 180 });
  assert.equal(result.cut, true);
  if (!result.cut) return;
  // Rows older than 300 - 180 = 120 days: days 0, 5, … 115 → rows 1–24.
  assert.deepEqual([result.fromId, result.throughId, result.rows], [1, 24, 24]);
  assert.equal(result.cutoffTs, start + 120 * DAY);
  t.writer.flush();
  const remaining = t.db.prepare('SELECT min(id) AS lo, max(id) AS hi, count(*) AS n FROM audit_log').get();
  assert.deepEqual(remaining, { lo: 25, hi: 61, n: 37 }); // 60 rows + the retention row itself (61)

  const verdict = verifyAuditChain(t.db);
  assert.equal(verdict.intact, true, JSON.stringify(verdict));
  assert.deepEqual(await verifyAuditChainAsync(t.db, { chunkSize: 7 }), verdict);

  const archive = await verifyArchive(result.archiveFile, { throughId: 24, headHash: result.headHash });
  assert.equal(archive.ok, true, JSON.stringify(archive));
  assert.deepEqual(listCuts(t.deps).map((c) => [c.throughId, c.throughHash, c.rowsRemoved]), [[24, result.headHash, 24]]);

  const logged = t.db.prepare("SELECT detail FROM audit_log WHERE kind = 'owner-change'").get() as { detail: string };
  assert.match(logged.detail, /"entity":"audit-log"/);
});

test('after a cut the writer keeps appending, a second cut chains to the first archive, and tampering is still caught', async () => {
  const { t, start, archiveDir } = agedLog();
  const first = await runRetention(t.deps, { archiveDir, keepDays: 180 });
  assert.ok(first.cut);
  // A new writer on the cut log (as after a restart) reports no head mismatch.
  t.writer.close();
  const errors: unknown[] = [];
  const writer = new AuditWriter(t.db, { onError: (e) => errors.push(e) });
  for (let i = 0; i < 5; i++) writer.append(event(start + 300 * DAY + i));
  writer.flush();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(errors, []);
  assert.equal(verifyAuditChain(t.db).intact, true);

  t.clock.set(start + 400 * DAY);
  const second = await runRetention({ ...t.deps, log: (e) => writer.append(e), logInTransaction: (e) => writer.appendInTransaction(e) }, { archiveDir, keepDays: 180 });
  assert.ok(second.cut && first.cut);
  assert.equal(second.fromId, first.throughId + 1);
  const verdict = await verifyArchive(second.archiveFile, { prevHash: first.headHash });
  assert.equal(verdict.ok, true, JSON.stringify(verdict));
  writer.flush();
  assert.equal(verifyAuditChain(t.db).intact, true);
  assert.equal(readdirSync(archiveDir).length, 2);

  // Rows after the cut stay append-only and hash-checked.
  assert.throws(() => t.db.prepare('DELETE FROM audit_log WHERE id = ?').run(second.throughId + 1), /append-only/);
  t.db.exec('DROP TRIGGER audit_log_no_update');
  t.db.prepare("UPDATE audit_log SET url = 'https://evil.example/' WHERE id = ?").run(second.throughId + 2);
  const broken = verifyAuditChain(t.db);
  assert.equal(broken.intact, false);
  if (!broken.intact) assert.equal(broken.firstBadId, second.throughId + 2);
  writer.close();
});

test('the first row after the cut must link to the anchor, and may not be deleted', async () => {
  const { t, archiveDir } = agedLog();
  const result = await runRetention(t.deps, { archiveDir, keepDays: 180 });
  assert.ok(result.cut);
  t.writer.flush();
  const id = result.throughId + 1;
  // A forger re-links row 25 to some other hash and recomputes its own hash.
  t.db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete');
  const row = t.db.prepare(`SELECT ${STORED_ROW_SELECT} FROM audit_log WHERE id = ?`).get(id) as StoredRow;
  const forged = { ...row, prevHash: 'f'.repeat(64) };
  t.db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?').run(forged.prevHash, chainHash(forged), id);
  const verdict = verifyAuditChain(t.db);
  assert.ok(!verdict.intact && verdict.firstBadId === id && /does not link to the retention anchor after row 24/.test(verdict.problem), JSON.stringify(verdict));

  t.db.prepare('DELETE FROM audit_log WHERE id = ?').run(id);
  const gap = verifyAuditChain(t.db);
  assert.ok(!gap.intact && /id gap: row 25 is missing/.test(gap.problem), JSON.stringify(gap));
});

test('nothing old enough: no cut, no archive; the newest row is always kept', async () => {
  const start = Date.UTC(2024, 0, 1);
  const t = openTrustDb(start);
  const archiveDir = join(freshDir(), 'archives');
  t.write([event(start), event(start + 1)]);
  assert.deepEqual(await runRetention(t.deps, { archiveDir, keepDays: 180 }), { cut: false, reason: 'no rows older than 180 days' });
  t.clock.set(start + 1000 * DAY);
  const result = await runRetention(t.deps, { archiveDir, keepDays: 180 });
  assert.ok(result.cut);
  assert.equal(result.throughId, 1);
  // Retention's own record of the cut commits with the cut: the log verifies at once.
  assert.equal(verifyAuditChain(t.db).intact, true);
  // Without a writer to record it in the transaction (log only), it follows with the next batch,
  // and until then nothing in the file tells this cut from a forged one.
  t.clock.set(start + 1001 * DAY);
  t.write([event(start + 1000 * DAY)]);
  const later = await runRetention({ ...t.deps, logInTransaction: undefined }, { archiveDir, keepDays: 180 });
  assert.ok(later.cut);
  const pending = verifyAuditChain(t.db);
  assert.ok(!pending.intact && /^cut not confirmed/.test(pending.problem), JSON.stringify(pending));
  t.writer.flush();
  assert.equal(verifyAuditChain(t.db).intact, true);
});

test('retention refuses to cut a log that does not verify, and deletes nothing', async () => {
  const { t, archiveDir } = agedLog();
  t.db.exec('DROP TRIGGER audit_log_no_update');
  t.db.prepare("UPDATE audit_log SET kind = 'login' WHERE id = 3").run();
  await assert.rejects(runRetention(t.deps, { archiveDir, keepDays: 180 }), (e: unknown) => e instanceof TrustError && e.code === 'chain-broken' && /row 3/.test(e.message));
  assert.equal((t.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n, 60);
  assert.deepEqual(listCuts(t.deps), []);
});

test('an archive that was altered, truncated or mislabelled does not verify', async () => {
  const { t, archiveDir } = agedLog();
  const result = await runRetention(t.deps, { archiveDir, keepDays: 180 });
  assert.ok(result.cut);
  const original = readFileSync(result.archiveFile);
  const lines = gunzipSync(original).toString('utf8').split('\n');
  const dir = freshDir();
  const variant = async (name: string, bytes: Buffer) => {
    const file = join(dir, name);
    writeFileSync(file, bytes);
    return verifyArchive(file);
  };

  const flipped = Buffer.from(original);
  const middle = Math.floor(flipped.length / 2);
  flipped[middle] = flipped[middle]! ^ 0x01;
  const v1 = await variant('flipped.gz', flipped);
  assert.equal(v1.ok, false);

  const v2 = await variant('truncated.gz', original.subarray(0, original.length - 40));
  assert.ok(!v2.ok && v2.code === 'unreadable', JSON.stringify(v2));

  const edited = lines.map((line, i) => (i === 5 ? line.replace('page=4', 'page=9') : line));
  const v3 = await variant('edited.gz', gzipSync(edited.join('\n')));
  assert.ok(!v3.ok && v3.code === 'chain-broken' && /row 5 does not match its hash/.test(v3.reason), JSON.stringify(v3));

  const dropped = lines.filter((_, i) => i !== 10);
  const v4 = await variant('dropped.gz', gzipSync(dropped.join('\n')));
  assert.ok(!v4.ok && /row 10 is missing/.test(v4.reason), JSON.stringify(v4));

  const shortened = lines.slice(0, 20).concat(['']);
  const v5 = await variant('shortened.gz', gzipSync(shortened.join('\n')));
  assert.ok(!v5.ok && /truncated/.test(v5.reason), JSON.stringify(v5));

  const v6 = await verifyArchive(result.archiveFile, { throughId: 23 });
  assert.ok(!v6.ok && v6.code === 'mismatch');

  const v7 = await variant('not-gzip.gz', Buffer.from('hello'));
  assert.ok(!v7.ok && v7.code === 'unreadable');
});

test('an event whose detail is over the limit is logged reduced; its row is archived and travels in a bundle', async () => {
  const start = Date.UTC(2024, 0, 1);
  const staff = openTrustDb(start);
  machineIdentity(staff.repos.settings, start, { name: 'shop-pc' });
  const role = { name: 'Big', rules: Array.from({ length: 300 }, (_, i) => ({ id: `r${i}`, filter: `https://sellercentral.amazon.com/${'p'.repeat(1900)}/${i}`, action: 'block' })) };
  staff.write([event(start), { ts: start + DAY, kind: 'owner-change', actorId: 'owner', detail: { entity: 'role', action: 'update', id: 'r1', before: role, after: role } }, event(start + 2 * DAY)]);
  const big = staff.db.prepare("SELECT detail FROM audit_log WHERE kind = 'owner-change'").get() as { detail: string };
  assert.ok(big.detail.length <= AUDIT_DETAIL_MAX && /"detailReduced":/.test(big.detail) && /"omitted":\{"chars":/.test(big.detail));
  assert.equal(verifyAuditChain(staff.db).intact, true);

  const owner = openTrustDb(start);
  const imported = importLogBundle(owner.deps, exportLogBundle(staff.deps).text);
  assert.ok(imported.ok && imported.imported === 3, JSON.stringify(imported));

  staff.clock.set(start + 400 * DAY);
  const result = await runRetention(staff.deps, { archiveDir: join(freshDir(), 'archives'), keepDays: 180 });
  assert.ok(result.cut && result.throughId === 2 && result.keptUnexported === null, JSON.stringify(result));
  const archive = await verifyArchive(result.archiveFile, { throughId: 2, headHash: result.headHash });
  assert.equal(archive.ok, true, JSON.stringify(archive));
});

/** A staff machine that shipped rows 1–10 to the owner, then 90 more rows nobody exported, now 250 days on. */
function staffWithUnexportedRows() {
  const start = Date.UTC(2024, 0, 1);
  const staff = openTrustDb(start);
  machineIdentity(staff.repos.settings, start, { name: 'shop-pc' });
  const owner = openTrustDb(start);
  staff.write(Array.from({ length: 10 }, (_, i) => event(start + i * DAY)));
  assert.ok(importLogBundle(owner.deps, exportLogBundle(staff.deps).text).ok);
  staff.write(Array.from({ length: 90 }, (_, i) => event(start + (10 + i) * DAY)));
  staff.clock.set(start + 250 * DAY);
  return { staff, owner, archiveDir: join(freshDir(), 'archives') };
}

test('on a machine that exports log bundles, retention keeps the rows not exported yet, and says so', async () => {
  const { staff, owner, archiveDir } = staffWithUnexportedRows();
  // Rows of days 0-69 (1-70) are due; only 1-10 are in a bundle.
  const first = await runRetention(staff.deps, { archiveDir, keepDays: 180 });
  assert.ok(first.cut, JSON.stringify(first));
  assert.deepEqual([first.fromId, first.throughId, first.keptUnexported], [1, 10, { fromId: 11, throughId: 70 }]);
  staff.writer.flush();
  const logged = JSON.parse((staff.db.prepare("SELECT detail FROM audit_log WHERE kind = 'owner-change' ORDER BY id DESC").get() as { detail: string }).detail) as Record<string, unknown>;
  assert.deepEqual(logged.keptUnexported, { fromId: 11, throughId: 70 });

  // Nothing more may go until the next export; the next bundle continues where the owner is.
  const again = await runRetention(staff.deps, { archiveDir, keepDays: 180 });
  assert.deepEqual(again, { cut: false, reason: 'rows 11–70 are older than 180 days but are kept: they are not in a log bundle yet (export one, then run retention again)' });
  const next = exportLogBundle(staff.deps);
  assert.equal(next.fromId, 11);
  const imported = importLogBundle(owner.deps, next.text);
  assert.ok(imported.ok && imported.imported === next.rows, JSON.stringify(imported));

  const after = await runRetention(staff.deps, { archiveDir, keepDays: 180 });
  assert.ok(after.cut && after.fromId === 11 && after.throughId === 70 && after.keptUnexported === null, JSON.stringify(after));
  staff.writer.flush(); // retention's row (as the app does before verifying)
  assert.equal(verifyAuditChain(staff.db).intact, true);
});

test('a machine that never exported and whose log was cut exports its first bundle from after the cut; the owner imports it', async () => {
  const { t: staff, archiveDir } = agedLog();
  machineIdentity(staff.repos.settings, staff.clock(), { name: 'shop-pc' });
  const cut = await runRetention(staff.deps, { archiveDir, keepDays: 180 });
  assert.ok(cut.cut && cut.throughId === 24, JSON.stringify(cut));
  staff.writer.flush(); // retention's row

  const first = exportLogBundle(staff.deps);
  assert.deepEqual([first.fromId, first.throughId], [25, 61]);
  const owner = openTrustDb(staff.clock());
  const imported = importLogBundle(owner.deps, first.text);
  assert.ok(imported.ok && imported.imported === 37, JSON.stringify(imported));
  assert.match(imported.message, /rows 1–24 of this machine are not here/);
  // Asked for by row, rows before the cut are still refused: only the archives hold them.
  assert.throws(() => exportLogBundle(staff.deps, { sinceId: 0 }), (e: unknown) => e instanceof TrustError && e.code === 'conflict');
});

/** Both verifiers, which must agree. */
async function verdictOf(t: TrustDb) {
  const verdict = verifyAuditChain(t.db);
  assert.deepEqual(await verifyAuditChainAsync(t.db, { chunkSize: 7 }), verdict, 'async and sync verification agree');
  return verdict;
}

function assertBroken(verdict: Awaited<ReturnType<typeof verdictOf>>, firstBadId: number, problem: RegExp): void {
  assert.ok(!verdict.intact, 'the forgery must be detected');
  if (verdict.intact) return;
  assert.equal(verdict.firstBadId, firstBadId, verdict.problem);
  assert.match(verdict.problem, problem);
}

/**
 * What someone with the file and the sqlite3 shell can do without computing a single hash:
 * record a cut through row `throughId` (copying that row's hash) and delete every row up to it.
 */
function forgeCut(t: TrustDb, throughId: number, fields: { archiveName?: string; archiveSha256?: string; cutoffTs?: number; cutAt?: number } = {}): void {
  t.db.exec('DROP TRIGGER IF EXISTS audit_log_no_delete');
  const { hash } = t.db.prepare('SELECT hash FROM audit_log WHERE id = ?').get(throughId) as { hash: string };
  const below = (t.db.prepare('SELECT coalesce(max(through_id), 0) AS id FROM audit_cut').get() as { id: number }).id;
  t.db
    .prepare('INSERT INTO audit_cut (through_id, through_hash, cutoff_ts, cut_at, rows_removed, archive_name, archive_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(throughId, hash, fields.cutoffTs ?? 0, fields.cutAt ?? 0, throughId - below, fields.archiveName ?? `shopwarden-audit-${below + 1}-${throughId}-x.jsonl.gz`, fields.archiveSha256 ?? '0'.repeat(64));
  t.db.prepare('DELETE FROM audit_log WHERE id <= ?').run(throughId);
}

/** The parsed detail of the retention rows in the log, oldest first. */
function retentionRows(t: TrustDb): Array<{ id: number; ts: number; detail: Record<string, unknown> }> {
  return (t.db.prepare("SELECT id, ts, detail FROM audit_log WHERE kind = 'owner-change' ORDER BY id").all() as Array<{ id: number; ts: number; detail: string }>)
    .map((row) => ({ ...row, detail: JSON.parse(row.detail) as Record<string, unknown> }))
    .filter((row) => row.detail.source === 'retention');
}

test('a cut is confirmed by the retention row the log records for it: exactly what retention wrote, two runs in a row included', async () => {
  const { t, start, archiveDir } = agedLog();
  const first = await runRetention(t.deps, { archiveDir, keepDays: 180 });
  assert.ok(first.cut);
  t.writer.flush();
  assert.deepEqual(await verdictOf(t), { intact: true, rows: 61, head: t.writer.head.hash });
  const [logged, ...more] = retentionRows(t);
  assert.deepEqual([logged!.id, logged!.ts, more.length], [61, start + 300 * DAY, 0], 'one retention row, after the kept rows, at the time of the cut');
  assert.deepEqual(
    logged!.detail,
    {
      entity: 'audit-log',
      action: 'delete',
      id: '1-24',
      before: { fromId: 1, throughId: 24, rows: 24 },
      after: null,
      source: 'retention',
      keepDays: 180,
      cutoffTs: first.cutoffTs,
      archive: basename(first.archiveFile),
      archiveSha256: first.archiveSha256,
      headHash: first.headHash,
    },
    'the fields verify compares are stored as retention wrote them (none redacted)',
  );

  // The second run, right after (nothing new is old enough yet), then later with a few newer rows:
  // that cut archives the first run's retention row too; its own row confirms it.
  assert.deepEqual(await runRetention(t.deps, { archiveDir, keepDays: 180 }), { cut: false, reason: 'no rows older than 180 days' });
  t.clock.set(start + 600 * DAY);
  t.write([event(start + 600 * DAY), event(start + 600 * DAY + 1)]);
  const second = await runRetention(t.deps, { archiveDir, keepDays: 180 });
  assert.ok(second.cut && second.fromId === 25 && second.throughId === 61, JSON.stringify(second));
  t.writer.flush();
  assert.deepEqual(retentionRows(t).map((r) => r.id), [64], 'the first retention row went with the second cut');
  assert.equal((await verdictOf(t)).intact, true);

  // A third, back to back with the second (its retention row is the only old row to go).
  t.clock.set(start + 800 * DAY);
  t.write([event(start + 800 * DAY)]);
  const third = await runRetention(t.deps, { archiveDir, keepDays: 180 });
  assert.ok(third.cut && third.fromId === 62 && third.throughId === 64, JSON.stringify(third));
  t.writer.flush();
  assert.equal((await verdictOf(t)).intact, true);
  assert.equal(listCuts(t.deps).length, 3);
});

test('a cut made with the sqlite3 shell (no hashing) is reported: nothing in the log confirms it', async () => {
  const start = Date.UTC(2025, 0, 1);
  const t = openTrustDb(start);
  t.write(Array.from({ length: 100 }, (_, i) => event(start + i * 1000, { kind: i === 42 ? 'mutation' : 'navigation' })));
  t.writer.close();
  forgeCut(t, 99);
  assertBroken(await verdictOf(t), 100, /^cut not confirmed: audit_cut says rows up to 99 were archived and deleted by retention, but no retention row in the log records that cut/);
});

test('a forged cut on top of a real one is reported, even when it copies the real archive\'s fields', async () => {
  const { t, archiveDir } = agedLog();
  const real = await runRetention(t.deps, { archiveDir, keepDays: 180 });
  assert.ok(real.cut);
  t.writer.close();
  forgeCut(t, 40, { archiveName: basename(real.archiveFile), archiveSha256: real.archiveSha256, cutoffTs: real.cutoffTs, cutAt: t.clock() });
  assertBroken(await verdictOf(t), 41, /^cut not confirmed: audit_cut says rows up to 40/);
});

test('a cut whose record does not match the retention row is reported at that row, naming what differs', async () => {
  const cases: Array<[string, (t: TrustDb) => void, RegExp]> = [
    ['archive swapped', (t) => t.db.prepare("UPDATE audit_cut SET archive_name = 'other.jsonl.gz', archive_sha256 = ? WHERE through_id = 24").run('1'.repeat(64)), /\(archive_name, archive_sha256\)/],
    ['rows and times', (t) => t.db.prepare('UPDATE audit_cut SET rows_removed = 30, cutoff_ts = cutoff_ts - 1, cut_at = cut_at + 1 WHERE through_id = 24').run(), /\(rows_removed, cutoff_ts, cut_at\)/],
    // A cut slipped in below the real one: the real one then seems to start at row 11.
    ['an extra cut below', (t) => t.db.prepare("INSERT INTO audit_cut VALUES (10, ?, 0, 0, 10, 'x.jsonl.gz', ?)").run('2'.repeat(64), '3'.repeat(64)), /\(through_id of the cut before it\)/],
    // The real cut replaced by one with the same anchor and made-up numbers.
    [
      'the real cut replaced',
      (t) => {
        t.db.exec('DROP TRIGGER audit_cut_no_delete');
        const hash = (t.db.prepare('SELECT through_hash AS h FROM audit_cut').get() as { h: string }).h;
        t.db.prepare('DELETE FROM audit_cut').run();
        t.db.prepare("INSERT INTO audit_cut VALUES (24, ?, 0, 0, 24, 'shopwarden-audit-1-24-x.jsonl.gz', ?)").run(hash, '0'.repeat(64));
      },
      /\(archive_name, archive_sha256, cutoff_ts, cut_at\)/,
    ],
  ];
  for (const [name, tamper, differs] of cases) {
    const { t, archiveDir } = agedLog();
    assert.ok((await runRetention(t.deps, { archiveDir, keepDays: 180 })).cut);
    t.writer.close();
    t.db.exec('DROP TRIGGER audit_cut_no_update');
    tamper(t);
    const verdict = await verdictOf(t);
    assertBroken(verdict, 61, /^cut mismatch: row 61 records the retention cut through row 24, but audit_cut disagrees/);
    assert.ok(!verdict.intact && differs.test(verdict.problem), `${name}: ${JSON.stringify(verdict)}`);
  }
});
