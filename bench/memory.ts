/**
 * Memory per store session in the system-browser host: opens N stores (10 by default) through the
 * real host (AppCore + StoreSessions, guard attached) on the fake seller site, and measures each
 * store's Chromium process tree: proportional set size (PSS: shared pages split between the
 * processes that share them, so the sum is honest) and resident set size (RSS, overcounts shared
 * pages). Baseline, same run: the same Chromium with the same flags and a fresh profile loading the
 * same page, without ShopWarden.
 *
 *   npx tsx bench/memory.ts            10 stores
 *   npx tsx bench/memory.ts --quick    2 stores, smoke run
 *
 * Linux only (reads /proc); elsewhere it reports that it cannot measure. Prints figures only.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, findChromium } from '../electron/browser-host/chromium';
import { profileDir } from '../electron/browser-host/store-launch';
import { executedDirectly, median } from './bench-kit';
import { startBenchHost } from './browser-host-fixture';

export interface MemoryBenchOptions {
  quick?: boolean;
  log?: (line: string) => void;
}

export interface ProcessTreeMemory {
  processes: number;
  pssMB: number;
  rssMB: number;
}

export interface MemoryBenchFigures {
  quick: boolean;
  /** Null when this machine cannot be measured (no /proc, no Chromium). */
  skipped: string | null;
  stores: number;
  perStore: ProcessTreeMemory[];
  medianPssMB: number;
  medianRssMB: number;
  baseline: ProcessTreeMemory | null;
  /** Median store PSS over the plain Chromium's. */
  ratio: number;
  hostProcessMB: number;
}

const MB = 1024 * 1024;

function readProc(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // the process exited meanwhile
  }
}

/** Every live pid with its parent, from /proc. */
function processTable(): Map<number, { ppid: number; args: string[] }> {
  const table = new Map<number, { ppid: number; args: string[] }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProc(`/proc/${name}/stat`);
    const cmdline = readProc(`/proc/${name}/cmdline`);
    if (stat === null || cmdline === null) continue;
    // The command name in stat may hold spaces and parentheses: the ppid follows the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    table.set(Number(name), { ppid, args: cmdline.split('\0') });
  }
  return table;
}

/** PSS and RSS summed over the Chromium started with `--user-data-dir=<dir>` and its descendants. */
export function chromiumTreeMemory(userDataDir: string): ProcessTreeMemory {
  const table = processTable();
  const isRoot = (args: string[]) => args.includes(`--user-data-dir=${userDataDir}`) && !args.some((a) => a.startsWith('--type='));
  const tree = new Set([...table].filter(([, p]) => isRoot(p.args)).map(([pid]) => pid));
  if (tree.size === 0) throw new Error(`no Chromium process runs with --user-data-dir=${userDataDir}`);
  // Descendants: zygotes, renderers, utilities (parents are listed before or after their children).
  let size = 0;
  while (tree.size !== size) {
    size = tree.size;
    for (const [pid, p] of table) if (tree.has(p.ppid)) tree.add(pid);
  }
  let pss = 0;
  let rss = 0;
  for (const pid of tree) {
    const rollup = readProc(`/proc/${pid}/smaps_rollup`) ?? '';
    pss += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
    rss += Number(/^Rss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
  }
  return { processes: tree.size, pssMB: pss / MB, rssMB: rss / MB };
}

const fmt = (m: ProcessTreeMemory) => `PSS ${m.pssMB.toFixed(0)} MB, RSS ${m.rssMB.toFixed(0)} MB, ${m.processes} processes`;

export async function runMemoryBench(options: MemoryBenchOptions = {}): Promise<MemoryBenchFigures> {
  const quick = options.quick ?? false;
  const log = options.log ?? ((line: string) => console.log(line));
  const stores = quick ? 2 : 10;
  const executablePath = findChromium();
  const empty = { quick, stores, perStore: [], medianPssMB: 0, medianRssMB: 0, baseline: null, ratio: 0, hostProcessMB: 0 };
  if (process.platform !== 'linux' || !existsSync('/proc/self/smaps_rollup')) return { ...empty, skipped: 'needs Linux /proc/<pid>/smaps_rollup' };
  if (!executablePath) return { ...empty, skipped: 'no Chrome/Chromium on this machine' };

  const { site, host, dataDir, extraArgs, call, close } = await startBenchHost(executablePath, log);
  const page = site.url('sellercentral.amazon.com', '/orders-v3');
  try {
    const ids: string[] = [];
    for (let i = 0; i < stores; i++) ids.push((await call('stores:create', { name: `Store ${i + 1}`, platformId: 'amazon', siteId: 'us', homeUrl: page })).id);
    for (const id of ids) {
      await call('workspace:open-store', { storeId: id });
      await host.sessions.session(id)!.focus().then((p) => p.waitForLoadState('load'));
    }
    const perStore = ids.map((id) => chromiumTreeMemory(profileDir(dataDir, id)));
    perStore.forEach((m, i) => log(`store ${String(i + 1).padStart(2)}: ${fmt(m)}`));

    // The same Chromium, flags and page, a fresh profile, no ShopWarden.
    const plainDir = join(dataDir, 'plain-profile');
    const plain = await chromium.launchPersistentContext(plainDir, { executablePath, headless: true, args: [...CHROMIUM_FLAGS, ...extraArgs] });
    let baseline: ProcessTreeMemory;
    try {
      const p = plain.pages()[0] ?? (await plain.newPage());
      await p.goto(page, { waitUntil: 'load' });
      baseline = chromiumTreeMemory(plainDir);
    } finally {
      await plain.close();
    }
    const medianPssMB = median(perStore.map((m) => m.pssMB));
    const figures: MemoryBenchFigures = {
      quick,
      skipped: null,
      stores,
      perStore,
      medianPssMB,
      medianRssMB: median(perStore.map((m) => m.rssMB)),
      baseline,
      ratio: medianPssMB / baseline.pssMB,
      hostProcessMB: process.memoryUsage().rss / MB,
    };
    log(`plain Chromium, same page, no ShopWarden: ${fmt(baseline)}`);
    log(`per store session: median PSS ${medianPssMB.toFixed(0)} MB (${figures.ratio.toFixed(2)}× the plain Chromium), median RSS ${figures.medianRssMB.toFixed(0)} MB`);
    log(`this Node process (core, SQLite, ${stores} playwright connections): RSS ${figures.hostProcessMB.toFixed(0)} MB`);
    return figures;
  } finally {
    await close();
  }
}

if (executedDirectly(import.meta.url)) {
  const figures = await runMemoryBench({ quick: process.argv.includes('--quick') });
  if (figures.skipped) console.log(`memory bench skipped: ${figures.skipped}`);
}
