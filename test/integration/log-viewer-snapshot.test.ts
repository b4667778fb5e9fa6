// The log viewer reads a snapshot: the first page fixes the newest row (`throughId`), every
// later page (and a page read again after it was dropped) is bounded by it. Rows logged while
// the owner scrolls neither shift the pages nor hide the rows between them; a reload shows them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogFilter } from '../../shared/ipc/contract';
import type { AuditEvent, AuditEventInput } from '../../shared/model/audit';
import { createClient } from '../../shared/ipc/client';
import { AuditReader } from '../../electron/core/audit/reader';
import { AuditWriter } from '../../electron/core/audit/writer';
import { openDatabase } from '../../electron/core/db/open';
import { createLogStore } from '../../renderer/state/log';
import { guardRequest, startCore, type Harness } from './app-core-helpers';
import { matchesLogFilter, T0 } from './audit-test-db';
import { freshDir } from './db-test-helpers';

const HOUR = 3_600_000;

/** Row i: ts roughly in id order, with ties and some later ids older (rows that arrive late). */
function row(i: number): AuditEventInput {
  return {
    ts: T0 + Math.floor(i / 3) * HOUR - (i % 4) * HOUR,
    kind: i % 5 === 0 ? 'block' : 'navigation',
    actorId: `staff-${i % 3}`,
    storeId: i % 2 === 0 ? 'us' : 'de',
    url: `https://sc.example/${i % 7 === 0 ? 'refund' : 'orders'}/${i}`,
    method: 'GET',
    module: 'orders',
    decision: i % 5 === 0 ? 'blocked' : 'allowed',
  };
}

const newestFirst = (a: AuditEvent, b: AuditEvent) => b.ts - a.ts || b.id - a.id;

function pagesWithin(reader: AuditReader, filter: LogFilter, throughId: number, limit: number): number[] {
  const ids: number[] = [];
  let beforeId: number | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page = reader.query(filter, { beforeId, throughId, limit });
    ids.push(...page.rows.map((r) => r.id));
    if (page.nextBeforeId === null) return ids;
    beforeId = page.nextBeforeId;
  }
  throw new Error('pagination does not end');
}

test('reader: throughId bounds every page, also with a cursor, `to`, the URL index and the staff index', () => {
  const db = openDatabase(join(freshDir(), 'shopwarden.db'));
  const writer = new AuditWriter(db, { batchSize: 50 });
  const write = (from: number, to: number) => {
    for (let i = from; i < to; i++) writer.append(row(i));
    writer.flush();
  };
  write(0, 300);
  const reader = new AuditReader(db, { urlIndexMaxRows: 1000 });
  const throughId = reader.newestId();
  const snapshot = [...reader.iterate()];
  assert.equal(throughId, Math.max(...snapshot.map((r) => r.id)));
  // Rows logged after the snapshot, some of them older than rows in it.
  write(300, 400);
  writer.close();
  assert.ok(reader.newestId() > throughId);

  const filters: LogFilter[] = [{}, { actorId: 'staff-1' }, { storeId: 'us', decision: 'blocked' }, { urlContains: 'refund' }, { to: T0 + 60 * HOUR }, { from: T0 + 20 * HOUR, actorId: 'staff-2' }];
  for (const filter of filters) {
    const expected = snapshot.filter((r) => matchesLogFilter(r, filter)).sort(newestFirst).map((r) => r.id);
    for (const limit of [1, 7, 200]) assert.deepEqual(pagesWithin(reader, filter, throughId, limit), expected, `${JSON.stringify(filter)} limit ${limit}`);
  }
  // Inclusive: the bound row itself is in; 0 (an empty log's snapshot) reads nothing.
  assert.ok(reader.query({}, { throughId, limit: 1000 }).rows.some((r) => r.id === throughId));
  assert.deepEqual(reader.query({}, { throughId: 0 }).rows, []);
  // The bound is checked on each row; the page is still found by walking a (column, ts) index.
  for (const filter of [{}, { storeId: 'us' }, { decision: 'blocked' as const }]) {
    for (const page of [{ throughId }, { throughId, beforeId: 200 }]) {
      for (const step of reader.explainQuery(filter, page)) assert.match(step, /USING (COVERING )?INDEX audit_log_(\w+_)?ts\b/, `${JSON.stringify(filter)} ${JSON.stringify(page)}: ${step}`);
    }
  }
  db.close();
});

/** A console's client on the real core, signed in as the owner. */
const ownerClient = (h: Harness) => createClient({ invoke: (channel, payload) => h.core.invoke(h.owner, channel, payload), onEvent: () => () => {} });

/** `count` guard decisions, each one a log row (a block: nobody is assigned). */
function browse(h: Harness, count: number, tag: string) {
  for (let i = 0; i < count; i++) h.core.guard(guardRequest('store-x', 'staff-x', `https://sellercentral.amazon.com/orders-v3/${tag}-${i}`));
}

