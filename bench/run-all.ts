/**
 * Runs every benchmark in one process and writes a Markdown summary: the machine, each bench's
 * figures, ratios against the baselines measured in the same run, and whether each target was
 * met. Nothing here asserts; a missed target is reported, not failed.
 *
 *   npm run bench                         full run, writes bench/results.md (committed)
 *   npx tsx bench/run-all.ts --quick      smoke run, writes bench/results.local.md (git-ignored)
 *   npx tsx bench/run-all.ts --only=decide --out=/tmp/r.md
 *
 * To add a benchmark (log viewer, guard overhead…): write bench/<name>.ts exporting a
 * `run<Name>Bench(options)` that returns its figures, and add one entry to BENCHES below that
 * turns those figures into rows. Nothing else changes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAuditBench } from './audit';
import { runDecideBench } from './decide';
import { runGuardOverheadBench } from './guard-overhead';
import { runLogViewerBench } from './log-viewer';
import { runMemoryBench } from './memory';
import { executedDirectly } from './bench-kit';

export interface RunOptions {
  quick: boolean;
  log: (line: string) => void;
}

/** One line of a bench's table. Empty cells are left blank. */
export interface ResultRow {
  metric: string;
  value: string;
  /** The same figure for the baseline, measured in the same run. */
  baseline?: string;
  /** How many times better than the baseline: value / baseline for rates, baseline / value for times. */
  ratio?: string;
  target?: string;
  /** undefined: the row has no target. */
  met?: boolean;
}

export interface BenchReport {
  rows: ResultRow[];
  /** Sentences printed under the table (what was measured, what the baseline is). */
  notes: string[];
}

