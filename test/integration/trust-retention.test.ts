import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
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
  const second = await runRetention({ ...t.deps, log: (e) => writer.append(e) }, { archiveDir, keepDays: 180 });
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
  assert.equal(verifyAuditChain(staff.db).intact, true);
});
