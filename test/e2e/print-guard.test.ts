// The printing switch in the system-browser host (print-guard.ts), in a real Chromium window:
// headless Chromium never opens a print preview, so this file starts a virtual display (Xvfb)
// of its own and opens the store windows on it. window.print() stands for every way to print
// (Ctrl+P and the page menu open the same preview; CDP key events do not reach the browser's
// shortcuts, so they cannot be shown here).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { findChromium, hostResolverRulesFlag } from '../../electron/browser-host/chromium';
import type { HostBlockRecord } from '../../electron/core/app/api';
import { StoreSessions } from '../../electron/browser-host/store-sessions';
import type { StoreSession } from '../../electron/browser-host/store-session';
import { BUILTIN_PLATFORMS } from '../../shared/catalog/builtin';
import { FAKE_SELLER_HOSTS, startFakeSellerSite, type FakeSellerSite } from '../fixtures/fake-seller/index';
import { PolicyWorld, assign, builtInRole, makeStore, makeUser } from './helpers/policy-world';
import { eventually } from './helpers/eventually';

const executablePath = findChromium();
const hasXvfb = spawnSync('which', ['Xvfb']).status === 0;
const skip = !executablePath
  ? 'no Chrome/Chromium on this machine: run `bash scripts/setup-system.sh` or set SHOPWARDEN_CHROMIUM'
  : !hasXvfb
    ? 'no Xvfb (printing needs a window on a display): run `bash scripts/setup-system.sh`'
    : false;

const store = makeStore('sP', { name: 'Print US' });
const owner = makeUser('owner', 'owner');
const manager = makeUser('manager'); // operations manager: printing on
const ads = makeUser('ads'); // ads specialist: printing off
const roles = [builtInRole('ops', 'operations-manager'), builtInRole('ads-role', 'ads-specialist')];

/** Starts Xvfb on the first free display number; resolves once it accepts clients. */
async function startDisplay(): Promise<{ display: string; stop: () => void }> {
  for (let n = 90; n < 140; n++) {
    if (existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`)) continue;
    const server: ChildProcess = spawn('Xvfb', [`:${n}`, '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    const ready = await Promise.race([eventually(() => existsSync(`/tmp/.X11-unix/X${n}`), 'Xvfb', 5000).then(() => true), exited.then(() => false)]);
    if (ready) return { display: `:${n}`, stop: () => server.kill() };
  }
  throw new Error('no free display number for Xvfb');
}

describe('printing in the system Chromium (a window on a virtual display)', { skip }, () => {
  let site: FakeSellerSite;
  let dataDir: string;
  let display: { display: string; stop: () => void };
  let sessions: StoreSessions;
  const hostBlocks: HostBlockRecord[] = [];
  const errors: unknown[] = [];
  const savedDisplay = process.env.DISPLAY;

  before(async () => {
    site = await startFakeSellerSite();
    dataDir = mkdtempSync(join(tmpdir(), 'sw-print-'));
    display = await startDisplay();
    process.env.DISPLAY = display.display; // Chromium inherits it
    const world = new PolicyWorld({ platforms: BUILTIN_PLATFORMS, stores: [store], users: [owner, manager, ads], roles, assignments: [assign('manager', 'sP', 'ops'), assign('ads', 'sP', 'ads-role')], grants: [] });
    assert.deepEqual([world.switchesFor('sP', 'manager').printing, world.switchesFor('sP', 'ads').printing], [true, false], 'the templates as this test reads them');
    sessions = new StoreSessions({
      dataDir,
      guard: world.guard,
      switchesFor: world.switchesFor,
      onHostBlocked: (block) => hostBlocks.push(block),
      onError: (error) => errors.push(error),
      language: 'en',
      browser: { executablePath: executablePath!, headless: false, extraArgs: [hostResolverRulesFlag(FAKE_SELLER_HOSTS, site.port)] },
    });
  });

  after(async () => {
    await sessions?.closeAll();
    await site?.close();
    display?.stop();
    if (savedDisplay === undefined) delete process.env.DISPLAY;
    else process.env.DISPLAY = savedDisplay;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    assert.deepEqual(errors, [], 'no injected callback failed');
  });

  /** The print previews open in the store's browser right now. */
  async function printPreviews(session: StoreSession): Promise<string[]> {
    const cdp = await session.context.browser()!.newBrowserCDPSession();
    try {
      const { targetInfos } = await cdp.send('Target.getTargets');
      return targetInfos.filter((t) => t.type === 'page' && t.url.startsWith('chrome://print')).map((t) => t.targetId);
    } finally {
      await cdp.detach();
    }
  }

  async function printFrom(user: typeof manager): Promise<{ session: StoreSession; page: Page }> {
    const session = await sessions.open(store, user);
    const page = await session.focus();
    await page.goto(`http://sellercentral.amazon.com/home`);
    // print() holds the page's script until the preview closes: started, not awaited.
    await page.evaluate(() => void setTimeout(() => window.print(), 0));
    return { session, page };
  }

  test('with the switch off the print preview is closed as it opens, and the attempt is reported', { timeout: 30_000 }, async (t) => {
    t.after(() => sessions.closeFor({ userId: 'ads' }, 'revoked'));
    const { session, page } = await printFrom(ads);
    await eventually(() => hostBlocks.some((b) => b.userId === 'ads'), 'the refused print', 10_000);
    assert.deepEqual(
      hostBlocks.map((b) => [b.what, b.storeId, b.userId, b.url]),
      [['print', 'sP', 'ads', 'chrome://print/']],
    );
    await eventually(async () => (await printPreviews(session)).length === 0, 'the preview closed', 5000);
    // The page goes on as before: its script runs again once print() returned.
    assert.equal(await page.evaluate(() => document.readyState), 'complete');
    // A second attempt is refused and reported again.
    await page.evaluate(() => void setTimeout(() => window.print(), 0));
    await eventually(() => hostBlocks.filter((b) => b.userId === 'ads').length === 2, 'the second refused print', 10_000);
    await eventually(async () => (await printPreviews(session)).length === 0, 'the second preview closed', 5000);
  });

  test('with the switch on the print preview opens and nothing is reported', { timeout: 30_000 }, async () => {
    const before = hostBlocks.length;
    const { session } = await printFrom(manager);
    await eventually(async () => (await printPreviews(session)).length === 1, 'the print preview', 10_000);
    // It stays open (the guard would have closed it within the same event turn).
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal((await printPreviews(session)).length, 1);
    assert.equal(hostBlocks.length, before, 'nothing refused for the manager');
  });
});
