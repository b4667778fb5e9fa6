import { test } from 'node:test';
import assert from 'node:assert/strict';
import type Database from 'better-sqlite3';
import type { ChainVerdict } from '../../shared/model/audit';
import { chainHash } from '../../electron/core/audit/canonical';
import type { AuditWriteError } from '../../electron/core/audit/errors';
import { STORED_ROW_SELECT, type StoredRow } from '../../electron/core/audit/row';
import { AUDIT_GENESIS_HASH } from '../../electron/core/audit/schema';
import { verifyAuditChain, verifyAuditChainAsync } from '../../electron/core/audit/verify';
import { AuditWriter } from '../../electron/core/audit/writer';
import { dropAppendOnlyTriggers, navigation, openTempAuditDb, T0 } from './audit-test-db';

/** A log of `n` rows written by the real writer, in batches of 4, plus a way to tamper with it. */
function logOf(n: number) {
  const handle = openTempAuditDb();
  const writer = new AuditWriter(handle.db, { batchSize: 4, flushIntervalMs: 60_000 });
  for (let i = 0; i < n; i++) {
    writer.append(navigation(i, { detail: i % 5 === 0 ? { step: i } : {} }));
    if (i % 4 === 3) writer.flush();
  }
  writer.close();
  return handle;
}

function row(db: Database.Database, id: number): StoredRow {
  return db.prepare(`SELECT ${STORED_ROW_SELECT} FROM audit_log WHERE id = ?`).get(id) as StoredRow;
}

/** Overwrites every column of row `id` with `values` (the id stays). */
function overwrite(db: Database.Database, id: number, values: StoredRow): void {
  db.prepare(
    `UPDATE audit_log SET ts = ?, kind = ?, actor_id = ?, store_id = ?, url = ?, method = ?, module = ?, decision = ?, reason = ?, rule_id = ?, detail = ?, prev_hash = ?, hash = ? WHERE id = ?`,
  ).run(values.ts, values.kind, values.actorId, values.storeId, values.url, values.method, values.module, values.decision, values.reason, values.ruleId, values.detail, values.prevHash, values.hash, id);
}

/** Both verifiers must agree on every log; returns the verdict. */
async function verdictOf(db: Database.Database): Promise<ChainVerdict> {
  const sync = verifyAuditChain(db);
  const inSlices = await verifyAuditChainAsync(db, { chunkSize: 3 });
  assert.deepEqual(inSlices, sync, 'async and sync verification agree');
  return sync;
}

function assertBroken(verdict: ChainVerdict, firstBadId: number, problem: RegExp): void {
  assert.equal(verdict.intact, false, 'tampering must be detected');
  if (verdict.intact) return;
  assert.equal(verdict.firstBadId, firstBadId, verdict.problem);
  assert.match(verdict.problem, problem);
}

test('an untouched log is intact and reports its row count and head hash', async (t) => {
  const { db, cleanup } = logOf(10);
  t.after(cleanup);
  const last = row(db, 10);
  assert.deepEqual(await verdictOf(db), { intact: true, rows: 10, head: last.hash });
});

test('an empty log is intact with the genesis head', async (t) => {
  const { db, cleanup } = openTempAuditDb();
  t.after(cleanup);
  assert.deepEqual(await verdictOf(db), { intact: true, rows: 0, head: AUDIT_GENESIS_HASH });
});

test('the append-only triggers stop our own code from editing history', (t) => {
  const { db, cleanup } = logOf(3);
  t.after(cleanup);
  assert.throws(() => db.prepare("UPDATE audit_log SET url = 'x' WHERE id = 2").run(), /append-only/);
  assert.throws(() => db.prepare('DELETE FROM audit_log WHERE id = 3').run(), /append-only/);
  assert.throws(() => db.prepare('DELETE FROM audit_head').run(), /never deleted/);
});

test('an edited row is named by its id', async (t) => {
  const { db, cleanup } = logOf(10);
  t.after(cleanup);
  dropAppendOnlyTriggers(db);
  db.prepare("UPDATE audit_log SET url = 'https://sellercentral.amazon.com/innocent' WHERE id = 6").run();
  assertBroken(await verdictOf(db), 6, /^hash mismatch: row 6/);
});

test('an edited row whose hash was recomputed breaks the link from the next row', async (t) => {
  const { db, cleanup } = logOf(10);
  t.after(cleanup);
  dropAppendOnlyTriggers(db);
  const edited = { ...row(db, 4), decision: 'blocked' };
  db.prepare('UPDATE audit_log SET decision = ?, hash = ? WHERE id = 4').run(edited.decision, chainHash(edited));
  assertBroken(await verdictOf(db), 5, /^prev_hash mismatch: row 5 does not link to row 4/);
});

