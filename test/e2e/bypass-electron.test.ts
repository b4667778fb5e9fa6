// The bypass catalogue (test/e2e/bypass/catalogue.ts) run through the Electron host with
// Playwright's _electron: the real app in test mode, an owner-made store, a staff member with
// the built-in operator role, the fake seller site behind host-resolver rules. Each scenario is
// started in the staff member's store tab and asserted on what the tab shows and on what the
// site received; a last test signs the owner in and finds every scenario in the operation log,
// blocked and never allowed.
// Runs only where the Electron runtime is installed; elsewhere every test is reported as skipped
// with the reason (see electron-host.test.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElectronApplication, Page } from 'playwright-core';
import { startFakeSellerSite, type FakeSellerSite } from '../fixtures/fake-seller/index';
import { BLOCKED_PREFIX, BYPASS_CATALOGUE, hasTag, type BypassScenario, type CatalogueEnv } from './bypass/catalogue';
import { eventually, eventuallyValue } from './helpers/eventually';
import { buildElectronApp, consoleCall, inTab as inStoreTab, launchElectronApp, storeTabs as storeTabsOf } from './helpers/electron-app';
import { electronBinary } from './helpers/electron-binary';

const HOST = 'electron';
const binary = electronBinary();
const skip = binary ? false : 'the Electron runtime is not installed (node_modules/electron has no dist/ binary); bypass-browser-host.test.ts runs the same catalogue';
const STAFF = { username: 'op_olga', password: 'staff-password-1' };
const OWNER = { username: 'boss', password: 'owner-password-1' };

/** Tab-side check: the blocked page (the core's page, loaded by the host as a data: URL). */
const BLOCKED_REASON_JS = "document.getElementById('shopwarden-blocked')?.getAttribute('data-reason') ?? null";

