/**
 * Audit log write throughput: the batched, hash-chained AuditWriter against one INSERT per
 * event in its own (autocommit) transaction, hash-chained the same way, in the same run, each
 * on a fresh temp-file database in WAL mode. Also times append() alone (the request hot path)
 * and a full verify.
 *
 *   npx tsx bench/audit.ts            full run
 *   npx tsx bench/audit.ts --quick    tiny smoke run
 *
 * Prints figures only; nothing here asserts on time. `runAuditBench()` returns the figures
 * (bench/run-all.ts uses it); the CLI part runs only when this file is executed directly.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { AuditEventInput, AuditKind } from '../shared/model/audit';
import { AUDIT_GENESIS_HASH, AUDIT_SCHEMA_SQL } from '../electron/core/audit/schema';
import { AUDIT_HEAD_SCHEMA_SQL } from '../electron/core/audit/head';
import { toQueuedEvent, toStoredRow } from '../electron/core/audit/event-row';
import { INSERT_ROW_SQL, insertValues } from '../electron/core/audit/row';
import { verifyAuditChain } from '../electron/core/audit/verify';
import { AuditWriter } from '../electron/core/audit/writer';
import { UrlIndexer } from '../electron/core/audit/url-indexer';
import { openDatabase } from '../electron/core/db';
import { executedDirectly } from './bench-kit';

const BATCH_SIZE = 1000;
const SYNCHRONOUS = 'NORMAL';
const TARGET_PER_SECOND = 150_000;

export interface AuditBenchOptions {
  /** Tiny smoke run (default false). */
  quick?: boolean;
  /** Where figures are printed (default console.log; pass () => {} for silence). */
  log?: (line: string) => void;
}

export interface AuditBenchFigures {
  quick: boolean;
  batchedEvents: number;
  singleRowEvents: number;
  batchedPerSecond: number;
  singleRowPerSecond: number;
  /** Batched over single-row events/s, same run. */
  ratio: number;
  barePerSecond: number;
  /** The log viewer's URL index catching up with the batched run afterwards (the writer does it in idle time). */
  urlIndexRowsPerSecond: number;
  appendMicros: number;
  verifyIntact: boolean;
  verifyRowsPerSecond: number;
  target: { perSecond: number; met: boolean };
}

/** Set per run by runAuditBench (a fresh temp folder each time). */
let workDir = '';

/** The audit tables alone: what the baselines and the floor write into. */
function openDb(name: string): Database.Database {
  const db = new Database(join(workDir, name));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${SYNCHRONOUS}`);
  db.exec(AUDIT_SCHEMA_SQL);
  db.exec(AUDIT_HEAD_SCHEMA_SQL);
  return db;
}

/** The app's own database (every migration, so the writer also keeps the URL search index). */
const openAppDb = (name: string) => openDatabase(join(workDir, name));

/** A plausible mix: mostly navigations, some mutations and blocks, secrets to redact, a few owner changes. */
function makeEvents(count: number): AuditEventInput[] {
  const kinds: AuditKind[] = ['navigation', 'navigation', 'navigation', 'mutation', 'block', 'navigation', 'mutation', 'download'];
  const paths = ['orders-v3/fba/all?page=3&sort=order_date_desc', 'inventory/ref=xx_invmgr_dnav_xx?tbla_myitable=sort:%7B%22sortOrder%22%3A%22DESCENDING%22%7D', 'payments/dashboard/index.html/ref=xx_payments_dnav_xx', 'sp-api/oauth?spapi_oauth_code=ANmKJsomecode&state=42', 'messaging/inbox?session=abc123&folder=all'];
  const start = Date.now();
  return Array.from({ length: count }, (_, i): AuditEventInput => {
    const kind = kinds[i % kinds.length]!;
    if (i % 997 === 0) {
      return { ts: start + i, kind: 'owner-change', actorId: 'owner', detail: { entity: 'store', before: { proxy: { password: 'old' } }, after: { proxy: { password: 'new' } } } };
    }
    return {
      ts: start + i,
      kind,
      actorId: `staff-${i % 12}`,
      storeId: `store-${i % 5}`,
      url: `https://sellercentral.amazon.com/${paths[i % paths.length]!}&n=${i}`,
      method: kind === 'mutation' ? 'POST' : 'GET',
      module: ['orders', 'inventory', 'payments', 'advertising'][i % 4]!,
      decision: kind === 'block' ? 'blocked' : 'allowed',
      reason: kind === 'block' ? 'module-none' : null,
      ruleId: kind === 'block' ? `rule-${i % 7}` : null,
    };
  });
}

async function batched(events: AuditEventInput[], db: Database.Database) {
  const writer = new AuditWriter(db, { batchSize: BATCH_SIZE });
  let appendMs = 0;
  const started = performance.now();
  for (let offset = 0; offset < events.length; offset += BATCH_SIZE) {
    const chunkStart = performance.now();
    for (const event of events.slice(offset, offset + BATCH_SIZE)) writer.append(event);
    appendMs += performance.now() - chunkStart;
    await nextTurn(); // as between requests: the writer's own scheduling commits the full batch
  }
  writer.close();
  const seconds = (performance.now() - started) / 1000;
  return { db, seconds, head: writer.lastCommittedId, appendMicros: (appendMs * 1000) / events.length };
}

function singleRow(events: AuditEventInput[]) {
  const db = openDb('single-row.db');
  const insert = db.prepare(INSERT_ROW_SQL);
  let prevHash = AUDIT_GENESIS_HASH;
  const started = performance.now();
  events.forEach((event, i) => {
    const row = toStoredRow(toQueuedEvent(event), i + 1, prevHash);
    insert.run(insertValues(row)); // autocommit: one transaction per event
    prevHash = row.hash;
  });
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return { seconds };
}

