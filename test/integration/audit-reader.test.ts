import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { LogFilter } from '../../shared/ipc/contract';
import type { AuditEvent, AuditEventInput, AuditKind } from '../../shared/model/audit';
import { AuditReader } from '../../electron/core/audit/reader';
import { escapeLike } from '../../electron/core/audit/filter-sql';
import { AuditWriter } from '../../electron/core/audit/writer';
import { openTempAuditDb, matchesLogFilter, T0, xorshift } from './audit-test-db';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ACTORS = ['ann', 'bo', 'cy', 'di'];
const STORES = ['us', 'de', 'tb'];
const KINDS: AuditKind[] = ['navigation', 'mutation', 'block', 'download', 'login'];
const MODULES = ['orders', 'pricing', 'payments', null];
const URL_BITS = ['orders', 'price', '50%25off', '50%off', 'a_b', 'axb', 'back\\slash', 'ORDERS'];

/** A deterministic, deliberately untidy log: timestamps out of id order, ties, nulls, LIKE metacharacters. */
function sampleEvents(count: number): AuditEventInput[] {
  const next = xorshift(42);
  return Array.from({ length: count }, (_, i) => {
    const kind = KINDS[next(KINDS.length)]!;
    return {
      ts: T0 + Math.floor(i / 3) * HOUR - next(3) * HOUR, // ~3 per hour, some later ids older, some ties
      kind,
      actorId: next(10) === 0 ? null : ACTORS[next(ACTORS.length)]!,
      storeId: STORES[next(STORES.length)]!,
      url: next(8) === 0 ? null : `https://sc.example/${URL_BITS[next(URL_BITS.length)]!}/${i}`,
      method: kind === 'mutation' ? 'POST' : 'GET',
      module: MODULES[next(MODULES.length)]!,
      decision: kind === 'block' ? 'blocked' : kind === 'login' ? null : 'allowed',
    };
  });
}

function setup() {
  const handle = openTempAuditDb();
  const writer = new AuditWriter(handle.db);
  for (const event of sampleEvents(600)) writer.append(event);
  writer.close();
  const reader = new AuditReader(handle.db);
  const all = [...reader.iterate()];
  return { ...handle, reader, all };
}

function newestFirst(a: AuditEvent, b: AuditEvent): number {
  return b.ts - a.ts || b.id - a.id;
}

function allPages(reader: AuditReader, filter: LogFilter, limit: number): AuditEvent[] {
  const seen: AuditEvent[] = [];
  let beforeId: number | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page = reader.query(filter, { beforeId, limit });
    assert.ok(page.rows.length <= limit, 'a page never exceeds its limit');
    seen.push(...page.rows);
    if (page.nextBeforeId === null) return seen;
    assert.equal(page.rows.length, limit, 'only the last page is short');
    beforeId = page.nextBeforeId;
  }
  throw new Error('pagination does not end');
}

const filterArbitrary: fc.Arbitrary<LogFilter> = fc.record(
  {
    actorId: fc.constantFrom(...ACTORS),
    storeId: fc.constantFrom(...STORES),
    module: fc.constantFrom('orders', 'pricing', 'payments'),
    kinds: fc.subarray(KINDS),
    decision: fc.constantFrom('allowed' as const, 'blocked' as const),
    from: fc.integer({ min: T0 - 10 * HOUR, max: T0 + 210 * HOUR }),
    to: fc.integer({ min: T0 - 10 * HOUR, max: T0 + 210 * HOUR }),
    urlContains: fc.constantFrom('orders', '%', '_', '50%off', 'a_b', '\\', 'xb', '/1'),
  },
  { requiredKeys: [] },
);

test('property: paging through any filter returns exactly the matching rows, newest first, each once; count agrees', (t) => {
  const { reader, all, cleanup } = setup();
  t.after(cleanup);
  assert.equal(all.length, 600);
  fc.assert(
    fc.property(filterArbitrary, fc.integer({ min: 1, max: 60 }), (filter, limit) => {
      const expected = all.filter((row) => matchesLogFilter(row, filter)).sort(newestFirst).map((row) => row.id);
      assert.deepEqual(allPages(reader, filter, limit).map((row) => row.id), expected);
      assert.equal(reader.count(filter), expected.length);
    }),
    { numRuns: 150, endOnFailure: true },
  );
});