test('an edit to the detail or a change of a column type is caught', async (t) => {
  const { db, cleanup } = logOf(10);
  t.after(cleanup);
  dropAppendOnlyTriggers(db);
  db.prepare('UPDATE audit_log SET detail = \'{ "step": 5 }\' WHERE id = 6').run(); // same JSON value, other bytes
  assertBroken(await verdictOf(db), 6, /^hash mismatch/);
  db.prepare('UPDATE audit_log SET detail = \'{"step":5}\', ts = CAST(ts AS REAL) + 0.5 WHERE id = 6').run();
  assertBroken(await verdictOf(db), 6, /^hash mismatch/);
});

test('a row deleted from the middle is reported at the gap', async (t) => {
  const { db, cleanup } = logOf(10);
  t.after(cleanup);
  dropAppendOnlyTriggers(db);
  db.prepare('DELETE FROM audit_log WHERE id IN (4, 5)').run();
  assertBroken(await verdictOf(db), 6, /^id gap: rows 4–5 are missing before row 6/);
});

test('a deleted middle row is still caught when the attacker renumbers and rehashes the rest, thanks to the anchor', async (t) => {
  const { db, cleanup } = logOf(6);
  t.after(cleanup);
  dropAppendOnlyTriggers(db);
  // Rewrite the chain without row 3: a perfect forgery except for the anchored head.
  const kept = (db.prepare(`SELECT ${STORED_ROW_SELECT} FROM audit_log WHERE id <> 3 ORDER BY id`).all() as StoredRow[]);
  db.prepare('DELETE FROM audit_log').run();
  let prevHash = AUDIT_GENESIS_HASH;
  kept.forEach((original, i) => {
    const forged = { ...original, id: i + 1, prevHash };
    forged.hash = chainHash(forged);
    prevHash = forged.hash;
    db.prepare('INSERT INTO audit_log (id, ts, kind, actor_id, store_id, url, method, module, decision, reason, rule_id, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)').run(
      forged.id, forged.ts, forged.kind, forged.actorId, forged.storeId, forged.url, forged.method, forged.module, forged.decision, forged.reason, forged.ruleId, forged.detail, forged.prevHash, forged.hash,
    );
  });
  assertBroken(await verdictOf(db), 6, /^head mismatch: the log ends at row 5 but its anchored head is row 6/);
});

test('deleting the last row is caught through the anchored head', async (t) => {
  const { db, cleanup } = logOf(10);
  t.after(cleanup);
  dropAppendOnlyTriggers(db);
  db.prepare('DELETE FROM audit_log WHERE id = 10').run();
  assertBroken(await verdictOf(db), 10, /^head mismatch: the log ends at row 9 but its anchored head is row 10/);
});

test('deleting the last rows and the anchor is still reported', async (t) => {
  const { db, cleanup } = logOf(10);
  t.after(cleanup);
  dropAppendOnlyTriggers(db);
  db.prepare('DELETE FROM audit_log WHERE id > 7').run();
  db.prepare('DELETE FROM audit_head').run();
  assertBroken(await verdictOf(db), 7, /^head mismatch: audit_head is missing/);
});

test('two rows with swapped contents are reported at the first of them', async (t) => {
  const { db, cleanup } = logOf(10);
  t.after(cleanup);
  dropAppendOnlyTriggers(db);
  const a = row(db, 3);
  const b = row(db, 7);
  overwrite(db, 3, b);
  overwrite(db, 7, a);
  assertBroken(await verdictOf(db), 3, /^hash mismatch: row 3/);
});

test('two rows swapped including their ids (rehashed in place) break the links', async (t) => {
  const { db, cleanup } = logOf(10);
  t.after(cleanup);
  dropAppendOnlyTriggers(db);
  // Each row keeps a valid own hash for its new position; only the chain links betray it.
  const [a, b] = [row(db, 3), row(db, 7)];
  for (const [id, from] of [[3, b], [7, a]] as const) {
    const moved = { ...from, id };
    moved.hash = chainHash(moved);
    overwrite(db, id, moved);
  }
  assertBroken(await verdictOf(db), 3, /^prev_hash mismatch: row 3/);
});

