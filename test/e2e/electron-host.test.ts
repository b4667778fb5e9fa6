// End-to-end test of the Electron host: launches the real app with Playwright's Electron driver,
// sets up an owner, a store and a staff member through the console's preload bridge, and checks
// that the staff member's store tab cannot reach a page their role blocks — neither by a link,
// nor by the host loading it, nor by an XHR — and sees the localised blocked page instead.
// Runs only where the Electron runtime is installed (node_modules/electron/dist); elsewhere it is
// reported as skipped with the reason (this repository's CI machines cannot download it).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElectronApplication, Page } from 'playwright-core';
import type { Transport } from '../../shared/ipc/client';
import type { IpcResult } from '../../shared/ipc/result';
import { type FakeSellerSite, startFakeSellerSite } from '../fixtures/fake-seller/index';
import { buildElectronApp, consoleCall, inTab as inStoreTab, launchElectronApp, storeTabs as storeTabsOf } from './helpers/electron-app';
import { eventuallyValue } from './helpers/eventually';
import { REPO_ROOT, electronBinary } from './helpers/electron-binary';

const root = REPO_ROOT;
const SC = 'sellercentral.amazon.com';

const binary = electronBinary();
const skip = binary ? false : 'the Electron runtime is not installed (node_modules/electron has no dist/ binary); the system-browser host e2e tests cover the same scenarios';

