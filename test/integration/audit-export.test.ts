// The streaming export writes, byte for byte, what it wrote before it was made faster: every
// row as csvLine(storedEvent(row)) or JSON.stringify(storedEvent(row)), whatever the row
// holds (formula-like cells, quotes and line breaks, non-canonical or broken details from a
// tampered file, other SQLite types).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import type { LogFilter } from '../../shared/ipc/contract';
import type { AuditEvent, AuditEventInput } from '../../shared/model/audit';
import { LATEST_TIMESTAMP } from '../../shared/model/common';
import { CSV_COLUMNS, csvCell, exportLog, ExportFormatter } from '../../electron/core/audit/export';
import { exportTime } from '../../electron/core/audit/export-time';
import { exportLogInParallel, splitRange, type ExportWorkerJob, type ExportWorkerMessage } from '../../electron/core/audit/export-parallel';
import { AuditReader } from '../../electron/core/audit/reader';
import { AUDIT_COLUMNS, INSERT_ROW_SQL, STORED_ROW_SELECT, storedEvent, type StoredRow, type StoredRowValues } from '../../electron/core/audit/row';
import { AuditWriter } from '../../electron/core/audit/writer';
import { openTempAuditDb, T0 } from './audit-test-db';
import { freshDir } from './db-test-helpers';

const names = (id: string | null) => (id === null ? null : id === 'ann' ? '=Ann, "the boss"' : `name of ${id}`);

/** A CSV line as the export wrote it before ExportFormatter: from the event object, cell by cell. */
function csvLine(e: AuditEvent, names: (id: string | null) => string | null): string {
  const cells = [e.id, new Date(e.ts).toISOString(), e.kind, names(e.actorId), names(e.storeId), e.url, e.method, e.module, e.decision, e.reason, e.ruleId, JSON.stringify(e.detail), e.prevHash, e.hash];
  return cells.map(csvCell).join(',');
}

/** The export as it was written before ExportFormatter: one event per row, then csvLine / JSON.stringify. */
function referenceExport(rows: StoredRow[], format: 'csv' | 'jsonl'): string {
  const lines = rows.map((row) => (format === 'csv' ? `${csvLine(storedEvent(row), names)}\r\n` : `${JSON.stringify(storedEvent(row))}\n`));
  return (format === 'csv' ? `\uFEFF${CSV_COLUMNS.join(',')}\r\n` : '') + lines.join('');
}

const awkward: AuditEventInput[] = [
  { ts: T0, kind: 'navigation', actorId: 'ann', storeId: 'us', url: 'https://sc.example/orders?q=a,b&c="d"', method: 'GET', module: 'orders', decision: 'allowed', reason: 'module-view', ruleId: 'module:orders', detail: { resourceType: 'mainFrame', filter: 'sc.example/orders' } },
  { ts: T0 + 1, kind: 'block', actorId: 'bo', storeId: 'de', url: '=HYPERLINK("http://evil")', method: 'POST', module: null, decision: 'blocked', reason: '+cmd', ruleId: '-rule', detail: { '10': 'ten', '2': 'two', a: [1, { b: null }], 'é': 'accent' } },
  { ts: T0 + 2, kind: 'owner-change', actorId: 'ann', detail: { entity: 'store', before: { name: 'Line\nbreak' }, after: { name: '@at\tTab\r' } } },
  { ts: T0 + 3, kind: 'login', actorId: null, storeId: null, url: null, detail: {} },
  { ts: T0 + 4, kind: 'mutation', actorId: 'cy', storeId: 'tb', url: 'https://trade.taobao.com/杯子?x=\u2028y', method: 'DELETE', module: 'orders', decision: 'allowed', reason: '\tlead', ruleId: 'r"q', detail: { n: 1.5e-7, big: 12345678901234, neg: -0, t: true } },
];

function writeLog(events: AuditEventInput[]) {
  const handle = openTempAuditDb();
  const writer = new AuditWriter(handle.db, { batchSize: 3 });
  for (const e of events) writer.append(e);
  writer.close();
  return handle;
}