test('rows appended behind the writer\'s back are reported', async (t) => {
  const { db, cleanup } = logOf(4);
  t.after(cleanup);
  const last = row(db, 4);
  const forged = { ...last, id: 5, prevHash: last.hash, url: 'https://forged.example/' };
  forged.hash = chainHash(forged);
  db.prepare(
    'INSERT INTO audit_log (id, ts, kind, actor_id, store_id, url, method, module, decision, reason, rule_id, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
  ).run(5, forged.ts, forged.kind, forged.actorId, forged.storeId, forged.url, forged.method, forged.module, forged.decision, forged.reason, forged.ruleId, forged.detail, forged.prevHash, forged.hash);
  // A perfectly chained forgery; only the anchored head knows the log ended at row 4.
  assertBroken(await verdictOf(db), 5, /^head mismatch: rows after 4 were added outside the writer/);
});

test('after the newest rows were deleted, a restarted writer warns and keeps the damage visible', async (t) => {
  const { db, cleanup } = logOf(8);
  t.after(cleanup);
  dropAppendOnlyTriggers(db);
  db.prepare('DELETE FROM audit_log WHERE id > 6').run();
  const warnings: AuditWriteError[] = [];
  const writer = new AuditWriter(db, { onError: (error) => warnings.push(error) });
  await Promise.resolve();
  assert.equal(warnings[0]?.problem, 'head-mismatch');
  writer.append(navigation(99));
  assert.equal(writer.close(), 9, 'new rows continue after the anchored head, not over the deleted ids');
  assertBroken(await verdictOf(db), 9, /^id gap: rows 7–8 are missing before row 9/);
});

test('async verification reports progress, yields between slices and can be aborted', async (t) => {
  const { db, cleanup } = logOf(20);
  t.after(cleanup);
  const progress: number[] = [];
  let turns = 0;
  let done = false;
  const tick = () => {
    turns += 1;
    if (!done) setImmediate(tick);
  };
  setImmediate(tick);
  const verdict = await verifyAuditChainAsync(db, { chunkSize: 5, onProgress: (n) => progress.push(n) });
  done = true;
  assert.equal(verdict.intact, true);
  assert.deepEqual(progress, [5, 10, 15, 20]);
  assert.ok(turns >= 3, `other work ran between slices (${turns} turns)`);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(verifyAuditChainAsync(db, { signal: controller.signal }), { name: 'AbortError' });
});

test('verification streams: a log larger than one slice is checked without loading it', async (t) => {
  const { db, cleanup } = openTempAuditDb();
  t.after(cleanup);
  const writer = new AuditWriter(db);
  for (let i = 0; i < 20_000; i++) writer.append(navigation(i));
  writer.close();
  // Row 15 000 is edited; the walk must get there through the iterator and stop at it.
  dropAppendOnlyTriggers(db);
  db.prepare("UPDATE audit_log SET method = 'POST' WHERE id = 15000").run();
  assertBroken(verifyAuditChain(db), 15000, /^hash mismatch/);
  assertBroken(await verifyAuditChainAsync(db), 15000, /^hash mismatch/);
});

test('owner-change rows that only mention retention are not cut records; a retention row naming a cut audit_cut lacks is reported', async (t) => {
  const { db, cleanup } = openTempAuditDb(); // no audit_cut table: a log never cut
  t.after(cleanup);
  const writer = new AuditWriter(db, { flushIntervalMs: 60_000 });
  for (let i = 0; i < 4; i++) writer.append(navigation(i));
  // The owner changing the retention setting, and a large detail that merely contains the word.
  writer.append({ ts: T0, kind: 'owner-change', actorId: 'owner', detail: { entity: 'settings', action: 'update', id: 'trust.retention', before: { keepDays: 180 }, after: { keepDays: 90 } } });
  writer.append({ ts: T0, kind: 'owner-change', actorId: 'owner', detail: { entity: 'role', action: 'update', id: 'r1', before: null, after: { name: '"retention"', notes: 'x'.repeat(100_000) } } });
  writer.flush();
  assert.deepEqual(await verdictOf(db), { intact: true, rows: 6, head: row(db, 6).hash });

  // Chained properly (as by someone who can hash), but no cut it describes was ever recorded.
  const forged = { entity: 'audit-log', action: 'delete', id: '1-3', before: { fromId: 1, throughId: 3, rows: 3 }, after: null, source: 'retention', headHash: row(db, 3).hash };
  writer.append({ ts: T0, kind: 'owner-change', actorId: null, detail: forged });
  writer.close();
  assertBroken(await verdictOf(db), 7, /^cut mismatch: row 7 records a retention cut through row 3, but audit_cut has no such cut/);
});
