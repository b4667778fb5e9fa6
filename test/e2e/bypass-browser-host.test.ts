// The bypass catalogue (test/e2e/bypass/catalogue.ts) run through the system-browser host: one
// store opened once for a staff member (the built-in operator role), one Chromium launch, the
// fake seller site on 127.0.0.1. For every scenario: the window shows the block (page, pop-up,
// frame, refused script, no file), every decision the guard made for the scenario's URL is a
// block that becomes a log row, and the site never received the request.
// Every assert.ok carries a message (see store-sessions.test.ts for why).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { findChromium, hostResolverRulesFlag, publicAddressSpaceFlag, treatAsSecureOriginsFlag } from '../../electron/browser-host/chromium';
import type { DownloadOutcome } from '../../electron/browser-host/download-guard';
import type { StoreSession } from '../../electron/browser-host/store-session';
import { StoreSessions } from '../../electron/browser-host/store-sessions';
import { guardLogEvent } from '../../electron/core/app/guard-log';
import { parseRequestUrl } from '../../shared/policy/request-url';
import { FAKE_SELLER_HOSTS, startFakeSellerSite, type FakeSellerSite } from '../fixtures/fake-seller/index';
import { BLOCKED_PREFIX, BYPASS_CATALOGUE, hasTag, type BypassScenario, type CatalogueEnv } from './bypass/catalogue';
import { eventually } from './helpers/eventually';
import { PolicyWorld, assign, builtInRole, makeStore, makeUser } from './helpers/policy-world';

const executablePath = findChromium();
const skip = executablePath ? false : 'no Chrome/Chromium on this machine: run `bash scripts/setup-system.sh` or set SHOPWARDEN_CHROMIUM';
const HOST = 'browser-host';

const store = makeStore('sA', { name: 'Mugs US', homeUrl: 'http://sellercentral.amazon.com/orders-v3' });
const staff = makeUser('op');

/** The same URL as the guard's parser reads it: scheme, host, port, path, query. */
function canonical(url: string): string {
  const u = parseRequestUrl(url);
  return u ? `${u.scheme}://${u.host}:${u.port}${u.path}?${u.query.join('&')}` : `unparsable ${url}`;
}