/** The floor under both: the same rows pre-built, inserted in batches with no validation, redaction or hashing. */
function bareInserts(events: AuditEventInput[]) {
  const db = openDb('bare.db');
  const insert = db.prepare(INSERT_ROW_SQL);
  const rows = events.map((event, i) => insertValues(toStoredRow(toQueuedEvent(event), i + 1, AUDIT_GENESIS_HASH)));
  const insertBatch = db.transaction((batch: unknown[][]) => {
    for (const values of batch) insert.run(values);
  });
  const started = performance.now();
  for (let offset = 0; offset < rows.length; offset += BATCH_SIZE) insertBatch(rows.slice(offset, offset + BATCH_SIZE));
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return { seconds };
}

function perSecond(count: number, seconds: number): string {
  return Math.round(count / seconds).toLocaleString('en-US');
}

/** Runs the benchmark in a fresh temp folder (removed afterwards) and returns its figures. */
export async function runAuditBench(options: AuditBenchOptions = {}): Promise<AuditBenchFigures> {
  workDir = mkdtempSync(join(tmpdir(), 'shopwarden-bench-audit-'));
  try {
    return await measure(options.quick ?? false, options.log ?? ((line: string) => console.log(line)));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

async function measure(quick: boolean, log: (line: string) => void): Promise<AuditBenchFigures> {
  const BATCHED_EVENTS = quick ? 2_000 : 200_000;
  const SINGLE_ROW_EVENTS = quick ? 500 : 20_000;
  log(`database: temp file, journal_mode=WAL, synchronous=${SYNCHRONOUS}, batched writer on the app's migrated database, baselines on AUDIT_SCHEMA_SQL + audit_head`);
  log('');

  const batchedRun = await batched(makeEvents(BATCHED_EVENTS), openAppDb('batched.db'));
  const indexer = UrlIndexer.open(batchedRun.db)!;
  const unindexed = batchedRun.head - indexer.indexedUpTo;
  const indexStarted = performance.now();
  indexer.catchUp();
  const urlIndexRowsPerSecond = unindexed / ((performance.now() - indexStarted) / 1000);
  const single = singleRow(makeEvents(SINGLE_ROW_EVENTS));
  const batchedRate = BATCHED_EVENTS / batchedRun.seconds;
  const singleRate = SINGLE_ROW_EVENTS / single.seconds;

  log(`batched writer   (AuditWriter, ${BATCH_SIZE} per transaction): ${BATCHED_EVENTS.toLocaleString('en-US').padStart(8)} events in ${batchedRun.seconds.toFixed(2)} s = ${perSecond(BATCHED_EVENTS, batchedRun.seconds).padStart(9)} events/s`);
  log(`single-row       (autocommit INSERT per event)  : ${SINGLE_ROW_EVENTS.toLocaleString('en-US').padStart(8)} events in ${single.seconds.toFixed(2)} s = ${perSecond(SINGLE_ROW_EVENTS, single.seconds).padStart(9)} events/s`);
  log(`URL index catch-up after the batched run (${unindexed.toLocaleString('en-US')} rows left for idle time): ${Math.round(urlIndexRowsPerSecond).toLocaleString('en-US')} rows/s`);
  log(`ratio batched / single-row: ${(batchedRate / singleRate).toFixed(1)}x`);
  const bare = bareInserts(makeEvents(BATCHED_EVENTS));
  log(`for scale: bare batched INSERTs of pre-built rows (no validation/redaction/hashing): ${perSecond(BATCHED_EVENTS, bare.seconds)} rows/s`);
  log(`append() alone (hot path: validate + queue): ${batchedRun.appendMicros.toFixed(2)} µs/event`);
  log(`target >= ${TARGET_PER_SECOND.toLocaleString('en-US')} events/s batched: ${batchedRate >= TARGET_PER_SECOND ? 'met' : 'NOT met'} on this run`);

  const verifyStart = performance.now();
  const verdict = verifyAuditChain(batchedRun.db);
  const verifySeconds = (performance.now() - verifyStart) / 1000;
  log(`verify: ${verdict.intact ? `intact, ${verdict.rows.toLocaleString('en-US')} rows` : `BROKEN at ${verdict.firstBadId}: ${verdict.problem}`} in ${verifySeconds.toFixed(2)} s = ${perSecond(verdict.intact ? verdict.rows : 0, verifySeconds)} rows/s`);
  batchedRun.db.close();
  const bareRate = BATCHED_EVENTS / bare.seconds;
  return {
    quick,
    batchedEvents: BATCHED_EVENTS,
    singleRowEvents: SINGLE_ROW_EVENTS,
    batchedPerSecond: batchedRate,
    singleRowPerSecond: singleRate,
    ratio: batchedRate / singleRate,
    barePerSecond: bareRate,
    urlIndexRowsPerSecond,
    appendMicros: batchedRun.appendMicros,
    verifyIntact: verdict.intact,
    verifyRowsPerSecond: (verdict.intact ? verdict.rows : 0) / verifySeconds,
    target: { perSecond: TARGET_PER_SECOND, met: batchedRate >= TARGET_PER_SECOND },
  };
}


if (executedDirectly(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  const cpu = cpus();
  console.log('ShopWarden audit log write benchmark' + (quick ? ' (--quick smoke run: figures are not meaningful)' : ''));
  console.log(`machine: node ${process.version}, ${cpu[0]?.model.trim() ?? 'unknown cpu'} (${cpu.length} logical cpus), ${process.platform} ${process.arch}`);
  await runAuditBench({ quick });
}
