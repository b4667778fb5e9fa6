// The log viewer's indexes (migration 3: module index, URL trigram index, planner statistics;
// migration 4: the staff index that carries the other filter columns)
// change how pages are found, never which rows they hold: every filter gives the same pages as
// the schema before them and as a plain-JavaScript reading of the filter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import fc from 'fast-check';
import type { LogFilter } from '../../shared/ipc/contract';
import type { AuditEvent, AuditEventInput, AuditKind } from '../../shared/model/audit';
import { AuditReader, URL_INDEX_MAX_ROWS } from '../../electron/core/audit/reader';
import { hasStaffIndex, hasUrlIndex, STAFF_INDEX, urlIndexPattern } from '../../electron/core/audit/search';
import { AuditWriter } from '../../electron/core/audit/writer';
import { UrlIndexer } from '../../electron/core/audit/url-indexer';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { verifyAuditChain } from '../../electron/core/audit/verify';
import { MIGRATIONS } from '../../electron/core/db/migrations';
import { openDatabase, openReadConnection } from '../../electron/core/db/open';
import { runRetention } from '../../electron/core/trust/retention';
import { openTempAuditDb, matchesLogFilter, T0, xorshift } from './audit-test-db';
import { freshDir } from './db-test-helpers';
import { DAY, event, openTrustDb } from '../fixtures/trust/helpers';

const HOUR = 3_600_000;
const ACTORS = ['ann', 'bo', 'cy', 'di', 'ed'];
const STORES = ['us', 'de', 'tb'];
const KINDS: AuditKind[] = ['navigation', 'mutation', 'block', 'download', 'login', 'lockout'];
const MODULES = ['orders', 'pricing', 'payments', 'close-account', null];
/** Path pieces: common and rare words, case variants, LIKE metacharacters, non-ASCII letters, a percent-encoded one. */
const URL_BITS = ['orders-v3', 'ORDERS-V3', 'Orders-v3/order', 'pricing', '50%off', '50%25off', 'a_b', 'axb', 'back\\slash', 'Äpfel', 'äpfel', '杯子', '%E6%9D%AF', 'refund'];
const TERMS = ['orders-v3', 'ORDERS', 'rders-v3/ord', 'pricing', '50%off', '0%2', 'a_b', '\\sl', 'äpfel', 'ÄPFEL', 'Äpf', '杯子', '杯', '%E6', 're', 'x', '113-0000042', 'nothing-like-this', '/', 'https://sc.example/'];

/** A deterministic, deliberately untidy log: ts out of id order with ties, nulls, a rare order number. */
function sampleEvents(count: number): AuditEventInput[] {
  const next = xorshift(7);
  return Array.from({ length: count }, (_, i) => {
    const kind = KINDS[next(KINDS.length)]!;
    const bit = URL_BITS[next(URL_BITS.length)]!;
    return {
      ts: T0 + Math.floor(i / 3) * HOUR - next(3) * HOUR,
      kind,
      actorId: next(10) === 0 ? null : ACTORS[next(ACTORS.length)]!,
      storeId: next(12) === 0 ? null : STORES[next(STORES.length)]!,
      url: next(8) === 0 ? null : `https://sc.example/${bit}/${i % 97 === 42 ? '113-0000042' : i}`,
      method: kind === 'mutation' ? 'POST' : 'GET',
      module: MODULES[next(MODULES.length)]!,
      decision: kind === 'block' ? 'blocked' : kind === 'login' || kind === 'lockout' ? null : 'allowed',
    };
  });
}

function allPages(reader: AuditReader, filter: LogFilter, limit: number): number[] {
  const ids: number[] = [];
  let beforeId: number | undefined;
  for (let pages = 0; pages < 2000; pages++) {
    const page = reader.query(filter, { beforeId, limit });
    ids.push(...page.rows.map((row) => row.id));
    if (page.nextBeforeId === null) return ids;
    beforeId = page.nextBeforeId;
  }
  throw new Error('pagination does not end');
}

