import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { hash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { AUDIT_DETAIL_MAX } from '../../shared/model/audit';
import { AUDIT_GENESIS_HASH } from '../../electron/core/audit/schema';
import { canonicalJson, chainHash } from '../../electron/core/audit/canonical';
import { AuditInputError, AuditWriteError } from '../../electron/core/audit/errors';
import { readAuditHead } from '../../electron/core/audit/head';
import { redactUrl } from '../../electron/core/audit/redact';
import { STORED_ROW_SELECT, type StoredRow } from '../../electron/core/audit/row';
import { verifyAuditChain } from '../../electron/core/audit/verify';
import { AuditWriter } from '../../electron/core/audit/writer';
import { navigation, openTempAuditDb, T0 } from './audit-test-db';

function rows(db: Database.Database): StoredRow[] {
  return db.prepare(`SELECT ${STORED_ROW_SELECT} FROM audit_log ORDER BY id`).all() as StoredRow[];
}

function rowCount(db: Database.Database): number {
  return (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

function failInsertsFrom(db: Database.Database, id: number): void {
  db.exec(`CREATE TEMP TRIGGER simulated_failure BEFORE INSERT ON main.audit_log WHEN NEW.id >= ${id}
           BEGIN SELECT RAISE(ABORT, 'simulated disk failure'); END;`);
}

test('flush commits the queue as one chain segment and returns the last committed id', (t) => {
  const { db, cleanup } = openTempAuditDb();
  t.after(cleanup);
  const writer = new AuditWriter(db, { flushIntervalMs: 60_000 });
  for (let i = 0; i < 3; i++) writer.append(navigation(i, { detail: { z: 1, a: { y: 2, b: 3 } } }));
  assert.equal(rowCount(db), 0, 'append only queues');
  assert.equal(writer.pendingCount, 3);

  assert.equal(writer.flush(), 3);
  assert.equal(writer.lastCommittedId, 3);
  assert.equal(writer.pendingCount, 0);
  const stored = rows(db);
  assert.deepEqual(stored.map((row) => row.id), [1, 2, 3]);
  let prev = AUDIT_GENESIS_HASH;
  for (const row of stored) {
    assert.equal(row.prevHash, prev);
    assert.equal(row.hash, chainHash(row));
    assert.match(row.hash, /^[0-9a-f]{64}$/);
    assert.equal(row.detail, '{"a":{"b":3,"y":2},"z":1}', 'detail is stored as canonical JSON');
    prev = row.hash;
  }
  assert.deepEqual(readAuditHead(db), { lastId: 3, hash: prev, rows: 3 });
  assert.deepEqual(writer.head, { lastId: 3, hash: prev, rows: 3 });
  assert.equal(writer.flush(), 3, 'an empty flush reports the same head');
  writer.close();
});

test('a row written in the caller’s transaction commits with it, ahead of the queue, or goes with its rollback', (t) => {
  const { db, cleanup } = openTempAuditDb();
  t.after(cleanup);
  const writer = new AuditWriter(db, { flushIntervalMs: 60_000 });
  writer.append(navigation(0));
  writer.flush();
  writer.append(navigation(1)); // still queued
  assert.throws(() => writer.appendInTransaction(navigation(2)), /open transaction/);
  assert.throws(() =>
    db.transaction(() => {
      writer.appendInTransaction(navigation(2));
      throw new Error('the caller’s change failed');
    })(),
  );
  assert.equal(rowCount(db), 1, 'rolled back with the caller');
  assert.equal(writer.lastCommittedId, 1, 'the writer is as it was');
  const committed = db.transaction(() => writer.appendInTransaction(navigation(3)))();
  committed();
  assert.equal(writer.lastCommittedId, 2);
  assert.equal(writer.flush(), 3, 'the queued event follows it');
  assert.deepEqual(rows(db).map((row) => row.url), [navigation(0).url, navigation(3).url, navigation(1).url]);
  assert.equal(verifyAuditChain(db).intact, true);
  writer.close();
});

test('the hash covers every field: changing any one of them changes it', () => {
  const base = { id: 7, ts: T0, kind: 'block', actorId: 'a', storeId: 's', url: 'https://x/', method: 'POST', module: 'm', decision: 'blocked', reason: 'rule', ruleId: 'r1', detail: '{}', prevHash: AUDIT_GENESIS_HASH };
  const original = chainHash(base);
  const variants = [
    { id: 8 }, { ts: T0 + 1 }, { kind: 'mutation' }, { actorId: null }, { storeId: 'a' }, { url: 'https://x/?' }, { method: 'GET' },
    { module: null }, { decision: 'allowed' }, { reason: 'rule ' }, { ruleId: 'r2' }, { detail: '{"a":1}' }, { prevHash: '1'.repeat(64) },
    { actorId: 's', storeId: 'a' }, // swapping neighbours
    { reason: 'null' }, // the string "null" is not null
  ];
  for (const change of variants) assert.notEqual(chainHash({ ...base, ...change }), original, JSON.stringify(change));
});

test('events are committed automatically after flushIntervalMs', async (t) => {
  const { db, cleanup } = openTempAuditDb();
  t.after(cleanup);
  const writer = new AuditWriter(db, { flushIntervalMs: 20 });
  t.after(() => writer.close());
  writer.append(navigation(1));
  assert.equal(rowCount(db), 0);
  await waitFor(() => rowCount(db) === 1, 'the timed flush');
  assert.equal(writer.lastCommittedId, 1);
});

test('a full batch is committed on the next turn of the event loop, in one transaction', async (t) => {
  const { db, cleanup } = openTempAuditDb();
  t.after(cleanup);
  const writer = new AuditWriter(db, { flushIntervalMs: 60_000, batchSize: 5 });
  t.after(() => writer.close());
  for (let i = 0; i < 4; i++) writer.append(navigation(i));
  await nextTurn();
  assert.equal(rowCount(db), 0, 'below batchSize nothing happens before the interval');
  writer.append(navigation(4));
  assert.equal(rowCount(db), 0, 'append itself never writes');
  await nextTurn();
  assert.equal(rowCount(db), 5);
});

test('a failed flush rolls back, keeps the events queued, reports via onError and succeeds on retry', async (t) => {
  const { db, cleanup } = openTempAuditDb();
  t.after(cleanup);
  const errors: AuditWriteError[] = [];
  const writer = new AuditWriter(db, { flushIntervalMs: 10, maxRetryDelayMs: 20, onError: (error) => errors.push(error) });
  t.after(() => writer.close());
  for (let i = 0; i < 5; i++) writer.append(navigation(i));
  assert.equal(writer.flush(), 5);
  const headBefore = readAuditHead(db);

  failInsertsFrom(db, 8); // rows 6 and 7 get inserted before the failure, then must vanish
  for (let i = 5; i < 9; i++) writer.append(navigation(i, { url: `https://sellercentral.amazon.com/p?n=${i}` }));
  assert.throws(() => writer.flush(), (error: unknown) => error instanceof AuditWriteError && error.problem === 'flush-failed' && /simulated disk failure/.test(error.message));
  assert.equal(rowCount(db), 5, 'the partial batch was rolled back');
  assert.deepEqual(readAuditHead(db), headBefore, 'the anchor did not move');
  assert.equal(writer.pendingCount, 4, 'the events are kept');
  assert.equal(writer.lastCommittedId, 5);

  await waitFor(() => errors.length > 0, 'the automatic retry to report');
  assert.equal(errors[0]!.problem, 'flush-failed');
  assert.equal(rowCount(db), 5);

  db.exec('DROP TRIGGER temp.simulated_failure');
  await waitFor(() => writer.pendingCount === 0, 'the retry to succeed');
  assert.deepEqual(rows(db).map((row) => row.url), [0, 1, 2, 3, 4].map((i) => `https://sellercentral.amazon.com/orders-v3?page=${i}`).concat([5, 6, 7, 8].map((i) => `https://sellercentral.amazon.com/p?n=${i}`)));
  assert.equal(writer.lastCommittedId, 9);
  assert.deepEqual(verifyAuditChain(db), { intact: true, rows: 9, head: writer.head.hash });
});

test('when flushes keep failing the queue is bounded and append says the event was not logged', (t) => {
  const { db, cleanup } = openTempAuditDb();
  t.after(cleanup);
  const errors: AuditWriteError[] = [];
  const writer = new AuditWriter(db, { flushIntervalMs: 60_000, batchSize: 3, maxQueued: 3, onError: (error) => errors.push(error) });
  failInsertsFrom(db, 1);
  for (let i = 0; i < 3; i++) writer.append(navigation(i));
  const full = (error: unknown) => error instanceof AuditWriteError && error.problem === 'backlog-full';
  assert.throws(() => writer.append(navigation(3)), full);
  assert.equal(errors.length, 1, 'the synchronous flush attempt was reported');
  assert.throws(() => writer.append(navigation(4)), full, 'while failing, no new attempt on every append');
  assert.equal(writer.pendingCount, 3);
  db.exec('DROP TRIGGER temp.simulated_failure');
  assert.equal(writer.close(), 3);
  assert.deepEqual(rows(db).map((row) => row.ts), [0, 1, 2].map((i) => T0 + i * 1000));
});

test('malformed events are refused at append time with the reason, and nothing is queued', () => {
  const { db, cleanup } = openTempAuditDb();
  try {
    const writer = new AuditWriter(db);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const cases: [unknown, RegExp][] = [
      [{ ...navigation(0), kind: 'nope' }, /kind/],
      [{ ...navigation(0), ts: -1 }, /ts/],
      [{ ...navigation(0), actorId: 'has space' }, /actorId/],
      [{ ...navigation(0), detail: { n: 10n } }, /detail\.n: a bigint is not JSON data/],
      [{ ...navigation(0), detail: { list: [1, Number.NaN] } }, /detail\.list\[1\]: NaN is not a finite number/],
      [{ ...navigation(0), detail: { error: new Error('boom') } }, /detail\.error: a Error is not plain JSON data/],
      [{ ...navigation(0), detail: { m: new Map() } }, /detail\.m: a Map/],
      [{ ...navigation(0), detail: cycle }, /nested deeper/],
      [null, /invalid audit event/],
    ];
    for (const [event, message] of cases) {
      assert.throws(() => writer.append(event as never), (error: unknown) => error instanceof AuditInputError && message.test(error.message), String(message));
    }
    assert.equal(writer.pendingCount, 0);
    writer.close();
  } finally {
    cleanup();
  }
});

test('detail is redacted and frozen at append; dates become ISO strings; long URLs are cut, not refused', (t) => {
  const { db, cleanup } = openTempAuditDb();
  t.after(cleanup);
  const writer = new AuditWriter(db);
  const detail = { entity: 'staff', after: { password: 'new-secret', when: new Date(T0) }, note: undefined };
  writer.append({ ts: T0, kind: 'owner-change', actorId: 'owner', detail });
  detail.after.password = 'changed later';
  writer.append(navigation(1, { url: `https://sellercentral.amazon.com/search?q=${'x'.repeat(9000)}&token=abc` }));
  writer.close();
  const [change, long] = rows(db);
  assert.equal(change!.detail, `{"after":{"password":"REDACTED","when":"${new Date(T0).toISOString()}"},"entity":"staff"}`);
  assert.equal(long!.url!.length, 8192);
  assert.ok(long!.url!.endsWith('…'), 'marked as cut');
});

test('a detail over the limit is stored reduced, never refused: its largest fields become size and SHA-256', (t) => {
  const { db, cleanup } = openTempAuditDb();
  t.after(cleanup);
  const writer = new AuditWriter(db);
  const sha256 = (text: string) => hash('sha256', text, 'hex');
  // A role update whose before and after are each over half the limit.
  const role = (tag: string) => ({ name: tag, rules: Array.from({ length: 300 }, (_, i) => ({ id: `r${i}`, filter: `https://sc.example/${'p'.repeat(1900)}/${i}` })) });
  const full = { entity: 'role', action: 'update', id: 'r1', before: role('old'), after: role('new') };
  const exact = { s: 'x'.repeat(AUDIT_DETAIL_MAX - '{"s":""}'.length) };
  const countless = Object.fromEntries(Array.from({ length: 120_000 }, (_, i) => [`key-${i}`, i]));
  for (const detail of [full, exact, countless]) writer.append({ ts: T0, kind: 'owner-change', actorId: 'owner', detail });
  writer.close();
  const [reduced, atLimit, noteOnly] = rows(db);

  assert.ok(reduced!.detail.length <= AUDIT_DETAIL_MAX, `${reduced!.detail.length} characters`);
  const stored = JSON.parse(reduced!.detail) as Record<string, unknown>;
  const fullText = canonicalJson(full);
  assert.deepEqual(stored.detailReduced, { limit: AUDIT_DETAIL_MAX, chars: fullText.length, sha256: sha256(fullText) });
  // The largest field goes first ("after" on a tie, by name); what fits is kept as it was.
  const afterText = canonicalJson(full.after);
  assert.deepEqual(stored.after, { omitted: { chars: afterText.length, sha256: sha256(afterText) } });
  assert.deepEqual(stored.before, full.before);
  assert.deepEqual([stored.entity, stored.action, stored.id], ['role', 'update', 'r1']);

  assert.equal(atLimit!.detail, canonicalJson(exact), 'a detail of exactly the limit is stored as it is');
  // No single field is worth replacing: only the note is left.
  const countlessText = canonicalJson(countless);
  assert.ok(countlessText.length > AUDIT_DETAIL_MAX);
  assert.deepEqual(JSON.parse(noteOnly!.detail), { detailReduced: { limit: AUDIT_DETAIL_MAX, chars: countlessText.length, sha256: sha256(countlessText) } });

  // The hash covers the reduced text, which is what is stored.
  assert.equal(verifyAuditChain(db).intact, true);
});

test('strings SQLite cannot store as given (lone surrogates) are normalised before hashing', (t) => {
  const { db, cleanup } = openTempAuditDb();
  t.after(cleanup);
  const writer = new AuditWriter(db);
  writer.append(navigation(0, { reason: 'a\uD800b', url: 'https://x.example/\uDC00?q=\u0000' }));
  writer.close();
  const [row] = rows(db);
  assert.equal(row!.reason, 'a\uFFFDb');
  assert.equal(verifyAuditChain(db).intact, true);
});

test('a new writer continues the chain where the last one stopped', (t) => {
  const { db, reopen, cleanup } = openTempAuditDb();
  t.after(cleanup);
  const first = new AuditWriter(db);
  for (let i = 0; i < 3; i++) first.append(navigation(i));
  first.close();
  db.close();

  const again = reopen();
  const second = new AuditWriter(again);
  assert.deepEqual(second.head, first.head);
  second.append(navigation(3));
  second.append(navigation(4));
  assert.equal(second.close(), 5);
  assert.deepEqual(verifyAuditChain(again), { intact: true, rows: 5, head: second.head.hash });
});

test('a second writer on the same log is refused instead of forking the chain', (t) => {
  const { db, reopen, cleanup } = openTempAuditDb();
  t.after(cleanup);
  const first = new AuditWriter(db);
  const second = new AuditWriter(reopen(), { flushIntervalMs: 60_000 });
  first.append(navigation(0));
  first.flush();
  second.append(navigation(1));
  assert.throws(() => second.flush(), /another writer is appending/);
  assert.equal(rowCount(db), 1);
  assert.equal(verifyAuditChain(db).intact, true);
  first.close();
});

test('flush refuses to run inside a transaction the caller opened; close flushes and then refuses appends', (t) => {
  const { db, cleanup } = openTempAuditDb();
  t.after(cleanup);
  const writer = new AuditWriter(db, { flushIntervalMs: 60_000 });
  writer.append(navigation(0));
  assert.throws(() => db.transaction(() => writer.flush())(), /another transaction is open/);
  assert.equal(writer.pendingCount, 1);
  assert.equal(writer.close(), 1);
  assert.equal(rowCount(db), 1);
  assert.throws(() => writer.append(navigation(1)), (error: unknown) => error instanceof AuditWriteError && error.problem === 'closed');
  assert.equal(writer.close(), 1, 'closing twice is harmless');
});

test('property: any events, in any batch sizes, are stored faithfully and the chain verifies', (t) => {
  const { db, cleanup } = openTempAuditDb();
  t.after(cleanup);
  const writer = new AuditWriter(db, { flushIntervalMs: 60_000 });
  t.after(() => writer.close());
  const text = fc.string({ unit: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.constantFrom('\u0000', '"', '\\', '\u{1F600}', '店')), maxLength: 40 });
  const event = fc.record({
    ts: fc.nat(),
    kind: fc.constantFrom('navigation', 'mutation', 'block', 'owner-change' as const),
    actorId: fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/)),
    url: fc.option(fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), text)),
    method: fc.option(fc.string({ maxLength: 16 })),
    reason: fc.option(text.map((s) => s.slice(0, 64))),
    detail: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
  });
  fc.assert(
    fc.property(fc.array(event, { minLength: 1, maxLength: 20 }), (events) => {
      const firstId = writer.lastCommittedId + 1;
      for (const e of events) writer.append(e);
      const lastId = writer.flush();
      assert.equal(lastId, firstId + events.length - 1);
      const stored = db.prepare(`SELECT ${STORED_ROW_SELECT} FROM audit_log WHERE id >= ? ORDER BY id`).all(firstId) as StoredRow[];
      assert.equal(stored.length, events.length);
      stored.forEach((row, i) => {
        const input = events[i]!;
        assert.equal(row.ts, input.ts);
        assert.equal(row.kind, input.kind);
        assert.equal(row.actorId, input.actorId);
        assert.equal(row.method, input.method);
        assert.equal(row.reason, input.reason);
        assert.equal(row.url, input.url === null ? null : redactUrl(input.url));
        assert.equal(row.hash, chainHash(row));
        assert.doesNotThrow(() => JSON.parse(row.detail));
      });
      const verdict = verifyAuditChain(db);
      assert.equal(verdict.intact, true, JSON.stringify(verdict));
    }),
    { numRuns: 60 },
  );
});