/** Rows a tampered file can hold: details that are not canonical or not JSON, other types, far dates. */
function addTamperedRows(db: ReturnType<typeof openTempAuditDb>['db'], firstId: number): void {
  const insert = db.prepare(INSERT_ROW_SQL);
  const rows: unknown[][] = [
    [firstId, T0 + 10, 'navigation', 'ann', 'us', 'https://x', 'GET', 'orders', 'allowed', null, null, '{ "b" : 1, "a" : 2 }', 'p'.repeat(64), 'h'.repeat(64)],
    [firstId + 1, T0 + 11, 'block', 'bo', null, null, null, null, 'blocked', null, null, 'not json', '0'.repeat(64), '1'.repeat(64)],
    [firstId + 2, T0 + 12, 'block', 'bo', null, Buffer.from('blob,url'), 7, 3.25, null, null, null, '[1,2]', '=x', '"y"'],
    [firstId + 3, 253402300800000 + 5, 'navigation', 42, 'us', 'https://far.future', null, null, null, null, null, '{"3":1,"1":2}', 'a', 'b'],
  ];
  for (const values of rows) insert.run(values);
}

test('ExportFormatter writes each row exactly as csvLine / JSON.stringify of the event did, awkward and tampered rows included', () => {
  const handle = writeLog(awkward);
  try {
    addTamperedRows(handle.db, awkward.length + 1);
    const objects = handle.db.prepare(`SELECT ${STORED_ROW_SELECT} FROM audit_log ORDER BY id`).all() as StoredRow[];
    const values = handle.db.prepare(`SELECT ${STORED_ROW_SELECT} FROM audit_log ORDER BY id`).raw(true).all() as StoredRowValues[];
    assert.equal(values.length, awkward.length + 4);
    assert.equal(AUDIT_COLUMNS.split(',').length, values[0]!.length);
    const formatter = new ExportFormatter(names);
    for (let round = 0; round < 2; round++) {
      // The second round answers details from the formatter's cache.
      values.forEach((row, i) => {
        const event = storedEvent(objects[i]!);
        assert.equal(formatter.csv(row), csvLine(event, names), `csv row ${i + 1}`);
        assert.equal(formatter.jsonl(row), JSON.stringify(event), `jsonl row ${i + 1}`);
      });
    }
  } finally {
    handle.cleanup();
  }
});

test('property: for any event the writer accepts, the formatted line is the one the event gave', () => {
  const text = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ',', '"', '\n', '\r', '\t', '=', '+', '-', '@', ' ', '杯', 'é', '\\', '\u2028', '😀') });
  const detailValue = fc.oneof(text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
  const arbitraryEvent = fc.record({
    ts: fc.integer({ min: 0, max: LATEST_TIMESTAMP }),
    kind: fc.constantFrom('navigation' as const, 'block' as const, 'owner-change' as const),
    actorId: fc.option(fc.stringMatching(/^[a-z]{1,8}$/), { nil: null }),
    storeId: fc.option(fc.stringMatching(/^[a-z]{1,8}$/), { nil: null }),
    url: fc.option(text.map((t) => `https://sc.example/${t}`), { nil: null }),
    method: fc.option(fc.constantFrom('GET', 'POST'), { nil: null }),
    module: fc.option(text, { nil: null }),
    decision: fc.option(fc.constantFrom('allowed' as const, 'blocked' as const), { nil: null }),
    reason: fc.option(text.map((t) => t.slice(0, 60)), { nil: null }),
    ruleId: fc.option(text, { nil: null }),
    detail: fc.dictionary(fc.oneof(text, fc.constantFrom('1', '10', '2', '0')), detailValue, { maxKeys: 5 }),
  });
  fc.assert(
    fc.property(fc.array(arbitraryEvent, { minLength: 1, maxLength: 8 }), (events) => {
      const handle = writeLog(events.map((e) => ({ ...e, module: e.module?.slice(0, 64) ?? null })));
      try {
        const objects = handle.db.prepare(`SELECT ${STORED_ROW_SELECT} FROM audit_log ORDER BY id`).all() as StoredRow[];
        const values = handle.db.prepare(`SELECT ${STORED_ROW_SELECT} FROM audit_log ORDER BY id`).raw(true).all() as StoredRowValues[];
        const formatter = new ExportFormatter(names);
        values.forEach((row, i) => {
          const event = storedEvent(objects[i]!);
          assert.equal(formatter.csv(row), csvLine(event, names));
          assert.equal(formatter.jsonl(row), JSON.stringify(event));
        });
      } finally {
        handle.cleanup();
      }
    }),
    { numRuns: 60 },
  );
});