describe('bypass catalogue: system-browser host', { skip }, () => {
  let site: FakeSellerSite;
  let dataDir: string;
  let world: PolicyWorld;
  let sessions: StoreSessions;
  let session: StoreSession;
  let page: Page;
  let env: CatalogueEnv;
  const downloads: DownloadOutcome[] = [];
  const errors: unknown[] = [];

  before(async () => {
    site = await startFakeSellerSite();
    env = { port: site.port };
    dataDir = mkdtempSync(join(tmpdir(), 'sw-bypass-'));
    world = new PolicyWorld({
      platforms: (await import('../../shared/catalog/builtin')).BUILTIN_PLATFORMS,
      stores: [store],
      users: [staff],
      roles: [builtInRole('operator', 'operator')],
      assignments: [assign('op', 'sA', 'operator')],
      grants: [],
    });
    sessions = new StoreSessions({
      dataDir,
      guard: world.guard,
      switchesFor: world.switchesFor,
      onDownload: (outcome) => downloads.push(outcome),
      onError: (error) => errors.push(error),
      language: 'en',
      browser: {
        executablePath: executablePath!,
        headless: true,
        // Port mapped, so the catalogue's URLs carry none; http origins are secure contexts, so
        // the service-worker scenario has a worker API to try.
        extraArgs: [hostResolverRulesFlag(FAKE_SELLER_HOSTS, site.port), treatAsSecureOriginsFlag(FAKE_SELLER_HOSTS), publicAddressSpaceFlag(site.port)],
      },
    });
    session = await sessions.open(store, staff);
    // Generous: other suites may be driving Chromium on the same two cores.
    session.context.setDefaultTimeout(10_000);
    page = await session.focus();
  });

  after(async () => {
    await sessions?.closeAll();
    // Whatever the scenarios did, nothing under the blocked prefix reached the site, on any host.
    const leaked = site ? site.requests.filter((r) => r.servedPath.startsWith(BLOCKED_PREFIX)).map((r) => `${r.method} ${r.host}${r.path}`) : [];
    await site?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    assert.deepEqual(errors, [], 'no injected callback failed');
    assert.deepEqual(leaked, [], 'no request under the blocked prefix reached the site');
  });

  const blockedReasonIn = async (scope: Page | FrameLocator): Promise<string | null> => {
    const main = scope.locator('#shopwarden-blocked');
    await main.waitFor();
    return main.getAttribute('data-reason');
  };

  /** The guard's decisions for this scenario's URL, made since `from`. */
  const callsFor = (scenario: BypassScenario, from: number) => world.calls.slice(from).filter((c) => c.request.userId === staff.id && hasTag(c.request.url, scenario.id));

  async function run(scenario: BypassScenario): Promise<void> {
    const from = world.calls.length;
    const downloadsFrom = downloads.length;
    const trigger = scenario.trigger(env);
    const expectedReasons = scenario.guard.reasons as string[];
    let prevented = false;

    // 1. What the person sees.
    const { outcome } = scenario;
    if (scenario.click) {
      await page.goto(trigger);
      const [popup] = await Promise.all([session.context.waitForEvent('page'), page.click(scenario.click)]);
      try {
        assert.ok(expectedReasons.includes((await blockedReasonIn(popup)) ?? ''), `${scenario.id}: the pop-up shows the blocked page`);
        assert.ok(hasTag(popup.url(), scenario.id), `${scenario.id}: the pop-up is at the blocked URL, not ${popup.url()}`);
        assert.ok(!popup.isClosed(), 'the pop-up stays open on the blocked page');
      } finally {
        await popup.close();
      }
      assert.equal(outcome.kind, 'popup');
    } else {
      // Commit only: the outcome below is what is waited for (a download never "loads").
      await page.goto(trigger, { waitUntil: 'commit' }).catch(() => {});
      switch (outcome.kind) {
        case 'page':
          assert.ok(expectedReasons.includes((await blockedReasonIn(page)) ?? ''), `${scenario.id}: the tab shows the blocked page`);
          assert.ok(hasTag(page.url(), scenario.id), `${scenario.id}: the tab is at the blocked URL, not ${page.url()}`);
          break;
        case 'frame': {
          let frame = page.frameLocator(outcome.frames[0]!);
          for (const selector of outcome.frames.slice(1)) frame = frame.frameLocator(selector);
          assert.ok(expectedReasons.includes((await blockedReasonIn(frame)) ?? ''), `${scenario.id}: the frame shows the blocked page`);
          break;
        }
        case 'refused':
          await page.waitForSelector('#outcome[data-done]');
          assert.match((await page.textContent('#outcome')) ?? '', /^refused/, scenario.id);
          break;
        case 'silent':
          await eventually(() => callsFor(scenario, from).length > 0, `${scenario.id}: the request to reach the guard`);
          break;
        case 'download':
          // Chromium asks for the file as a navigation; refused there, no download starts.
          await eventually(() => callsFor(scenario, from).length > 0, `${scenario.id}: the download request to reach the guard`);
          await page.waitForSelector('h1:text("Download")');
          break;
        case 'service-worker': {
          await page.waitForSelector('#sw-status[data-state]');
          const state = await page.getAttribute('#sw-status', 'data-state');
          const text = (await page.textContent('#sw-status')) ?? '';
          prevented = state === 'refused';
          assert.ok(prevented || (state === 'active' && text.includes('fetch failed')), `${scenario.id}: the worker did not get the blocked JSON: ${state} ${text}`);
          if (prevented) {
            assert.ok(scenario.mayBePrevented, `${scenario.id} may not be prevented before the guard`);
            assert.equal(await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length)), 0, 'no worker was registered');
            assert.equal(site.received('sellercentral.amazon.com', '/orders-v3/sw.js').length, 0, 'the worker script was never fetched');
          }
          break;
        }
        default:
          assert.fail(`${scenario.id}: outcome ${outcome.kind} needs a click`);
      }
    }

    // 2. What the guard decided and logged: only blocks, each a log row, for the blocked URL.
    const calls = callsFor(scenario, from);
    if (prevented) {
      assert.deepEqual(calls.filter((c) => c.decision.allowed).map((c) => c.request.url), [], `${scenario.id}: nothing allowed`);
    } else {
      assert.ok(calls.length > 0, `${scenario.id}: the guard saw the request`);
      const seen = calls.map((c) => `${c.request.method} ${c.request.resourceType} ${c.decision.allowed ? 'allowed' : 'blocked'} ${c.decision.reason}`);
      assert.ok(
        calls.every((c) => !c.decision.allowed && expectedReasons.includes(c.decision.reason)),
        `${scenario.id}: every decision is a block for ${expectedReasons.join('/')}: ${seen.join('; ')}`,
      );
      assert.ok(calls.some((c) => (scenario.guard.resourceTypes as string[]).includes(c.request.resourceType)), `${scenario.id}: decided as ${scenario.guard.resourceTypes.join('/')}: ${seen.join('; ')}`);
      assert.ok(calls.some((c) => c.request.method === scenario.blocked.method), `${scenario.id}: the ${scenario.blocked.method} was decided: ${seen.join('; ')}`);
      const target = canonical(scenario.blocked.url(env));
      assert.ok(calls.some((c) => canonical(c.request.url) === target), `${scenario.id}: the guard decided ${target}, saw ${calls.map((c) => c.request.url).join(', ')}`);
      for (const c of calls) assert.equal(guardLogEvent(c.request, c.decision, Date.now())?.kind, 'block', `${scenario.id}: logged as a block`);
    }
    if (outcome.kind === 'download') {
      const files = downloads.slice(downloadsFrom).filter((d) => hasTag(d.url, scenario.id));
      assert.deepEqual(files.filter((d) => d.decision.allowed || d.savedTo !== null), [], `${scenario.id}: no download was allowed`);
      const dir = join(dataDir, 'downloads', store.id);
      assert.ok(!existsSync(dir) || readdirSync(dir).every((f) => f === '.incoming'), `${scenario.id}: nothing saved`);
    }

    // 3. What the site received: nothing of it.
    assert.deepEqual(
      site.requests.filter((r) => hasTag(r.path, scenario.id)).map((r) => `${r.method} ${r.host}${r.path}`),
      [],
      `${scenario.id}: the site never received the blocked request`,
    );
  }

  for (const scenario of BYPASS_CATALOGUE) {
    const name = `${scenario.id}: ${scenario.description}`;
    const gap = scenario.knownGap?.hosts.includes(HOST) ? scenario.knownGap.reason : null;
    if (gap) test(name, { todo: `known gap: ${gap}` });
    else test(name, { timeout: 20_000 }, () => run(scenario));
  }
});