export interface BenchEntry {
  id: string;
  title: string;
  /** The file that holds the benchmark (for readers of results.md). */
  source: string;
  run(options: RunOptions): Promise<BenchReport>;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const dec = (n: number, digits: number) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const times = (n: number) => `${n >= 100 ? int(n) : dec(n, 1)}×`;

/** The extension point: every benchmark run-all knows about, in the order they run. */
export const BENCHES: BenchEntry[] = [
  {
    id: 'decide',
    title: 'Guard decisions',
    source: 'bench/decide.ts',
    async run({ quick, log }) {
      const f = await runDecideBench({ quick, log });
      const shared = f.casbinShared;
      return {
        rows: [
          {
            metric: 'decisions/s',
            value: int(f.shopwarden.decisionsPerSecond),
            baseline: `${int(f.casbin.decisionsPerSecond)} (casbin)`,
            ratio: times(f.ratio),
            target: `≥ ${f.targets.ratio}× casbin`,
            met: f.targets.ratioMet,
          },
          { metric: 'latency p50', value: `${dec(f.shopwarden.p50Micros, 2)} µs`, baseline: `${int(f.casbin.p50Micros)} µs`, ratio: times(f.casbin.p50Micros / f.shopwarden.p50Micros) },
          {
            metric: 'latency p99',
            value: `${dec(f.shopwarden.p99Micros, 2)} µs`,
            baseline: `${int(f.casbin.p99Micros)} µs`,
            ratio: times(f.casbin.p99Micros / f.shopwarden.p99Micros),
            target: `≤ ${f.targets.p99Micros} µs`,
            met: f.targets.p99Met,
          },
          { metric: 'latency max', value: `${dec(f.shopwarden.maxMicros, 1)} µs`, baseline: `${int(f.casbin.maxMicros)} µs` },
          { metric: 'compile (whole policy)', value: `${int(f.compileMs.median)} ms (first run ${int(f.compileMs.first)} ms)`, baseline: `${int(f.casbin.buildMs)} ms (load ${f.casbin.enforcers} enforcers)` },
          { metric: 'heap retained by the compiled policy', value: `${dec(f.policyHeapMB, 1)} MB` },
          { metric: 'heap used at the end (incl. casbin)', value: `${dec(f.heapUsedMB, 1)} MB` },
          {
            metric: 'same decision as casbin (comparable requests)',
            value: `${int(f.agreement.agreed)} / ${int(f.agreement.compared)}`,
            target: 'all',
            met: f.agreement.passed,
          },
          ...(shared
            ? [{ metric: 'casbin, one enforcer for all stores (reference)', value: '', baseline: `${dec(shared.decisionsPerSecond, 1)} decisions/s, p50 ${int(shared.p50Micros)} µs` }]
            : []),
        ],
        notes: [
          `Policy: ${f.policy.stores} stores (Amazon sites and Taobao/Tmall shops), ${f.policy.staff} staff and an owner, ${f.policy.roles} roles ` +
            `(the 7 built-in templates and 7 custom roles) with ${f.policy.customRules} custom rules, ${f.policy.assignments} assignments ` +
            `(${f.policy.windowedAssignments} with validity windows); compiled into ${f.policy.profiles} shared profiles holding ${int(f.policy.indexedFilters)} indexed filters, ${f.policy.problems} problems.`,
          `Requests: ${int(f.requests)} from a seeded mix (seed ${f.seed}): ${f.reasons
            .slice(0, 6)
            .map((r) => `${r.reason} ${dec(r.share * 100, 1)}%`)
            .join(', ')}…; ${dec(f.shopwarden.allowedShare * 100, 1)}% allowed.`,
          `Throughput is the median of 3 timed loops over all requests; latency times every call on its own with process.hrtime.bigint() in 3 passes over all requests (p50 and p99: the median pass; max: the worst) ` +
            `(${int(f.shopwarden.timerOverheadNanos)} ns timer overhead subtracted).`,
          `Baseline: node-casbin, RBAC with domains (domain = store), keyMatch2 object patterns, priority effect, one enforcer per store ` +
            `(${int(f.casbin.policyLines)} p lines, ${int(f.casbin.groupingLines)} g lines), timed on the first ${int(f.casbin.timedCalls)} requests of the same mix. ` +
            `The agreement check covers the ${int(f.agreement.compared)} of them whose meaning casbin can express (see the comment in bench/decide.ts).`,
        ],
      };
    },
  },
  {
    id: 'audit',
    title: 'Audit log writes',
    source: 'bench/audit.ts',
    async run({ quick, log }) {
      const f = await runAuditBench({ quick, log });
      return {
        rows: [
          {
            metric: 'events/s written (batched, hash-chained)',
            value: int(f.batchedPerSecond),
            baseline: `${int(f.singleRowPerSecond)} (one INSERT per event)`,
            ratio: times(f.ratio),
            target: `≥ ${int(f.target.perSecond)} events/s`,
            met: f.target.met,
          },
          { metric: 'URL search index catching up afterwards (idle time)', value: `${int(f.urlIndexRowsPerSecond)} rows/s` },
          { metric: 'bare batched INSERTs (floor, no hashing, no URL index)', value: `${int(f.barePerSecond)} rows/s` },
          { metric: 'append() per event (hot path)', value: `${dec(f.appendMicros, 2)} µs` },
          { metric: 'verify', value: `${int(f.verifyRowsPerSecond)} rows/s`, target: 'chain intact', met: f.verifyIntact },
        ],
        notes: [
          `${int(f.batchedEvents)} events through AuditWriter (1000 per transaction) on a fresh app database (every migration, WAL, synchronous=NORMAL; ` +
            `the log viewer's URL index is filled in idle time, timed separately) against ${int(f.singleRowEvents)} autocommit INSERTs into the audit tables alone.`,
        ],
      };
    },
  },
  {
    id: 'memory',
    title: 'Memory per store session',
    source: 'bench/memory.ts',
    async run({ quick, log }) {
      const f = await runMemoryBench({ quick, log });
      if (f.skipped || !f.baseline) return { rows: [], notes: [`Skipped: ${f.skipped ?? 'no baseline'}.`] };
      const mb = (n: number) => `${int(n)} MB`;
      return {
        rows: [
          { metric: 'PSS per store session (median)', value: mb(f.medianPssMB), baseline: `${mb(f.baseline.pssMB)} (plain Chromium)`, ratio: `${dec(f.ratio, 2)}× the plain browser` },
          { metric: 'PSS per store session (range)', value: `${mb(Math.min(...f.perStore.map((m) => m.pssMB)))} – ${mb(Math.max(...f.perStore.map((m) => m.pssMB)))}` },
          { metric: 'RSS per store session (median, shared pages counted in each)', value: mb(f.medianRssMB), baseline: mb(f.baseline.rssMB) },
          { metric: `all ${f.stores} store sessions (PSS)`, value: mb(f.perStore.reduce((sum, m) => sum + m.pssMB, 0)) },
          { metric: 'the host process (core, SQLite, playwright)', value: `${mb(f.hostProcessMB)} RSS` },
        ],
        notes: [
          `${f.stores} stores opened by the owner in the system-browser host (headless Chromium, guard attached), each on the fake seller site's orders page; ` +
            "per store: PSS and RSS summed over its Chromium process tree (/proc/<pid>/smaps_rollup). Baseline: the same Chromium, flags and page in a fresh profile without ShopWarden. " +
            'PSS is the honest sum (shared pages split between processes); the ratio is what a guarded store session costs over the plain browser.',
        ],
      };
    },
  },
  {
    id: 'guard-overhead',
    title: 'Guard overhead on a heavy page',
    source: 'bench/guard-overhead.ts',
    async run({ quick, log }) {
      const f = await runGuardOverheadBench({ quick, log });
      if (f.skipped) return { rows: [], notes: [`Skipped: ${f.skipped}.`] };
      const ms = (n: number) => `${int(n)} ms`;
      return {
        rows: [
          {
            metric: `heavy page load, ${f.subRequests} sub-requests (median)`,
            value: ms(f.guardedMedianMs),
            baseline: `${ms(f.plainMedianMs)} (no guard)`,
            ratio: `${dec(f.ratio, 2)}× the unguarded time`,
            target: `≤ ${dec(f.target.ratio, 2)}× unguarded`,
            met: f.target.met,
          },
          { metric: 'added per request', value: `${dec((f.guardedMedianMs - f.plainMedianMs) / (f.subRequests + 1), 2)} ms` },
          {
            metric: 'of which the interception mechanism (paused at CDP Fetch, continued unasked)',
            value: ms(f.interceptOnlyMedianMs),
            baseline: `${ms(f.plainMedianMs)} (no guard)`,
            ratio: `${dec(f.interceptOnlyRatio, 2)}× the unguarded time`,
          },
          { metric: 'guarded minus intercept-only, per request (the guard\'s own work; noise when near or below 0)', value: `${dec((f.guardedMedianMs - f.interceptOnlyMedianMs) / (f.subRequests + 1), 2)} ms` },
          { metric: 'guard decisions per guarded load', value: int(f.decisionsPerLoad), baseline: int(f.plainDecisions) },
        ],
        notes: [
          `The fake seller site's /heavy?n=${f.subRequests} (½ images, ¼ async scripts, ¼ fetches, same host, no-store) opened by a staff member (built-in operator role) ` +
            'in a store of the system-browser host: every request paused at CDP Fetch and decided by AppCore.guard. Baseline: the same Chromium with the same store launch options, no guard. ' +
            'A third browser, the baseline with every request paused at CDP Fetch and continued without asking, shows what the interception mechanism costs by itself. ' +
            `Time from navigation start to the last sub-request settled, measured by the page; median of ${f.rounds} rounds after one warm-up load each, rotating which goes first.`,
        ],
      };
    },
  },
  {
    id: 'log-viewer',
    title: 'Log viewer on a large log',
    source: 'bench/log-viewer.ts',
    async run({ quick, log }) {
      const f = await runLogViewerBench({ quick, log });
      const ms = (n: number) => `${n < 10 ? dec(n, 2) : dec(n, 1)} ms`;
      const combo = (keys: string[]) => (keys.length === 0 ? 'no filter' : keys.join(' + '));
      const b = f.baseline;
      const slowest = [...f.timings].sort((x, y) => y.page.ms - x.page.ms).slice(0, 5);
      return {
        rows: [
          { metric: `first page, ${int(f.page.measured)} filter combinations (median)`, value: ms(f.page.medianMs) },
          { metric: 'first page, p95', value: ms(f.page.p95Ms) },
          {
            metric: 'first page, worst combination',
            value: `${ms(f.page.worst.page.ms)} (${combo(f.page.worst.keys)})`,
            target: `≤ ${f.targets.pageMs} ms`,
            met: f.targets.pageMet,
          },
          { metric: `first pages within ${f.targets.pageMs} ms`, value: `${int(f.page.withinTarget)} / ${int(f.page.measured)}` },
          { metric: 'first page, no filter / each single filter / all filters (median)', value: ms(b.pageMedianMs), baseline: `${ms(b.medianMs)} (same SQL, NOT INDEXED)`, ratio: times(b.medianMs / b.pageMedianMs) },
          { metric: 'the same, worst', value: ms(b.pageWorstMs), baseline: ms(b.worstMs), ratio: times(b.worstMs / b.pageWorstMs) },
          { metric: 'log:count asked for after each first page (median / p95 / worst)', value: `${ms(f.count.medianMs)} / ${ms(f.count.p95Ms)} / ${ms(f.count.worst.count.ms)}` },
          ...f.exports.map((e) => ({
            metric: `export of all ${int(e.rows)} rows, ${e.format.toUpperCase()} (${int(e.mb)} MB)`,
            value: `${dec(e.seconds, 2)} s (first run ${dec(e.firstSeconds, 2)} s)`,
            target: `≤ ${f.targets.exportSeconds} s`,
            met: e.met,
          })),
          ...(f.heap
            ? [
                {
                  metric: `console JS heap before / after scrolling ${int(f.heap.rowsScrolled)} rows (${f.heap.pagesScrolled} pages)`,
                  value: `${dec(f.heap.before.usedMB, 1)} MB / ${dec(f.heap.after.usedMB, 1)} MB`,
                },
                { metric: 'console DOM nodes before / after', value: `${int(f.heap.before.domNodes)} / ${int(f.heap.after.domNodes)}` },
                { metric: 'console: next page of rows on screen after a scroll (median / p95)', value: `${int(f.heap.stepMedianMs)} ms / ${int(f.heap.stepP95Ms)} ms` },
              ]
            : []),
          { metric: 'seeding through AuditWriter, migrated schema', value: `${int(f.seed.rowsPerSecond)} rows/s (${dec(f.seed.dbMB, 0)} MB database)` },
          { metric: 'seeded log verifies', value: `${int(f.totalRows)} rows`, target: 'chain intact', met: f.seed.chainIntact },
        ],
        notes: [
          `${int(f.rows)} rows (${f.world.staff} staff and the owner, ${f.world.stores} Amazon and Taobao/Tmall stores, ${f.world.modules} modules, every log kind, ${f.world.days} days) ` +
            'appended by the app\'s AuditWriter to a migrated ShopWarden database in 10,000-row batches, then served by the system-browser host (startBrowserHost) as the console sees it.',
          `First pages: every subset of the ${f.filterKeys.length} LogFilter keys (${f.filterKeys.join(', ')}: ${f.combinations} combinations), each filled from ${f.probes.length} probe rows of the log ` +
            '(an allowed navigation with its page path as URL text, a blocked attempt with its order/item number, an allowed mutation with its host), ' +
            `through AppCore.invoke('log:query', limit 200) — contract validation, handler, AuditReader — median of ${quick ? 1 : 3} calls each.`,
          `Slowest: ${slowest.map((t) => `${combo(t.keys)} ${ms(t.page.ms)}`).join('; ')}.`,
          'Baseline: the page SQL AuditReader would run for the same filter, with NOT INDEXED (SQLite may use no index: it reads every row and keeps the newest 201), on the empty filter, each single filter and all filters, for every probe; both return the same rows. ' +
            'The console asks for log:count right after each first page (the host answers one request at a time, so a slow count delays only the next request).',
          "Exports: 'log:export' through the host's core (the real export: two worker threads on their own read connections, names, progress events), all rows, run twice; the target is judged on the second run. " +
            'Heap: the built console in headless Chromium, signed in as the owner, the log table scrolled one page (200 rows) at a time until the rows are on screen; ' +
            'CDP Runtime.getHeapUsage after two forced collections, before and after.',
        ],
      };
    },
  },
];

function osName(): string {
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
    if (pretty) return `${pretty} (${platform()} ${release()}, ${arch()})`;
  } catch {
    // not Linux, or no os-release
  }
  return `${platform()} ${release()} ${arch()}`;
}

