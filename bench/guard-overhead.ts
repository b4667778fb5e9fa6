/**
 * What the request guard costs a page load in the system-browser host: the fake seller site's
 * heavy page (`/heavy?n=200`: 100 images, 50 async scripts, 50 fetches, all same-host) loaded by a
 * staff member in a real store session — every request paused at CDP Fetch and decided by
 * AppCore.guard (decide + the operation log) — against the same Chromium launched with the same
 * store options and no guard at all. Same run, rotating which goes first each round; the
 * median of the rounds after a warm-up load of each.
 *
 * A third browser splits the overhead in two: the same plain profile with every request paused
 * at CDP Fetch and continued at once, without asking anything. What it adds is the cost of the
 * interception mechanism itself (Chromium pausing each request and a DevTools round trip);
 * what the guarded load adds beyond it is ShopWarden's own work (decide + the operation log).
 *
 * Load time is measured by the page itself: from navigation start (so the guarded page's own
 * request counts) until the last of its sub-requests has settled. The site sends no-store, so
 * every round goes to the network.
 *
 *   npx tsx bench/guard-overhead.ts            9 rounds
 *   npx tsx bench/guard-overhead.ts --quick    2 rounds, smoke run
 *
 * Prints figures only; nothing here asserts on time.
 */
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { findChromium } from '../electron/browser-host/chromium';
import { storeLaunchOptions } from '../electron/browser-host/store-launch';
import { BUILTIN_PLATFORMS } from '../shared/catalog/builtin';
import type { GuardRequest } from '../shared/model/decision';
import { executedDirectly, median } from './bench-kit';
import { startBenchHost, type BenchHost } from './browser-host-fixture';

export interface GuardOverheadOptions {
  quick?: boolean;
  log?: (line: string) => void;
}

export interface HeavyLoad {
  /** Navigation start to the last sub-request settled, as the page measured it. */
  ms: number;
  /** Sub-requests that failed (should be 0: every one is allowed). */
  failed: number;
}

export interface GuardOverheadFigures {
  quick: boolean;
  /** Null when this machine cannot run it (no Chromium). */
  skipped: string | null;
  subRequests: number;
  rounds: number;
  guarded: HeavyLoad[];
  plain: HeavyLoad[];
  /** Paused at CDP Fetch and continued without a decision: the mechanism alone. */
  interceptOnly: HeavyLoad[];
  guardedMedianMs: number;
  plainMedianMs: number;
  interceptOnlyMedianMs: number;
  /** Guarded median over plain median. */
  ratio: number;
  /** Intercept-only median over plain median. */
  interceptOnlyRatio: number;
  /** Guard decisions per guarded load (the page and every sub-request: at least subRequests + 1). */
  decisionsPerLoad: number;
  /** Guard decisions during the plain loads (0: nothing guards that browser). */
  plainDecisions: number;
  target: { ratio: number; met: boolean };
}

const SUB_REQUESTS = 200;
const TARGET_RATIO = 1.1;
const SC = 'sellercentral.amazon.com';
const STAFF = { username: 'bench-operator', password: 'bench-operator-password-1' };

/** Loads the heavy page and waits until the page reports every sub-request settled. */
async function loadHeavy(page: Page, round: number): Promise<HeavyLoad> {
  await page.goto(`http://${SC}/heavy?n=${SUB_REQUESTS}&round=${round}`, { waitUntil: 'commit' });
  await page.waitForFunction('window.heavyResult !== undefined', undefined, { timeout: 60_000 });
  // heavyStart is the page's performance.now() when its head script ran: start + ms = since navigation start.
  return page.evaluate<HeavyLoad>('({ ms: heavyStart + window.heavyResult.ms, failed: window.heavyResult.failed })');
}

/** A staff member (built-in operator role: /heavy is an "other" URL at View, so every request is decided in full) in a store of their own. */
async function openGuardedStore(bench: BenchHost): Promise<{ storeId: string; staffId: string; page: Page }> {
  const { call, host } = bench;
  const storeId = (await call('stores:create', { name: 'Bench US', platformId: 'amazon', siteId: 'us', homeUrl: `http://${SC}/home` })).id;
  const staffId = (await call('staff:create', STAFF)).id;
  const roles = (await call('roles:list', {})) as unknown as { id: string; template: string | null }[];
  const roleId = roles.find((r) => r.template === 'operator')!.id;
  await call('assignments:upsert', { staffId, storeId, roleId });
  const staff = host.core.newSession();
  await call('auth:login', STAFF, staff);
  await call('workspace:open-store', { storeId }, staff);
  const page = await host.sessions.session(storeId)!.focus();
  return { storeId, staffId, page };
}

/** The same store's launch options (flags, user agent, languages, switches) in another profile, with no guard attached. */
async function launchPlain(bench: BenchHost, storeId: string, staffId: string, executablePath: string, profile: string): Promise<BrowserContext> {
  const store = bench.host.core.storeForSession(storeId)!;
  const siteLocale = BUILTIN_PLATFORMS.find((p) => p.id === store.platformId)?.sites.find((s) => s.id === store.siteId)?.locale ?? null;
  const { userDataDir, options } = storeLaunchOptions({
    dataDir: join(bench.dataDir, profile),
    store,
    siteLocale,
    owner: false,
    switches: bench.host.core.switchesFor(storeId, staffId),
    browser: { executablePath, headless: true, appWindow: true, extraArgs: bench.extraArgs },
  });
  return chromium.launchPersistentContext(userDataDir, options);
}