test('property: countUpTo counts like count up to its limit, and says when it stopped there', (t) => {
  const { reader, all, cleanup } = setup();
  t.after(cleanup);
  fc.assert(
    fc.property(filterArbitrary, fc.integer({ min: 0, max: 650 }), (filter, limit) => {
      const matching = all.filter((row) => matchesLogFilter(row, filter)).length;
      assert.deepEqual(reader.countUpTo(filter, limit), { count: Math.min(matching, limit), capped: matching > limit });
    }),
    { numRuns: 150, endOnFailure: true },
  );
  assert.deepEqual(reader.countUpTo({}, all.length), { count: all.length, capped: false });
  assert.deepEqual(reader.countUpTo({}, all.length - 1), { count: all.length - 1, capped: true });
  assert.throws(() => reader.countUpTo({}, -1), /non-negative integer/);
});

test('page rows carry the full event, parsed detail included', (t) => {
  const { db, reader, cleanup } = setup();
  t.after(cleanup);
  const writer = new AuditWriter(db);
  writer.append({ ts: T0 + 1000 * DAY, kind: 'owner-change', actorId: 'owner', detail: { entity: 'role', before: { name: 'Ops' }, after: { name: 'Ops lead' } } });
  writer.close();
  const [newest] = reader.query({}, { limit: 1 }).rows;
  assert.deepEqual({ ...newest!, prevHash: undefined, hash: undefined }, {
    id: 601, ts: T0 + 1000 * DAY, kind: 'owner-change', actorId: 'owner', storeId: null, url: null, method: null, module: null, decision: null, reason: null, ruleId: null,
    detail: { after: { name: 'Ops lead' }, before: { name: 'Ops' }, entity: 'role' }, prevHash: undefined, hash: undefined,
  });
  assert.match(newest!.hash, /^[0-9a-f]{64}$/);
});

test('the URL text filter matches %, _ and \\ literally', (t) => {
  const { reader, all, cleanup } = setup();
  t.after(cleanup);
  assert.equal(escapeLike('50%_a\\b'), '50\\%\\_a\\\\b');
  const literal = (text: string) => all.filter((row) => row.url?.includes(text)).length;
  assert.ok(literal('a_b') > 0 && literal('axb') > 0, 'the sample has both spellings');
  assert.equal(reader.count({ urlContains: 'a_b' }), literal('a_b'), '"_" is not a wildcard');
  assert.equal(reader.count({ urlContains: '50%off' }), literal('50%off'), '"%" is not a wildcard (50%25off does not match)');
  assert.equal(reader.count({ urlContains: 'back\\slash' }), literal('back\\slash'));
  assert.equal(reader.count({ urlContains: '%' }), literal('%'));
});

test('a cursor whose row is gone (retention) continues from the nearest older row', (t) => {
  const { db, reader, all, cleanup } = setup();
  t.after(cleanup);
  const ordered = [...all].sort(newestFirst);
  const cursor = ordered[100]!;
  db.exec('DROP TRIGGER audit_log_no_delete');
  db.prepare('DELETE FROM audit_log WHERE id = ?').run(cursor.id);
  const standIn = all.filter((row) => row.id < cursor.id).at(-1)!;
  const remaining = ordered.filter((row) => row.id !== cursor.id);
  const expected = remaining.slice(remaining.indexOf(standIn) + 1, remaining.indexOf(standIn) + 6);
  assert.deepEqual(reader.query({}, { beforeId: cursor.id, limit: 5 }).rows.map((row) => row.id), expected.map((row) => row.id));
  assert.deepEqual(reader.query({}, { beforeId: 0 }), { rows: [], nextBeforeId: null });
  assert.throws(() => reader.query({}, { limit: 0 }), /page limit/);
});