test('exportLog: the same file as before for CSV and JSONL, filtered or not, with progress every N rows', async () => {
  const many: AuditEventInput[] = Array.from({ length: 2500 }, (_, i) => ({ ...awkward[i % awkward.length]!, ts: T0 + i * 1000 }));
  const handle = writeLog(many);
  try {
    addTamperedRows(handle.db, many.length + 1);
    const reader = new AuditReader(handle.db);
    const dir = freshDir();
    const filters: LogFilter[] = [{}, { actorId: 'bo' }, { urlContains: 'taobao' }, { kinds: ['block'], decision: 'blocked' }];
    for (const filter of filters) {
      const matching = new Set([...reader.iterate(filter)].map((e) => e.id));
      const rows = (handle.db.prepare(`SELECT ${STORED_ROW_SELECT} FROM audit_log ORDER BY id`).all() as StoredRow[]).filter((row) => matching.has(row.id));
      assert.ok(rows.length > 0);
      for (const format of ['csv', 'jsonl'] as const) {
        const file = join(dir, `export-${Object.keys(filter).join('-') || 'all'}.${format}`);
        const progress: number[] = [];
        const written = await exportLog(reader, filter, format, file, { names, progressEvery: 700, onProgress: (n) => progress.push(n) });
        assert.equal(written, rows.length);
        assert.deepEqual(progress, Array.from({ length: Math.floor(rows.length / 700) }, (_, i) => (i + 1) * 700));
        assert.equal(readFileSync(file, 'utf8'), referenceExport(rows, format), `${format} ${JSON.stringify(filter)}`);
      }
    }
  } finally {
    handle.cleanup();
  }
});

test('the parallel export (worker threads) writes the same bytes as exportLog, with 2 or 3 workers, filtered or not; small exports stay in this thread', async () => {
  const many: AuditEventInput[] = Array.from({ length: 3000 }, (_, i) => ({ ...awkward[i % awkward.length]!, ts: T0 + i * 1000 }));
  // Lines longer than a worker's chunk (512 KiB), in one-byte and in two-byte text, between ordinary rows.
  many.splice(1000, 0, { ...awkward[0]!, ts: T0 + 999_500, detail: { note: 'x'.repeat(300_000) } });
  many.splice(2000, 0, { ...awkward[4]!, ts: T0 + 1_999_500, detail: { note: '杯'.repeat(200_000) } }, { ...awkward[1]!, ts: T0 + 1_999_600, detail: { note: 'y'.repeat(150_000) } });
  const handle = writeLog(many);
  try {
    addTamperedRows(handle.db, many.length + 1);
    const reader = new AuditReader(handle.db);
    const dir = freshDir();
    const nameMap = new Map([['ann', '=Ann, "the boss"'], ['bo', 'name of bo']]);
    const mapped = (id: string | null) => (id === null ? null : (nameMap.get(id) ?? id));
    for (const filter of [{}, { actorId: 'bo' }, { urlContains: 'taobao' }] as LogFilter[]) {
      for (const format of ['csv', 'jsonl'] as const) {
        const expectedFile = join(dir, `expected.${format}`);
        const expectedRows = await exportLog(reader, filter, format, expectedFile, { names: mapped });
        for (const workers of [2, 3]) {
          const file = join(dir, `parallel-${workers}-${Object.keys(filter).join('-') || 'all'}.${format}`);
          const progress: number[] = [];
          const total = reader.count(filter);
          const rows = await exportLogInParallel({ databaseFile: handle.file, reader, filter, format, file, total, names: nameMap, workers, minRows: 1, progressEvery: 400, onProgress: (n) => progress.push(n) });
          assert.equal(rows, expectedRows);
          assert.ok(readFileSync(file).equals(readFileSync(expectedFile)), `${format} ${workers} workers ${JSON.stringify(filter)}`);
          assert.ok(progress.every((n, i) => n <= rows && (i === 0 || n > progress[i - 1]!)), JSON.stringify(progress));
        }
      }
    }
    // Under the threshold: this thread, same bytes.
    const small = join(dir, 'small.csv');
    await exportLogInParallel({ databaseFile: join(dir, 'no-such.db'), reader, filter: {}, format: 'csv', file: small, total: reader.count({}), names: nameMap });
    const unfiltered = join(dir, 'unfiltered.csv');
    await exportLog(reader, {}, 'csv', unfiltered, { names: mapped });
    assert.ok(readFileSync(small).equals(readFileSync(unfiltered)), 'a missing database file does not matter: no worker was started');
  } finally {
    handle.cleanup();
  }
});