describe('bypass catalogue: Electron host', { timeout: 300_000 }, () => {
  let site: FakeSellerSite;
  let app: ElectronApplication;
  let consolePage: Page;
  let userData: string;
  let env: CatalogueEnv;
  let storeId = '';
  let tabId = 0;
  /** Scenarios a host stopped before any request existed: nothing to find in the log. */
  const prevented = new Set<string>();
  const ran = new Set<string>();

  const call = <T = unknown>(channel: string, payload: unknown) => consoleCall<T>(consolePage, channel, payload);

  const storeTabs = () => storeTabsOf(app);

  const inTab = <T>(id: number, script: string) => inStoreTab<T>(app, id, script);

  /** The reasons shown by blocked pages in the tab's frames below the top one. */
  async function frameReasons(id: number): Promise<(string | null)[]> {
    return app.evaluate(
      async ({ webContents }, [tab, js]) => {
        const wc = webContents.fromId(tab as number);
        if (!wc) return [];
        const frames = wc.mainFrame.framesInSubtree.filter((f) => f !== wc.mainFrame);
        return Promise.all(frames.map((f) => f.executeJavaScript(js as string).catch(() => null) as Promise<string | null>));
      },
      [id, BLOCKED_REASON_JS] as const,
    );
  }

  async function load(id: number, url: string): Promise<void> {
    await app.evaluate(({ webContents }, [tab, u]) => void webContents.fromId(tab as number)?.loadURL(u as string).catch(() => undefined), [id, url] as const);
  }

  before(async () => {
    if (skip) return;
    buildElectronApp();
    site = await startFakeSellerSite();
    env = { port: site.port };
    userData = mkdtempSync(join(tmpdir(), 'shopwarden-bypass-electron-'));
    ({ app, consolePage } = await launchElectronApp(binary!, { userData, sitePort: site.port }));

    // The owner sets up a store and an operator; the operator opens the store.
    await call('auth:setup-owner', OWNER);
    storeId = (await call<{ id: string }>('stores:create', { name: 'US main', platformId: 'amazon', siteId: 'us', homeUrl: 'http://sellercentral.amazon.com/orders-v3' })).id;
    const staff = await call<{ id: string }>('staff:create', STAFF);
    const role = (await call<{ id: string; template: string | null }[]>('roles:list', {})).find((r) => r.template === 'operator');
    assert.ok(role, 'the operator role template');
    await call('assignments:upsert', { staffId: staff.id, storeId, roleId: role.id });
    await call('auth:logout', {});
    await call('auth:login', STAFF);
    await call('workspace:open-store', { storeId });
    tabId = (await eventuallyValue(async () => (await storeTabs()).find((t) => t.url.includes('/orders-v3')), 'the staff tab'))!.id;
  });

  after(async () => {
    await app?.close();
    const leaked = site ? site.requests.filter((r) => r.servedPath.startsWith(BLOCKED_PREFIX)).map((r) => `${r.method} ${r.host}${r.path}`) : [];
    await site?.close();
    if (userData) rmSync(userData, { recursive: true, force: true });
    assert.deepEqual(leaked, [], 'no request under the blocked prefix reached the site');
  });

  async function run(scenario: BypassScenario): Promise<void> {
    const reasons = scenario.guard.reasons as string[];
    const { outcome } = scenario;
    const tabsBefore = new Set((await storeTabs()).map((t) => t.id));
    await load(tabId, scenario.trigger(env));
    if (scenario.click) {
      await eventually(async () => (await inTab<boolean>(tabId, `!!document.querySelector(${JSON.stringify(scenario.click)})`)) === true, `${scenario.id}: the trigger page`);
      // window.open asks the browser process synchronously, so once the click has run the host
      // has either denied the pop-up or created its tab.
      await inTab(tabId, `document.querySelector(${JSON.stringify(scenario.click)}).click(); true`);
      const popup = (await storeTabs()).find((t) => !tabsBefore.has(t.id));
      if (popup) {
        const reason = await eventuallyValue(() => inTab<string | null>(popup.id, BLOCKED_REASON_JS), `${scenario.id}: the pop-up's blocked page`);
        assert.ok(reasons.includes(reason), `${scenario.id}: ${reason}`);
        await app.evaluate(({ webContents }, id) => webContents.fromId(id)?.close(), popup.id);
      }
    } else {
      switch (outcome.kind) {
        case 'page': {
          const reason = await eventuallyValue(() => inTab<string | null>(tabId, BLOCKED_REASON_JS).catch(() => null), `${scenario.id}: the blocked page`);
          assert.ok(reasons.includes(reason), `${scenario.id}: ${reason}`);
          break;
        }
        case 'frame':
          // The blocked page in the frame, or a frame whose load the host refused outright.
          await eventually(async () => (await frameReasons(tabId)).some((r) => r === null || reasons.includes(r)), `${scenario.id}: the frame blocked`);
          break;
        case 'refused': {
          const text = await eventuallyValue(
            () => inTab<string | null>(tabId, "document.querySelector('#outcome[data-done]')?.textContent ?? null").catch(() => null),
            `${scenario.id}: the page's outcome`,
          );
          // A worker the host refuses before it exists fails to start (shared workers, see the catalogue).
          if (text === 'worker failed' && scenario.mayBePrevented) prevented.add(scenario.id);
          else assert.match(text, /^refused/, scenario.id);
          break;
        }
        case 'service-worker': {
          const state = await eventuallyValue(
            () => inTab<string | null>(tabId, "(() => { const s = document.querySelector('#sw-status[data-state]'); return s ? s.dataset.state + ' ' + s.textContent : null; })()").catch(() => null),
            `${scenario.id}: the service worker's outcome`,
          );
          assert.ok(state.startsWith('refused') || (state.startsWith('active') && state.includes('fetch failed')), `${scenario.id}: ${state}`);
          if (state.startsWith('refused')) prevented.add(scenario.id);
          break;
        }
        case 'silent':
        case 'download':
          // Nothing on the page tells; the trigger page has loaded and made its attempt.
          await eventually(async () => (await inTab<string>(tabId, 'document.readyState').catch(() => '')) === 'complete', `${scenario.id}: the trigger page`);
          break;
        default:
          assert.fail(`${scenario.id}: outcome ${outcome.kind} needs a click`);
      }
    }
    assert.deepEqual(
      site.requests.filter((r) => hasTag(r.path, scenario.id)).map((r) => `${r.method} ${r.host}${r.path}`),
      [],
      `${scenario.id}: the site never received the blocked request`,
    );
    ran.add(scenario.id);
  }

  for (const scenario of BYPASS_CATALOGUE) {
    const name = `${scenario.id}: ${scenario.description}`;
    const gap = scenario.knownGap?.hosts.includes(HOST) ? scenario.knownGap.reason : null;
    if (gap) test(name, { todo: `known gap: ${gap}` });
    else test(name, { skip, timeout: 30_000 }, () => run(scenario));
  }

  test('the owner finds every scenario in the operation log: blocked, never allowed', { skip, timeout: 60_000 }, async () => {
    await call('auth:logout', {});
    await call('auth:login', OWNER);
    const missing: string[] = [];
    for (const scenario of BYPASS_CATALOGUE) {
      if (!ran.has(scenario.id)) continue;
      const { rows } = await call<{ rows: { decision: string; reason: string | null; url: string | null }[] }>('log:query', {
        filter: { storeId, urlContains: `via=${scenario.id}` },
        limit: 200,
      });
      const mine = rows.filter((r) => r.url !== null && hasTag(r.url, scenario.id));
      assert.deepEqual(mine.filter((r) => r.decision !== 'blocked'), [], `${scenario.id}: nothing allowed`);
      if (!prevented.has(scenario.id) && mine.length === 0) missing.push(scenario.id);
    }
    assert.deepEqual(missing, [], 'every scenario the host did not prevent outright has a block row');
  });
});