test('export iterates in chain order, honours the filter, and can be abandoned midway', (t) => {
  const { db, reader, all, cleanup } = setup();
  t.after(cleanup);
  const blocked = [...reader.iterate({ decision: 'blocked', storeId: 'de' })];
  assert.deepEqual(blocked.map((row) => row.id), all.filter((row) => row.decision === 'blocked' && row.storeId === 'de').map((row) => row.id));
  let taken = 0;
  for (const row of reader.iterate()) {
    taken += 1;
    assert.equal(row.id, taken);
    if (taken === 10) break;
  }
  // The connection is free again after the early exit.
  assert.equal((db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n, 600);
});

test('daily chart: blocks and mutations per local day, empty days included', (t) => {
  const { reader, cleanup } = setupChart();
  t.after(cleanup);
  const days = reader.dailyActivity({ from: Date.UTC(2025, 2, 1) - 8 * HOUR, to: Date.UTC(2025, 2, 4) - 8 * HOUR, utcOffsetMinutes: 480 });
  assert.deepEqual(days, [
    { day: '2025-03-01', start: Date.UTC(2025, 2, 1) - 8 * HOUR, blocks: 2, mutations: 1 },
    { day: '2025-03-02', start: Date.UTC(2025, 2, 2) - 8 * HOUR, blocks: 0, mutations: 0 },
    { day: '2025-03-03', start: Date.UTC(2025, 2, 3) - 8 * HOUR, blocks: 1, mutations: 2 },
  ]);
  // In UTC the 23:30 (China) events of 1 March fall on 1 March 15:30, the 00:30 of 3 March on 2 March.
  const utc = reader.dailyActivity({ from: Date.UTC(2025, 2, 1), to: Date.UTC(2025, 2, 4) });
  assert.deepEqual(utc.map((d) => [d.day, d.blocks, d.mutations]), [['2025-03-01', 2, 1], ['2025-03-02', 1, 0], ['2025-03-03', 0, 3]]); // 4 March 00:00 in China is still 3 March in UTC
  assert.deepEqual(reader.dailyActivity({ from: 10, to: 10 }), []);
  assert.throws(() => reader.dailyActivity({ from: 0, to: 20_000 * DAY }), /at most/);

  function setupChart() {
    const handle = openTempAuditDb();
    const writer = new AuditWriter(handle.db);
    const china = (day: number, hour: number, minute = 0) => Date.UTC(2025, 2, day, hour, minute) - 8 * HOUR;
    const events: AuditEventInput[] = [
      { ts: china(1, 9), kind: 'block', decision: 'blocked' },
      { ts: china(1, 23, 30), kind: 'download', decision: 'blocked' },
      { ts: china(1, 10), kind: 'mutation', decision: 'allowed' },
      { ts: china(1, 11), kind: 'navigation', decision: 'allowed' },
      { ts: china(3, 0, 30), kind: 'block', decision: 'blocked' },
      { ts: china(3, 12), kind: 'mutation', decision: 'allowed' },
      { ts: china(3, 13), kind: 'mutation', decision: 'allowed' },
      { ts: china(4, 0), kind: 'mutation', decision: 'allowed' }, // `to` is exclusive
      { ts: china(0, 23), kind: 'block', decision: 'blocked' }, // before `from`
    ];
    for (const event of events) writer.append(event);
    writer.close();
    return { ...handle, reader: new AuditReader(handle.db) };
  }
});

test('the viewer\'s filters are answered from indexes: no table scan, no sort, also after a cursor', (t) => {
  const { reader, cleanup } = setup();
  t.after(cleanup);
  const indexed: LogFilter[] = [
    { actorId: 'ann' },
    { storeId: 'us' },
    { kinds: ['block'] },
    { decision: 'blocked' },
    { from: T0, to: T0 + DAY },
    { actorId: 'ann', from: T0, to: T0 + DAY },
    { storeId: 'us', kinds: ['block', 'mutation'], decision: 'blocked' },
    { actorId: 'bo', module: 'orders', urlContains: 'x' },
  ];
  const planOf = (filter: LogFilter, page: { beforeId?: number }) => {
    const plan = reader.explainQuery(filter, page);
    assert.ok(plan.length > 0, 'there is a plan');
    return { plan, what: `${JSON.stringify(filter)} ${JSON.stringify(page)}: ${plan.join(' | ')}` };
  };
  for (const filter of indexed) {
    for (const page of [{}, { beforeId: 300 }]) {
      const { plan, what } = planOf(filter, page);
      for (const step of plan) assert.match(step, /^SEARCH audit_log USING INDEX audit_log_(\w+_)?ts \(/, what);
    }
  }
  // Several kinds at once: still an index search, with a top-N sort of the matches.
  assert.match(planOf({ kinds: ['block', 'mutation'] }, {}).plan[0]!, /^SEARCH audit_log USING INDEX audit_log_kind_ts/);
  // No filter (or only module / URL text): the ts index is walked newest first and stops at the page size.
  for (const filter of [{}, { module: 'orders' }, { urlContains: 'x' }]) {
    const { plan, what } = planOf(filter, {});
    assert.deepEqual(plan, ['SCAN audit_log USING INDEX audit_log_ts'], what);
  }
});