export function machineLine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} logical cores, ${dec(totalmem() / 2 ** 30, 1)} GiB RAM; Node ${process.version}; ${osName()}`;
}

const cell = (text: string | undefined) => (text ?? '').replace(/\|/g, '\\|');

export function toMarkdown(
  results: Array<{ entry: BenchEntry; report: BenchReport; seconds: number }>,
  quick: boolean,
  when: Date,
  load: readonly number[],
): string {
  const lines = [
    '# Benchmark results',
    '',
    '_Generated by `npm run bench` (bench/run-all.ts); regenerate it rather than editing it. Every ratio compares figures measured in the same run on the same machine; targets are reported, never asserted._',
    '',
    `- Machine: ${machineLine()}`,
    `- Run: ${when.toISOString().replace(/\.\d+Z$/, 'Z')}, load average ${load.map((n) => dec(n, 2)).join(' / ')} (1 / 5 / 15 min) at the start` +
      ' — other work on the machine inflates latencies, so compare runs with similar load' +
      (quick ? ' — **quick smoke run: figures are not meaningful**' : ''),
    '',
    '| bench | target | met |',
    '|---|---|---|',
    ...results.flatMap(({ entry, report }) =>
      report.rows.filter((r) => r.met !== undefined).map((r) => `| ${entry.title}: ${cell(r.metric)} | ${cell(r.target)} | ${r.met ? 'met' : '**not met**'} |`),
    ),
  ];
  for (const { entry, report, seconds } of results) {
    lines.push(
      '',
      `## ${entry.title} (\`${entry.source}\`, ${dec(seconds, 0)} s)`,
      '',
      '| metric | ShopWarden | baseline, same run | ratio (× better) | target | met |',
      '|---|---|---|---|---|---|',
      ...report.rows.map(
        (r) => `| ${cell(r.metric)} | ${cell(r.value)} | ${cell(r.baseline)} | ${cell(r.ratio)} | ${cell(r.target)} | ${r.met === undefined ? '' : r.met ? 'met' : '**not met**'} |`,
      ),
      '',
      ...report.notes.map((n) => `- ${n}`),
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function runAll(options: { quick: boolean; only?: readonly string[]; out: string; log?: (line: string) => void }): Promise<string> {
  const log = options.log ?? ((line: string) => console.log(line));
  const results: Array<{ entry: BenchEntry; report: BenchReport; seconds: number }> = [];
  const when = new Date();
  const load = loadavg();
  log(`machine: ${machineLine()}; load average ${load.map((n) => dec(n, 2)).join(' / ')}`);
  for (const entry of BENCHES) {
    if (options.only && !options.only.includes(entry.id)) continue;
    log('');
    log(`== ${entry.title} (${entry.source})${options.quick ? ' — quick smoke run' : ''}`);
    const start = performance.now();
    const report = await entry.run({ quick: options.quick, log });
    results.push({ entry, report, seconds: (performance.now() - start) / 1000 });
  }
  const markdown = toMarkdown(results, options.quick, when, load);
  writeFileSync(options.out, markdown);
  log('');
  log(`wrote ${options.out}`);
  return markdown;
}


if (executedDirectly(import.meta.url)) {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
  const here = dirname(fileURLToPath(import.meta.url));
  const out = args.find((a) => a.startsWith('--out='))?.slice('--out='.length) ?? join(here, quick ? 'results.local.md' : 'results.md');
  await runAll({ quick, only, out });
}