/** Pauses every request of the browser at CDP Fetch, as the guard does, and continues it unasked. */
async function interceptOnly(context: BrowserContext): Promise<{ paused: () => number }> {
  const session = await context.browser()!.newBrowserCDPSession();
  let paused = 0;
  session.on('Fetch.requestPaused', ({ requestId }) => {
    paused++;
    void session.send('Fetch.continueRequest', { requestId }).catch(() => {});
  });
  await session.send('Fetch.enable', { patterns: [{ urlPattern: '*', requestStage: 'Request' }] });
  return { paused: () => paused };
}

export async function runGuardOverheadBench(options: GuardOverheadOptions = {}): Promise<GuardOverheadFigures> {
  const quick = options.quick ?? false;
  const log = options.log ?? ((line: string) => console.log(line));
  const rounds = quick ? 2 : 9;
  const executablePath = findChromium();
  const figures: GuardOverheadFigures = {
    quick,
    skipped: null,
    subRequests: SUB_REQUESTS,
    rounds,
    guarded: [],
    plain: [],
    interceptOnly: [],
    guardedMedianMs: 0,
    plainMedianMs: 0,
    interceptOnlyMedianMs: 0,
    ratio: 0,
    interceptOnlyRatio: 0,
    decisionsPerLoad: 0,
    plainDecisions: 0,
    target: { ratio: TARGET_RATIO, met: false },
  };
  if (!executablePath) return { ...figures, skipped: 'no Chrome/Chromium on this machine' };

  const bench = await startBenchHost(executablePath, log);
  let plain: BrowserContext | null = null;
  let intercepted: BrowserContext | null = null;
  try {
    // Count the guard's decisions, to show it really decided every request of the guarded loads.
    const core = bench.host.core;
    const decideAndLog = core.guard.bind(core);
    let decisions = 0;
    core.guard = (request: GuardRequest) => {
      decisions++;
      return decideAndLog(request);
    };
    const guarded = await openGuardedStore(bench);
    plain = await launchPlain(bench, guarded.storeId, guarded.staffId, executablePath, 'unguarded');
    intercepted = await launchPlain(bench, guarded.storeId, guarded.staffId, executablePath, 'intercept-only');
    const pauses = await interceptOnly(intercepted);
    const pages = {
      guarded: guarded.page,
      plain: plain.pages()[0] ?? (await plain.newPage()),
      interceptOnly: intercepted.pages()[0] ?? (await intercepted.newPage()),
    };
    const kinds = ['guarded', 'plain', 'interceptOnly'] as const;

    const measure = async (which: (typeof kinds)[number], round: number) => {
      const before = decisions;
      const load = await loadHeavy(pages[which], round);
      if (which === 'guarded') figures.decisionsPerLoad = decisions - before;
      else figures.plainDecisions += decisions - before;
      return load;
    };
    // Warm-up: first loads pay for compiling the page's scripts and opening connections.
    for (const which of kinds) await measure(which, 0);
    if (pauses.paused() <= SUB_REQUESTS) throw new Error(`the intercept-only browser paused ${pauses.paused()} requests in its warm-up load, not every one`);
    for (let round = 1; round <= rounds; round++) {
      // Rotate the order so drifting machine load weighs on all alike.
      const order = kinds.map((_, i) => kinds[(i + round) % kinds.length]!);
      for (const which of order) {
        const load = await measure(which, round);
        figures[which].push(load);
        log(`round ${round}: ${which.padEnd(13)} ${load.ms.toFixed(0).padStart(5)} ms${load.failed ? ` (${load.failed} failed)` : ''}`);
      }
    }
  } finally {
    await plain?.close().catch(() => {});
    await intercepted?.close().catch(() => {});
    await bench.close();
  }
  figures.guardedMedianMs = median(figures.guarded.map((l) => l.ms));
  figures.plainMedianMs = median(figures.plain.map((l) => l.ms));
  figures.interceptOnlyMedianMs = median(figures.interceptOnly.map((l) => l.ms));
  figures.ratio = figures.guardedMedianMs / figures.plainMedianMs;
  figures.interceptOnlyRatio = figures.interceptOnlyMedianMs / figures.plainMedianMs;
  figures.target.met = figures.ratio <= TARGET_RATIO;
  log(
    `heavy page, ${SUB_REQUESTS} sub-requests, median of ${rounds}: guarded ${figures.guardedMedianMs.toFixed(0)} ms, ` +
      `no guard ${figures.plainMedianMs.toFixed(0)} ms, ratio ${figures.ratio.toFixed(2)} (target ≤ ${TARGET_RATIO.toFixed(2)}: ${figures.target.met ? 'met' : 'not met'})`,
  );
  log(
    `paused at CDP Fetch and continued unasked: ${figures.interceptOnlyMedianMs.toFixed(0)} ms, ratio ${figures.interceptOnlyRatio.toFixed(2)} ` +
      `(the interception mechanism alone; the guard's own work adds ${((figures.guardedMedianMs - figures.interceptOnlyMedianMs) / (SUB_REQUESTS + 1)).toFixed(2)} ms per request on top)`,
  );
  log(`guard decisions per guarded load: ${figures.decisionsPerLoad}; during unguarded loads: ${figures.plainDecisions}`);
  return figures;
}

if (executedDirectly(import.meta.url)) {
  const figures = await runGuardOverheadBench({ quick: process.argv.includes('--quick') });
  if (figures.skipped) console.log(`guard overhead bench skipped: ${figures.skipped}`);
}