const urlIndexRows = (db: Database.Database) => (db.prepare('SELECT count(*) AS n FROM audit_url').get() as { n: number }).n;

/** FTS5's own check of an external-content index against audit_log: throws when they differ. */
function assertUrlIndexExact(db: Database.Database): void {
  db.exec("INSERT INTO audit_url (audit_url, rank) VALUES ('integrity-check', 1)");
}

/** The same log twice: on the schema before migration 3 (AUDIT_SCHEMA_SQL only) and on the app's migrated database. */
function twoLogs(count: number) {
  const legacy = openTempAuditDb();
  const dir = freshDir();
  const file = join(dir, 'shopwarden.db');
  const migrated = openDatabase(file);
  for (const db of [legacy.db, migrated]) {
    const writer = new AuditWriter(db, { batchSize: 97 });
    for (const e of sampleEvents(count)) writer.append(e);
    writer.close();
  }
  // The first 60% indexed, as after a burst the indexer has not caught up with: searches use the index and the tail.
  UrlIndexer.open(migrated)!.indexNext(Math.floor(count * 0.6));
  migrated.close();
  // Reopened as the app does: openDatabase takes the planner statistics, the viewer reads on its own connection.
  openDatabase(file).close();
  const read = openReadConnection(file);
  return {
    legacy: new AuditReader(legacy.db),
    migrated: new AuditReader(read),
    /** Every URL search goes the other way: along the other filters' index. */
    migratedScan: new AuditReader(read, { urlIndexMaxRows: 0 }),
    /** Only very rare texts use the URL index. */
    migratedSmallCap: new AuditReader(read, { urlIndexMaxRows: 3 }),
    all: [...new AuditReader(legacy.db).iterate()],
    legacyDb: legacy.db,
    read,
    file,
    cleanup() {
      read.close();
      legacy.cleanup();
    },
  };
}

