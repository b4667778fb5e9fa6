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
import { hasStaffIndex, hasUrlIndex, STAFF_INDEX, urlIndexMatch, urlIndexPattern, urlLookups } from '../../electron/core/audit/search';
import { filterCondition, urlSearchForms } from '../../electron/core/audit/filter-sql';
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

/**
 * matchesLogFilter, with the URL search's percent-encoded forms (filter-sql.ts urlSearchForms)
 * spelled out independently: a text with non-ASCII characters also matches where the log holds
 * them as encodeURIComponent writes them, a space as %20 or '+'.
 */
function matchesSpec(row: AuditEvent, filter: LogFilter): boolean {
  const { urlContains, ...others } = filter;
  if (!matchesLogFilter(row, others)) return false;
  if (urlContains === undefined || urlContains === '') return true;
  const encoded = urlContains.replace(/\P{ASCII}/gu, (char) => encodeURIComponent(char));
  const forms = encoded === urlContains ? [urlContains] : [urlContains, encoded.replace(/ /g, '%20'), encoded.replace(/ /g, '+')];
  return forms.some((form) => matchesLogFilter(row, { urlContains: form }));
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
      const expected = logs.all.filter((row) => matchesSpec(row, filter)).sort(newestFirst).map((row) => row.id);
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

// Chinese (and other non-ASCII) searches. Chromium hands the guard canonical URLs, where
// non-ASCII characters are UTF-8 percent-encoded: an owner typing 连衣裙 must find
// q=%E8%BF%9E%E8%A1%A3%E8%A3%99, and still find a URL that holds the characters as they are.
const DRESS = '%E8%BF%9E%E8%A1%A3%E8%A3%99'; // 连衣裙
const CJK_URLS = [
  `https://s.taobao.com/search?q=${DRESS}`,
  `https://s.taobao.com/search?q=${DRESS.toLowerCase()}&s=44`,
  'https://shop.example/%E5%95%86%E5%93%81/%E6%9D%AF%E5%AD%90', // 商品/杯子, in the path
  `https://s.taobao.com/search?q=%E7%BA%A2%E8%89%B2+${DRESS}`, // 红色 连衣裙, a form's '+'
  `https://shop.example/%E7%BA%A2%E8%89%B2%20${DRESS}`, // 红色 连衣裙, a URL's %20
  'https://sc.example/连衣裙/raw', // as the characters themselves: what the plain LIKE always found
  'https://sellercentral.amazon.com/orders?buyer=%E5%BC%A0%E4%BC%9F', // 张伟
  `https://sc.example/Dress-${DRESS}`,
  'https://sc.example/%E8%BF%9E', // 连 alone
  'https://sc.example/%E8%A1%A3%E8%A3%99%E8%BF%9E', // 衣裙连: the same bytes, another order
  'https://sellercentral.amazon.com/orders-v3/order/113-1',
  'https://sc.example/50%25off',
  null,
];
/** Rare: every 50th row, so that the reader's default limit looks it up in the index. */
const RARE = 'https://s.taobao.com/search?q=%E8%93%9D%E7%89%99%E8%80%B3%E6%9C%BA'; // 蓝牙耳机
const CJK_TERMS = ['连衣裙', '连衣', '衣裙', '连', 'q=连衣裙', 'Q=连衣裙', 'dress-连衣裙', '红色 连衣裙', '杯子', '商品/杯子', '张伟', '蓝牙耳机', '连衣裙/raw', 'orders-v3', '50%off', DRESS, 'nothing-like-this'];

/** A migrated log of CJK_URLS, its first 60% in the URL index (the rest is the tail), read on its own connection. */
function cjkLog(count = 600) {
  const file = join(freshDir(), 'shopwarden.db');
  const db = openDatabase(file);
  const writer = new AuditWriter(db, { batchSize: 89 });
  for (let i = 0; i < count; i++) {
    const url = i % 50 === 7 ? RARE : CJK_URLS[i % CJK_URLS.length]!;
    writer.append({ ts: T0 + i * HOUR, kind: 'navigation', actorId: ACTORS[i % ACTORS.length]!, storeId: 'tb', url, method: 'GET', module: 'orders', decision: 'allowed' });
  }
  writer.close();
  const indexer = UrlIndexer.open(db)!;
  indexer.indexNext(Math.floor(count * 0.6));
  const mark = indexer.indexedUpTo;
  db.close();
  const read = openReadConnection(file);
  const readers = {
    default: new AuditReader(read),
    index: new AuditReader(read, { urlIndexMaxRows: 100_000 }),
    walk: new AuditReader(read, { urlIndexMaxRows: 0 }),
    smallCap: new AuditReader(read, { urlIndexMaxRows: 3 }),
  };
  return { read, mark, readers, all: [...readers.walk.iterate()], close: () => read.close() };
}

test('urlSearchForms: a plain text as it is; a text with non-ASCII characters also percent-encoded as encodeURIComponent writes them', () => {
  assert.deepEqual(urlSearchForms('orders-v3'), ['orders-v3']);
  assert.deepEqual(urlSearchForms('red dress'), ['red dress'], 'an ASCII text is searched exactly as before, space and all');
  assert.deepEqual(urlSearchForms('50%off_\\'), ['50%off_\\']);
  assert.deepEqual(urlSearchForms('连衣裙'), ['连衣裙', DRESS]);
  assert.deepEqual(urlSearchForms('q=连衣裙'), ['q=连衣裙', `q=${DRESS}`]);
  assert.deepEqual(urlSearchForms('红色 连衣裙'), ['红色 连衣裙', `%E7%BA%A2%E8%89%B2%20${DRESS}`, `%E7%BA%A2%E8%89%B2+${DRESS}`]);
  assert.deepEqual(urlSearchForms('Äpfel 😀'), ['Äpfel 😀', '%C3%84pfel%20%F0%9F%98%80', '%C3%84pfel+%F0%9F%98%80']);
  assert.deepEqual(urlSearchForms('a\uD800b'), ['a\uD800b', 'a%EF%BF%BDb'], 'a lone surrogate as U+FFFD, no URIError');
  for (const text of ['连衣裙', 'Äpfel', '张伟 x', '😀']) assert.equal(urlSearchForms(text)[1], text.replace(/\P{ASCII}/gu, (c) => encodeURIComponent(c)).replace(/ /g, '%20'));
});

test('the URL condition: an ASCII text gives exactly the one LIKE it always did; a Chinese one ORs its forms, each escaped', () => {
  assert.deepEqual(filterCondition({ urlContains: '50%off' }), { sql: "url LIKE ? ESCAPE '\\'", params: ['%50\\%off%'] });
  assert.deepEqual(filterCondition({ urlContains: '连衣裙', actorId: 'ann' }), {
    sql: "actor_id = ? AND (url LIKE ? ESCAPE '\\' OR url LIKE ? ESCAPE '\\')",
    params: ['ann', '%连衣裙%', `%${DRESS.replace(/%/g, '\\%')}%`],
  });
  assert.deepEqual(urlLookups('orders'), [{ index: { sql: 'url LIKE ?', params: ['%orders%'] }, tail: { sql: 'url LIKE ?', params: ['%orders%'] } }]);
  assert.equal(urlLookups('张伟'), null, 'the text as typed has no 3 characters to look up: walk the log');
  const dress = urlLookups('连衣裙')!;
  assert.equal(dress.length, 2);
  assert.deepEqual(dress[1], { index: { sql: 'audit_url MATCH ?', params: [urlIndexMatch(DRESS)] }, tail: { sql: "url LIKE ? ESCAPE '\\'", params: [`%${DRESS.replace(/%/g, '\\%')}%`] } });
});

test('urlIndexMatch: every distinct trigram, each quoted, ANDed; null under 3 characters', () => {
  assert.equal(urlIndexMatch('%E8%BF'), '"%E8" AND "E8%" AND "8%B" AND "%BF"');
  assert.equal(urlIndexMatch('aaaa'), '"aaa"');
  assert.equal(urlIndexMatch('a"b+'), '"a""b" AND """b+"');
  assert.equal(urlIndexMatch('ab'), null);
});

test('a Chinese search finds the percent-encoded URLs (query, path, either hex case, spaces as + or %20) and the literal ones; every reader, count and export agree', (t) => {
  const log = cjkLog();
  t.after(log.close);
  const ids = (pred: (url: string) => boolean) => log.all.filter((row) => row.url !== null && pred(row.url)).map((row) => row.id).sort((a, b) => b - a);
  const has = (...parts: string[]) => (url: string) => parts.some((part) => url.toLowerCase().includes(part.toLowerCase()));
  const known: [string, number[]][] = [
    ['连衣裙', ids(has(DRESS, '连衣裙'))],
    ['q=连衣裙', ids(has(`q=${DRESS}`))],
    ['dress-连衣裙', ids(has(`dress-${DRESS}`))],
    ['红色 连衣裙', ids(has(`%E7%BA%A2%E8%89%B2+${DRESS}`, `%E7%BA%A2%E8%89%B2%20${DRESS}`))],
    ['杯子', ids(has('%E6%9D%AF%E5%AD%90'))],
    ['商品/杯子', ids(has('%E5%95%86%E5%93%81/%E6%9D%AF%E5%AD%90'))],
    ['张伟', ids(has('%E5%BC%A0%E4%BC%9F'))],
    ['蓝牙耳机', ids((url) => url === RARE)],
  ];
  for (const [urlContains, expected] of known) {
    assert.ok(expected.some((id) => id <= log.mark) && expected.some((id) => id > log.mark), `${urlContains}: rows in the index and in its tail`);
    for (const [name, reader] of Object.entries(log.readers)) assert.deepEqual(allPages(reader, { urlContains }, 37), expected, `${urlContains} (${name})`);
  }
  // Both hex cases, the '+' and '%20' spaces, the literal characters: all among the rows for 连衣裙.
  const dressUrls = new Set(known[0]![1].map((id) => log.all.find((row) => row.id === id)!.url));
  assert.deepEqual([...dressUrls].sort(), [CJK_URLS[0], CJK_URLS[1], CJK_URLS[3], CJK_URLS[4], CJK_URLS[5], CJK_URLS[7]].sort());

  const newestFirst = (a: AuditEvent, b: AuditEvent) => b.ts - a.ts || b.id - a.id;
  for (const urlContains of CJK_TERMS) {
    for (const filter of [{ urlContains }, { urlContains, actorId: 'bo' }, { urlContains, from: T0 + 100 * HOUR, to: T0 + 500 * HOUR }] as LogFilter[]) {
      const expected = log.all.filter((row) => matchesSpec(row, filter)).sort(newestFirst).map((row) => row.id);
      const label = JSON.stringify(filter);
      for (const [name, reader] of Object.entries(log.readers)) {
        assert.deepEqual(allPages(reader, filter, 50), expected, `${label} (${name})`);
        assert.equal(reader.count(filter), expected.length, `${label} count (${name})`);
        assert.deepEqual(reader.countUpTo(filter, 1000), { count: expected.length, capped: false }, `${label} countUpTo (${name})`);
      }
      // What an export writes: iterate / iterateValues / idSpan share the filter's SQL.
      const reader = log.readers.default;
      assert.deepEqual([...reader.iterate(filter)].map((row) => row.id), [...expected].sort((a, b) => a - b), `${label} export`);
      assert.equal([...reader.iterateValues(filter)].length, expected.length, `${label} export values`);
      assert.deepEqual(reader.idSpan(filter), expected.length === 0 ? null : { first: Math.min(...expected), last: Math.max(...expected) }, `${label} idSpan`);
    }
  }
  assert.deepEqual(log.readers.default.countUpTo({ urlContains: '连衣裙' }, 10), { count: 10, capped: true });
});

test('a rare Chinese search is read through the URL index, both its forms looked up there; one too short to look up walks the log', (t) => {
  const log = cjkLog();
  t.after(log.close);
  const rare = log.readers.default.explainQuery({ urlContains: '蓝牙耳机' }).join(' | ');
  assert.match(rare, /INTEGER PRIMARY KEY/, rare);
  assert.match(log.readers.index.explainQuery({ urlContains: '红色 连衣裙', actorId: 'ann' }).join(' | '), /INTEGER PRIMARY KEY/);
  for (const { index } of urlLookups('红色 连衣裙')!) {
    const plan = (log.read.prepare(`EXPLAIN QUERY PLAN SELECT rowid FROM audit_url WHERE ${index.sql}`).all(...index.params) as { detail: string }[]).map((step) => step.detail).join(' | ');
    assert.match(plan, /VIRTUAL TABLE INDEX 0:[LM]/, `${index.sql}: ${plan}`);
  }
  assert.doesNotMatch(log.readers.index.explainQuery({ urlContains: '张伟' }).join(' | '), /PRIMARY KEY/);
  assert.ok(log.readers.index.count({ urlContains: '张伟' }) > 0);
  // The longest text the viewer sends, mixed: the lookups stay valid FTS5 and LIKE.
  const long = '连衣裙 Dress "q"+50%_\\ 😀'.repeat(30).slice(0, 500);
  for (const reader of Object.values(log.readers)) assert.equal(reader.count({ urlContains: long }), 0);
});