test('log:query answers with the snapshot it read, validates throughId, and stays within it', async () => {
  const h = await startCore();
  try {
    browse(h, 20, 'a');
    const first = await h.call(h.owner, 'log:query', { filter: {}, limit: 5 });
    const all = await h.call(h.owner, 'log:query', { filter: {}, limit: 1000 });
    assert.equal(first.throughId, Math.max(...all.rows.map((r) => r.id)), 'the newest row now');
    browse(h, 10, 'b');
    const again = await h.call(h.owner, 'log:query', { filter: {}, limit: 5, throughId: first.throughId });
    assert.deepEqual(again, first, 'the same page, rows logged since left out');
    const next = await h.call(h.owner, 'log:query', { filter: {}, limit: 1000, beforeId: first.nextBeforeId!, throughId: first.throughId });
    assert.deepEqual([...first.rows, ...next.rows].map((r) => r.id), all.rows.map((r) => r.id));
    // The count of a snapshot leaves out the rows logged since, like its pages.
    assert.deepEqual(await h.call(h.owner, 'log:count', { filter: {}, throughId: first.throughId }), { count: all.rows.length, capped: false });
    assert.equal((await h.call(h.owner, 'log:count', { filter: {} })).count, all.rows.length + 10);
    assert.ok((await h.call(h.owner, 'log:query', { filter: {}, limit: 5 })).throughId > first.throughId, 'no throughId: a new snapshot');
    assert.deepEqual(await h.call(h.owner, 'log:query', { filter: {}, throughId: 0 }), { rows: [], nextBeforeId: null, throughId: 0 });
    for (const throughId of [-1, 1.5, '3', null]) assert.equal((await h.fail(h.owner, 'log:query', { filter: {}, throughId })).code, 'invalid-payload', `throughId ${String(throughId)}`);
  } finally {
    await h.close();
  }
});

test('the viewer: scrolled far down, rows logged meanwhile, back to the top: every row of the snapshot once, in order', async () => {
  const h = await startCore();
  try {
    const pageSize = 10;
    browse(h, 250, 'a');
    const store = createLogStore(ownerClient(h), { pageSize });
    const settle = async () => {
      while (store.getState().inFlight.length > 0) await sleep(1);
    };
    /** Shows rows first..last as the table does; checks each index always shows the same row. */
    const shown = new Map<number, number>();
    const view = async (first: number, last: number) => {
      store.getState().ensureRange(first, last);
      await settle();
      assert.equal(store.getState().error, null);
      for (let i = first; i <= Math.min(last, store.getState().extent - 1); i++) {
        const id = store.getState().rowAt(i)?.id;
        assert.notEqual(id, undefined, `row ${i} is loaded`);
        if (shown.has(i)) assert.equal(id, shown.get(i), `row ${i} still shows the same log row`);
        shown.set(i, id!);
      }
    };

    await store.getState().setFilter({});
    const snapshot = (await h.call(h.owner, 'log:query', { filter: {}, limit: 1000 })).rows.map((r) => r.id);
    assert.ok(snapshot.length > 250);
    assert.equal(store.getState().total, snapshot.length);

    // Far down: the first pages are dropped from memory.
    for (let p = 0; p <= 20; p++) await view(p * pageSize, p * pageSize + 5);
    assert.equal(store.getState().pages[0], undefined, 'the first page was dropped');
    // Staff keep working: more than a page of new rows.
    browse(h, 3 * pageSize, 'b');
    for (let p = 20; p >= 0; p--) await view(p * pageSize, p * pageSize + 5);
    // Down to the end and up again: every row of the snapshot, each once, in order.
    for (let i = 0; store.getState().more || i < store.getState().extent; i += pageSize) await view(i, i + pageSize - 1);
    for (let i = store.getState().extent - 1; i >= 0; i -= pageSize) await view(Math.max(0, i - pageSize + 1), i);
    const rows = Array.from({ length: store.getState().extent }, (_, i) => shown.get(i));
    assert.deepEqual(rows, snapshot);
    assert.equal(store.getState().total, snapshot.length, 'the count is the snapshot’s');
    assert.equal(store.getState().throughId, snapshot[0]);

    // Refresh: a new snapshot, the new rows at the top.
    await store.getState().reload();
    const newest = (await h.call(h.owner, 'log:query', { filter: {}, limit: 1000 })).rows.map((r) => r.id);
    assert.equal(newest.length, snapshot.length + 3 * pageSize);
    assert.equal(store.getState().throughId, newest[0]);
    assert.deepEqual(store.getState().pages[0]!.map((r) => r.id), newest.slice(0, pageSize));
    assert.equal(store.getState().total, newest.length);
  } finally {
    await h.close();
  }
});