/** Each key set about a third of the time, so that most filters still match rows; `from` before `to`. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary, weight: 1 });
const filterArbitrary: fc.Arbitrary<LogFilter> = fc
  .record({
    actorId: sometimes(fc.constantFrom(...ACTORS)),
    storeId: sometimes(fc.constantFrom(...STORES)),
    module: sometimes(fc.constantFrom('orders', 'pricing', 'payments', 'close-account')),
    kinds: sometimes(fc.subarray(KINDS, { minLength: 1, maxLength: 3 })),
    decision: sometimes(fc.constantFrom('allowed' as const, 'blocked' as const)),
    range: fc.tuple(fc.integer({ min: T0 - 10 * HOUR, max: T0 + 700 * HOUR }), fc.integer({ min: 1, max: 400 * HOUR }), fc.constantFrom('from', 'to', 'both', 'none', 'none')),
    urlContains: fc.oneof({ arbitrary: fc.constant(undefined), weight: 1 }, { arbitrary: fc.constantFrom(...TERMS), weight: 2 }),
  })
  .map(({ range: [from, span, which], ...rest }) => {
    const filter: LogFilter = {};
    for (const [key, value] of Object.entries(rest)) if (value !== undefined) Object.assign(filter, { [key]: value });
    if (which === 'from' || which === 'both') filter.from = from;
    if (which === 'to' || which === 'both') filter.to = from + span;
    return filter;
  });

test('property: with the new indexes every filter pages through exactly the rows it did before, newest first; counts agree', (t) => {
  const logs = twoLogs(2000);
  t.after(logs.cleanup);
  assert.ok(hasUrlIndex(logs.read) && !hasUrlIndex(logs.legacyDb));
  const newestFirst = (a: AuditEvent, b: AuditEvent) => b.ts - a.ts || b.id - a.id;
  const sizes: number[] = [];
  fc.assert(
    fc.property(filterArbitrary, fc.integer({ min: 25, max: 400 }), (filter, limit) => {
      const expected = logs.all.filter((row) => matchesLogFilter(row, filter)).sort(newestFirst).map((row) => row.id);
      const before = allPages(logs.legacy, filter, limit);
      assert.deepEqual(before, expected, 'the schema before migration 3 agrees with the spec');
      sizes.push(before.length);
      for (const reader of [logs.migrated, logs.migratedScan, logs.migratedSmallCap]) {
        assert.deepEqual(allPages(reader, filter, limit), before);
        assert.equal(reader.count(filter), before.length);
      }
    }),
    { numRuns: 150, endOnFailure: true },
  );
  assert.ok(sizes.filter((n) => n > 0).length > 75, 'most generated filters match some rows');
});

test('every filter key alone and all together, for every term: the same first page and count as before', (t) => {
  const logs = twoLogs(3000);
  t.after(logs.cleanup);
  const probe = logs.all.find((row) => row.actorId && row.storeId && row.module && row.decision && row.url)!;
  for (const urlContains of TERMS) {
    const filters: LogFilter[] = [
      { urlContains },
      { urlContains, actorId: probe.actorId! },
      { urlContains, storeId: probe.storeId! },
      { urlContains, module: probe.module! },
      { urlContains, kinds: [probe.kind] },
      { urlContains, decision: probe.decision! },
      { urlContains, from: probe.ts - 5 * DAY, to: probe.ts + DAY },
      { urlContains, actorId: probe.actorId!, storeId: probe.storeId!, module: probe.module!, kinds: [probe.kind], decision: probe.decision!, from: probe.ts - 5 * DAY, to: probe.ts + DAY },
    ];
    for (const filter of filters) {
      const first = logs.legacy.query(filter, { limit: 200 });
      assert.deepEqual(logs.migrated.query(filter, { limit: 200 }), first, JSON.stringify(filter));
      assert.equal(logs.migrated.count(filter), logs.legacy.count(filter), JSON.stringify(filter));
    }
  }
});

test('a rare URL text is read through the URL index, a common one and short ones along the other filters; a staff filter uses its own index', (t) => {
  const logs = twoLogs(3000);
  t.after(logs.cleanup);
  const rare = logs.migrated.explainQuery({ urlContains: '113-0000042', actorId: 'ann' }).join(' | ');
  assert.match(rare, /INTEGER PRIMARY KEY/, rare);
  const common = new AuditReader(logs.read, { urlIndexMaxRows: 10 }).explainQuery({ urlContains: 'orders-v3', actorId: 'ann' }).join(' | ');
  assert.match(common, new RegExp(`INDEX ${STAFF_INDEX}\\b`), common);
  for (const short of ['re', '杯', 'a%', '%_']) assert.doesNotMatch(logs.migrated.explainQuery({ urlContains: short }).join(' | '), /PRIMARY KEY/, short);
  // A staff member's rows are found through the staff index, which also checks the other
  // filters' columns, even where the planner's statistics point at a rare module's index.
  for (const filter of [{ actorId: 'ann', decision: 'allowed' as const }, { actorId: 'ann', module: 'close-account', kinds: ['mutation' as const] }]) {
    assert.match(logs.migrated.explainQuery(filter).join(' | '), new RegExp(`INDEX ${STAFF_INDEX} \\(actor_id=\\?\\)`), JSON.stringify(filter));
  }
  assert.match(logs.migrated.explainQuery({ module: 'close-account' }).join(' | '), /audit_log_module_ts/);
  // Before migration 4 the reader leaves the choice to the planner.
  assert.ok(!hasStaffIndex(logs.legacyDb));
  assert.match(logs.legacy.explainQuery({ actorId: 'ann' }).join(' | '), /audit_log_actor_ts \(actor_id=\?\)/);
  assert.ok(URL_INDEX_MAX_ROWS >= 1000);
});

test('urlIndexPattern: a LIKE pattern that finds a superset, only when there is a run of 3 characters to look up', () => {
  assert.equal(urlIndexPattern('orders'), '%orders%');
  assert.equal(urlIndexPattern('50%off'), '%50_off%');
  assert.equal(urlIndexPattern('a_bcd'), '%a_bcd%');
  assert.equal(urlIndexPattern('ab_cd'), null);
  assert.equal(urlIndexPattern('杯子'), null);
  assert.equal(urlIndexPattern('杯子店'), '%杯子店%');
  assert.equal(urlIndexPattern('😀😀😀'), '%😀😀😀%', 'characters, not UTF-16 units');
  assert.equal(urlIndexPattern('😀a'), null);
  assert.equal(urlIndexPattern('back\\sl'), '%back\\sl%');
});

test('migration 3 indexes the URLs of a log written before it; the writer indexes new rows in idle time, and searches find them before it has', async () => {
  const file = join(freshDir(), 'shopwarden.db');
  const old = openDatabase(file, { migrations: MIGRATIONS.slice(0, 2) });
  const before = new AuditWriter(old, { batchSize: 50 });
  for (const e of sampleEvents(400)) before.append(e);
  before.close();
  assert.equal(hasUrlIndex(old), false);
  old.close();

  const db = openDatabase(file);
  try {
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
    assertUrlIndexExact(db);
    const indexer = UrlIndexer.open(db)!;
    assert.equal(indexer.indexedUpTo, 400);
    const withUrl = (db.prepare('SELECT count(*) AS n FROM audit_log WHERE url IS NOT NULL').get() as { n: number }).n;
    assert.ok(withUrl > 300);
    const writer = new AuditWriter(db, { batchSize: 33 });
    for (const e of sampleEvents(250)) writer.append({ ...e, ts: e.ts + 1000 * DAY });
    const last = writer.flush();
    assert.equal(indexer.indexedUpTo, 400, 'nothing is indexed on the write path');

    const reader = new AuditReader(db);
    const expected = [...reader.iterate()].filter((row) => row.url?.includes('113-0000042')).map((row) => row.id).sort((a, b) => b - a);
    assert.ok(expected.some((id) => id <= 400) && expected.some((id) => id > 400), 'rows before and after the migration carry the rare text');
    assert.deepEqual(new Set(allPages(reader, { urlContains: '113-0000042' }, 3)), new Set(expected), 'found before they are indexed');

    for (let turn = 0; turn < 100 && indexer.indexedUpTo < last; turn++) await nextTurn();
    assert.equal(indexer.indexedUpTo, last, 'the writer caught the index up while idle');
    writer.close();
    assertUrlIndexExact(db);
    assert.deepEqual(new Set(allPages(reader, { urlContains: '113-0000042' }, 3)), new Set(expected), 'and found through the index');
    assert.equal(verifyAuditChain(db).intact, true);
    assert.ok(urlIndexRows(db) > 0);
  } finally {
    db.close();
  }
});

test('retention removes the archived rows from the URL index too: no search finds them, the rest still are', async () => {
  const start = Date.UTC(2024, 0, 1);
  const t = openTrustDb(start);
  t.write(Array.from({ length: 60 }, (_, i) => event(start + i * 5 * DAY, { url: `https://sellercentral.amazon.com/orders-v3/order/113-00000${String(i).padStart(2, '0')}` })));
  // Ten rows indexed: the cut removes indexed rows (from the index too) and rows it never held.
  const indexer = UrlIndexer.open(t.db)!;
  indexer.indexNext(10);
  t.clock.set(start + 300 * DAY);
  const result = await runRetention(t.deps, { archiveDir: join(freshDir(), 'archives'), keepDays: 180 });
  assert.ok(result.cut);
  t.writer.flush();
  indexer.catchUp();
  assertUrlIndexExact(t.db);
  const reader = new AuditReader(t.db);
  assert.equal(reader.count({ urlContains: '113-0000005' }), 0, 'row 6 was archived');
  assert.deepEqual(
    reader.query({ urlContains: '113-0000059' }).rows.map((r) => r.id),
    [60],
  );
  assert.equal(reader.count({ urlContains: 'orders-v3' }), 60 - 24);
});