describe('Electron host', { timeout: 180_000 }, () => {
  /** Each test is reported as skipped, with the reason, where the runtime is missing. */
  const e2e = (name: string, fn: () => Promise<void>) => test(name, { skip }, fn);
  let site: FakeSellerSite;
  let app: ElectronApplication;
  let consolePage: Page;
  let userData: string;

  before(async () => {
    if (skip) return;
    buildElectronApp();
    // The better-sqlite3 in node_modules is built for the Node running the tests; Electron's
    // embedded Node has another ABI. Say so plainly rather than failing inside the app.
    const sqlite = spawnSync(binary!, ['-e', "require('better-sqlite3')(':memory:').close()"], { cwd: root, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, encoding: 'utf8' });
    assert.equal(
      sqlite.status,
      0,
      `better-sqlite3 does not load in Electron (${sqlite.stderr.trim().split('\n')[0]}): rebuild it for Electron, e.g. \`npx electron-builder install-app-deps\` (this replaces the Node build the other tests use)`,
    );

    site = await startFakeSellerSite();
    userData = mkdtempSync(join(tmpdir(), 'shopwarden-electron-e2e-'));
    ({ app, consolePage } = await launchElectronApp(binary!, { userData, sitePort: site.port }));
    // Collect what the host pushes to the console.
    await consolePage.evaluate(() => {
      const w = window as unknown as { shopwarden: Transport; swEvents: unknown[] };
      w.swEvents = [];
      w.shopwarden.onEvent((event) => w.swEvents.push(event));
    });
  });

  after(async () => {
    await app?.close();
    await site?.close();
    if (userData) rmSync(userData, { recursive: true, force: true });
  });

  /** A contract call from the console page, through the preload and the checked IPC channel. */
  const call = <T = unknown>(channel: string, payload: unknown) => consoleCall<T>(consolePage, channel, payload);

  async function consoleEvents(): Promise<{ type: string; storeId?: string; reason?: string }[]> {
    return consolePage.evaluate(() => (window as unknown as { swEvents: { type: string }[] }).swEvents);
  }

  const storeTabs = () => storeTabsOf(app);

  const inTab = <T>(id: number, script: string) => inStoreTab<T>(app, id, script);

  const blockedText = (id: number) => inTab<string | null>(id, "document.querySelector('[data-shopwarden-blocked]') ? document.querySelector('#reason').textContent : null");

  let storeId = '';

  e2e('the console gets the preload bridge and nothing else; a first owner is set up', async () => {
    const exposed = await consolePage.evaluate(() => ({
      keys: Object.keys((window as unknown as { shopwarden: object }).shopwarden).sort(),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    assert.deepEqual(exposed, { keys: ['invoke', 'onEvent'], require: 'undefined', process: 'undefined' });
    assert.equal((await call<{ needsSetup: boolean }>('app:status', {})).needsSetup, true);
    await call('auth:setup-owner', { username: 'boss', password: 'owner-password-1' });
    const bad = await consolePage.evaluate(() => (window as unknown as { shopwarden: Transport }).shopwarden.invoke('stores:drop-all', {}));
    assert.deepEqual([bad.ok, (bad as Extract<IpcResult<unknown>, { ok: false }>).error?.code], [false, 'unknown-channel']);
  });

  e2e('the owner opens a store: one tab in its own partition, on the fake seller site', async () => {
    const store = await call<{ id: string }>('stores:create', { name: 'US main', platformId: 'amazon', siteId: 'us', homeUrl: `http://${SC}/orders-v3` });
    storeId = store.id;
    await call('workspace:open-store', { storeId });
    const [tab] = await eventuallyValue(async () => {
      const tabs = await storeTabs();
      return tabs.length === 1 && tabs[0]!.url.includes('/orders-v3') ? tabs : null;
    }, 'the store tab');
    const partition = await app.evaluate(({ webContents }, id) => webContents.fromId(id)?.session.storagePath ?? null, tab!.id);
    assert.match(partition ?? '', new RegExp(`Partitions[\\\\/]store-${storeId.toLowerCase()}$`));
    await eventuallyValue(async () => (await inTab<string>(tab!.id, "document.querySelector('h1')?.textContent ?? ''")) === 'Orders', 'the orders page');
    assert.ok(site.received(SC, '/orders-v3').length > 0);
  });

  e2e("signing out closes the signed-out user's tabs at once", async () => {
    await call('auth:logout', {});
    await eventuallyValue(async () => (await storeTabs()).length === 0, 'the tabs to close');
  });

  e2e('staff: a blocked page is refused by link, by loadURL and by XHR, never reaches the site, and shows the blocked page', async () => {
    await call('auth:login', { username: 'boss', password: 'owner-password-1' });
    const staff = await call<{ id: string }>('staff:create', { username: 'cs_amy', password: 'staff-password-1' });
    const roles = await call<{ id: string; template: string | null }[]>('roles:list', {});
    const role = roles.find((r) => r.template === 'customer-service');
    assert.ok(role, 'the customer-service role template');
    await call('assignments:upsert', { staffId: staff.id, storeId, roleId: role.id });
    await call('auth:logout', {});
    await call('auth:login', { username: 'cs_amy', password: 'staff-password-1' });
    await call('workspace:open-store', { storeId });
    const tab = (await eventuallyValue(async () => (await storeTabs()).find((t) => t.url.includes('/orders-v3')), 'the staff tab'))!;
    await eventuallyValue(async () => (await inTab<string>(tab.id, "document.querySelector('h1')?.textContent ?? ''")) === 'Orders', 'the orders page');
    site.requests.length = 0;

    // A link the page follows (will-frame-navigate).
    await inTab(tab.id, "location.href = '/payments/dashboard?via=link'; true");
    const reason = await eventuallyValue(() => blockedText(tab.id), 'the blocked page after a link');
    assert.match(reason, /no access to this module/);

    // A navigation the page does not start (webRequest): the host loads the URL itself.
    await app.evaluate(({ webContents }, [id, url]) => void webContents.fromId(id as number)?.loadURL(url as string).catch(() => undefined), [tab.id, `http://${SC}/payments/dashboard?via=loadurl`] as const);
    await eventuallyValue(async () => (await storeTabs()).find((t) => t.id === tab.id && t.url.startsWith('data:text/html')), 'the blocked page after loadURL');

    // An XHR from an allowed page.
    await app.evaluate(({ webContents }, [id, url]) => void webContents.fromId(id as number)?.loadURL(url as string).catch(() => undefined), [tab.id, `http://${SC}/orders-v3`] as const);
    await eventuallyValue(async () => (await inTab<string>(tab.id, "document.querySelector('h1')?.textContent ?? ''")) === 'Orders', 'the orders page again');
    const xhr = await inTab<string>(tab.id, "fetch('/payments/api/balance?via=xhr').then((r) => 'status ' + r.status, () => 'refused')");
    assert.equal(xhr, 'refused');

    assert.deepEqual(site.received(SC).filter((r) => r.servedPath.startsWith('/payments/')).map((r) => r.path), [], 'no blocked request reached the site');

    // Closing the store from the console closes its tab and tells the console.
    await call('workspace:close-store', { storeId });
    await eventuallyValue(async () => (await storeTabs()).length === 0, 'the staff tab to close');
    const events = await eventuallyValue(async () => {
      const all = await consoleEvents();
      return all.some((e) => e.type === 'store-closed' && e.storeId === storeId) ? all : null;
    }, 'the store-closed event');
    assert.ok(events.every((e) => e.type !== 'store-closed' || e.reason === 'closed'), JSON.stringify(events));
  });

  e2e('the owner finds the blocks in the log, with module and reason', async () => {
    await call('auth:logout', {});
    await call('auth:login', { username: 'boss', password: 'owner-password-1' });
    const { rows } = await call<{ rows: { kind: string; url: string | null; module: string | null; reason: string | null }[] }>('log:query', { filter: { decision: 'blocked', storeId } });
    const payments = rows.filter((r) => r.kind === 'block' && r.url?.includes('/payments/'));
    assert.ok(payments.length >= 3, JSON.stringify(rows));
    assert.ok(payments.every((r) => r.module === 'payments' && r.reason === 'module-none'));
  });
});