test('a snapshot export (throughId) holds only the rows up to it, and CSV times in a zone carry its offset: in this thread and in workers alike', async () => {
  const many: AuditEventInput[] = Array.from({ length: 3000 }, (_, i) => ({ ...awkward[i % awkward.length]!, ts: T0 + i * 1000 }));
  const handle = writeLog(many);
  try {
    const reader = new AuditReader(handle.db);
    const dir = freshDir();
    const throughId = 2000;
    const filter: LogFilter = { actorId: 'bo' };
    const snapshot = [...reader.iterate(filter)].filter((e) => e.id <= throughId);
    assert.equal(reader.count(filter, throughId), snapshot.length);
    assert.deepEqual(reader.idSpan(filter, throughId), { first: snapshot[0]!.id, last: snapshot.at(-1)!.id });
    const expectedTimes = snapshot.map((e) => exportTime('Asia/Shanghai')(e.ts));
    assert.match(expectedTimes[0]!, /\+08:00$/);
    for (const minRows of [Infinity, 1]) {
      const file = join(dir, `snapshot-${minRows}.csv`);
      const options = { databaseFile: handle.file, reader, filter, format: 'csv' as const, file, total: snapshot.length, names: new Map(), throughId, timeZone: 'Asia/Shanghai', workers: 2, minRows };
      assert.equal(await exportLogInParallel(options), snapshot.length);
      const lines = readFileSync(file, 'utf8').trimEnd().split('\r\n').slice(1);
      assert.deepEqual(lines.map((line) => Number(line.split(',')[0])), snapshot.map((e) => e.id), `minRows ${minRows}`);
      assert.deepEqual(lines.map((line) => line.split(',')[1]), expectedTimes, `minRows ${minRows}`);
    }
  } finally {
    handle.cleanup();
  }
});

test('a parallel export that fails stops its workers and leaves no file behind', async () => {
  const handle = writeLog(Array.from({ length: 500 }, (_, i) => ({ ...awkward[0]!, ts: T0 + i })));
  try {
    const reader = new AuditReader(handle.db);
    const dir = freshDir();
    const file = join(dir, 'out.csv');
    // The workers cannot open this database: the export fails as a whole.
    await assert.rejects(exportLogInParallel({ databaseFile: join(dir, 'missing.db'), reader, filter: {}, format: 'csv', file, total: 500, names: new Map(), minRows: 1 }), /unable to open|directory does not exist|SQLITE_CANTOPEN|no such file/i);
    assert.deepEqual(readdirSync(dir), []);
    assert.deepEqual(splitRange({ first: 5, last: 14 }, 3), [{ first: 5, last: 8 }, { first: 9, last: 12 }, { first: 13, last: 14 }]);
    assert.deepEqual(splitRange({ first: 7, last: 7 }, 2), [{ first: 7, last: 7 }]);
  } finally {
    handle.cleanup();
  }
});

test('the export worker as bundled for Electron (scripts/build-electron.mjs) formats its slices like exportLog', async () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const build = spawnSync(process.execPath, ['scripts/build-electron.mjs'], { cwd: root, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  const handle = writeLog(Array.from({ length: 40 }, (_, i) => ({ ...awkward[i % awkward.length]!, ts: T0 + i })));
  try {
    const dir = freshDir();
    const whole = join(dir, 'whole.jsonl');
    await exportLog(new AuditReader(handle.db), {}, 'jsonl', whole);
    // Rows 11 to 30: lines 11 to 30 of the whole export (ids run from 1).
    const expected = readFileSync(whole, 'utf8').split('\n').slice(10, 30).map((line) => `${line}\n`).join('');
    const job: ExportWorkerJob = { databaseFile: handle.file, filter: {}, format: 'jsonl', names: [], slices: [{ index: 4, ids: { first: 11, last: 30 } }] };
    const worker = new Worker(join(root, 'dist/electron/main/export-worker.js'), { workerData: job });
    const messages: ExportWorkerMessage[] = [];
    worker.on('message', (m: ExportWorkerMessage) => messages.push(m));
    worker.postMessage({ type: 'grant', upTo: 4 });
    const [code] = (await once(worker, 'exit')) as [number];
    assert.equal(code, 0);
    assert.deepEqual(messages.map((m) => m.type), ['chunk', 'sliced']);
    const chunk = messages[0] as Extract<ExportWorkerMessage, { type: 'chunk' }>;
    assert.equal(chunk.rows, 20);
    assert.equal(Buffer.from(chunk.bytes).toString('utf8'), expected);
  } finally {
    handle.cleanup();
  }
});
