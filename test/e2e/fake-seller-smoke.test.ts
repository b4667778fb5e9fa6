// Smoke test of the e2e ground: the system Chromium, mapped to the fake seller site, sees every
// scenario page behave as it would with no guard — and the site records each request, which is
// what later guard tests assert against ("the blocked request never reached the server").
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import {
  CHROMIUM_FLAGS,
  USE_CHROMIUM_SANDBOX,
  findChromium,
  hostResolverRulesFlag,
  needsNoSandbox,
  treatAsSecureOriginsFlag,
} from '../../electron/browser-host/chromium';
import { FAKE_SELLER_HOSTS, type FakeSellerSite, startFakeSellerSite } from '../fixtures/fake-seller/index';
import { eventually } from './helpers/eventually';

const SC = 'sellercentral.amazon.com';
const executablePath = findChromium();
const skip = executablePath ? false : 'no Chrome/Chromium on this machine: run `bash scripts/setup-system.sh` or set SHOPWARDEN_CHROMIUM';

// The helper tests fake binaries with POSIX exec bits; the macOS one would find a real /Applications install first.
const posixOnly = process.platform === 'win32' ? 'fake binaries rely on POSIX exec bits' : false;

describe('chromium.ts helpers', { skip: posixOnly }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'sw-find-chromium-'));
  /** Writes a stub file at `path` (relative to the temp dir) with the given mode. */
  const fakeBinary = (path: string, mode = 0o755) => {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, '#!/bin/sh\n');
    chmodSync(full, mode);
    return full;
  };
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('findChromium: $SHOPWARDEN_CHROMIUM wins, and a wrong value is an error, not a fallback', () => {
    const explicit = fakeBinary('my-chrome');
    assert.equal(findChromium({ SHOPWARDEN_CHROMIUM: explicit, PATH: '' }, 'linux'), explicit);
    assert.throws(() => findChromium({ SHOPWARDEN_CHROMIUM: join(dir, 'missing'), PATH: '' }, 'linux'), /SHOPWARDEN_CHROMIUM=.*missing is not an executable file/);
    assert.throws(() => findChromium({ SHOPWARDEN_CHROMIUM: fakeBinary('not-executable', 0o644) }, 'linux'), /not an executable file/);
  });

  test('findChromium: PATH names are tried in order (chromium before google-chrome), non-executables skipped', () => {
    const pathDir = join(dir, 'bin');
    fakeBinary('bin/chromium', 0o644);
    const chrome = fakeBinary('bin/google-chrome');
    assert.equal(findChromium({ PATH: pathDir }, 'linux'), chrome);
    const chromiumBin = fakeBinary('bin/chromium-browser');
    assert.equal(findChromium({ PATH: `/nonexistent:${pathDir}` }, 'linux'), chromiumBin);
  });

  test('findChromium: with nothing on PATH, macOS install paths are looked up under $HOME too', { skip: process.platform === 'darwin' && 'a real /Applications install would be found first' }, () => {
    const home = join(dir, 'home');
    mkdirSync(home);
    assert.equal(findChromium({ PATH: '', HOME: home }, 'darwin'), null);
    const app = fakeBinary('home/Applications/Chromium.app/Contents/MacOS/Chromium');
    assert.equal(findChromium({ PATH: '', HOME: home }, 'darwin'), app);
  });

  test('host resolver rules map each host to 127.0.0.1 (optionally a port) and exclude localhost', () => {
    assert.equal(
      hostResolverRulesFlag(['sellercentral.amazon.com', 'trade.taobao.com']),
      '--host-resolver-rules=MAP sellercentral.amazon.com 127.0.0.1, MAP trade.taobao.com 127.0.0.1, EXCLUDE localhost',
    );
    assert.equal(hostResolverRulesFlag(['a.example'], 8080), '--host-resolver-rules=MAP a.example 127.0.0.1:8080, EXCLUDE localhost');
    assert.throws(() => hostResolverRulesFlag([]), /at least one host/);
    assert.throws(() => hostResolverRulesFlag(['http://a.example']), /not a lower-case host name/);
    assert.throws(() => hostResolverRulesFlag(['a.example, MAP * 1.2.3.4']), /not a lower-case host name/);
    assert.throws(() => hostResolverRulesFlag(['a.example'], 70000), /port must be an integer/);
  });

  test('secure-origin flag lists http origins, with the port only when it is not 80', () => {
    assert.equal(treatAsSecureOriginsFlag(['a.example', 'b.example'], 4321), '--unsafely-treat-insecure-origin-as-secure=http://a.example:4321,http://b.example:4321');
    assert.equal(treatAsSecureOriginsFlag(['a.example']), '--unsafely-treat-insecure-origin-as-secure=http://a.example');
    assert.equal(treatAsSecureOriginsFlag(['a.example'], 80), '--unsafely-treat-insecure-origin-as-secure=http://a.example');
  });

  test('the sandbox is dropped only as root or in CI, and CHROMIUM_FLAGS agrees with USE_CHROMIUM_SANDBOX', () => {
    assert.equal(needsNoSandbox({}, 0), true);
    assert.equal(needsNoSandbox({ CI: 'true' }, 1000), true);
    assert.equal(needsNoSandbox({}, 1000), false);
    assert.equal(needsNoSandbox({ CI: 'false' }, 1000), false);
    assert.equal(CHROMIUM_FLAGS.includes('--no-sandbox'), !USE_CHROMIUM_SANDBOX);
    for (const flag of ['--disable-gpu', '--disable-quic', '--disable-background-networking', '--no-first-run']) assert.ok(CHROMIUM_FLAGS.includes(flag), flag);
  });
});

describe('fake seller site in the system Chromium', () => {
  /** Each browser test is skipped, with the reason, when no Chromium is installed. */
  const e2e = (name: string, fn: () => Promise<void>) => test(name, { skip }, fn);
  let site: FakeSellerSite;
  let browser: Browser;
  const profiles: string[] = [];

  before(async () => {
    if (skip) return;
    site = await startFakeSellerSite();
    browser = await chromium.launch({
      executablePath: executablePath!,
      headless: true,
      chromiumSandbox: USE_CHROMIUM_SANDBOX,
      // URLs carry the site's port. Secure-origin flag on: the mapped hosts are plain http, and
      // service workers need a secure context.
      args: [...CHROMIUM_FLAGS, hostResolverRulesFlag(FAKE_SELLER_HOSTS), treatAsSecureOriginsFlag(FAKE_SELLER_HOSTS, site.port)],
    });
  });

  after(async () => {
    await browser?.close();
    await site?.close();
    for (const dir of profiles) rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh context per test, so cookies and service workers never leak between tests. */
  async function withPage(fn: (page: Page, context: BrowserContext) => Promise<void>): Promise<void> {
    const context = await browser.newContext();
    context.setDefaultTimeout(5000);
    try {
      await fn(await context.newPage(), context);
    } finally {
      await context.close();
    }
  }

  const viaRequests = (via: string) => site.requests.filter((r) => new URL(r.path, 'http://x').searchParams.get('via') === via);

  e2e('the orders page renders, fetches its JSON and loads the CDN stylesheet', () =>
    withPage(async (page) => {
      await page.goto(site.url(SC, '/orders-v3'));
      assert.equal(await page.textContent('h1'), 'Orders');
      assert.equal(await page.textContent('#session'), 'Not signed in');
      await page.waitForSelector('#orders-status:text("Loaded 3 orders")');
      assert.ok(site.received(SC, '/orders-v3/api/orders').some((r) => r.method === 'GET'));
      assert.ok(site.received('m.media-amazon.com', '/css/sc.css').length > 0);
    }));

  e2e('a persistent profile keeps the sign-in cookie across relaunches (port-mapped, port-less URLs)', async () => {
    // Set up like the product: one persistent profile per store, real-looking URLs (the port is in
    // the resolver rule), and no secure-origin flag — so this profile also shows that without it
    // a mapped http host is not a secure context.
    const userDataDir = mkdtempSync(join(tmpdir(), 'sw-profile-'));
    profiles.push(userDataDir);
    const launch = () =>
      chromium.launchPersistentContext(userDataDir, {
        executablePath: executablePath!,
        headless: true,
        chromiumSandbox: USE_CHROMIUM_SANDBOX,
        args: [...CHROMIUM_FLAGS, hostResolverRulesFlag(FAKE_SELLER_HOSTS, site.port)],
      });
    const home = `http://${SC}`;

    const first = await launch();
    try {
      first.setDefaultTimeout(5000);
      const page = first.pages()[0] ?? (await first.newPage());
      await page.goto(`${home}/ap/signin`);
      assert.equal(site.received(SC, '/ap/signin').at(-1)?.headers.host, SC, 'the URL carried no port');
      await page.fill('#username', 'alice@example.com');
      await page.fill('#password', 'secret');
      await Promise.all([page.waitForURL(`${home}/home`), page.click('#signin')]);
      assert.equal(await page.textContent('#session'), 'Signed in as alice@example.com');
      const cookie = (await first.cookies(home)).find((c) => c.name === 'sc_session');
      assert.ok(cookie && cookie.expires > Date.now() / 1000 + 3600, 'sc_session must be persistent (Max-Age), not a session cookie');
      assert.equal(cookie.domain, '.amazon.com');
    } finally {
      await first.close();
    }

    const second = await launch();
    try {
      second.setDefaultTimeout(5000);
      const page = second.pages()[0] ?? (await second.newPage());
      await page.goto(`${home}/orders-v3`);
      assert.equal(await page.textContent('#session'), 'Signed in as alice@example.com');
      assert.match(site.received(SC, '/orders-v3').at(-1)?.headers.cookie ?? '', /sc_session=/);

      await page.goto(`${home}/orders-v3/sw`);
      await page.waitForSelector('#sw-status[data-state]');
      assert.equal(await page.getAttribute('#sw-status', 'data-state'), 'unavailable');
    } finally {
      await second.close();
    }
    // A plain context (another profile) does not share the cookie.
    await withPage(async (page) => {
      await page.goto(site.url(SC, '/orders-v3'));
      assert.equal(await page.textContent('#session'), 'Not signed in');
    });
  });

  e2e('the listing edit form POSTs its fields and the site answers "saved"', () =>
    withPage(async (page) => {
      await page.goto(site.url(SC, '/abis/listing/edit?sku=MUG-RED-01'));
      await page.fill('#title', 'Blue coffee mug');
      await Promise.all([page.waitForURL(site.url(SC, '/abis/listing/save')), page.click('#save-listing')]);
      assert.equal(await page.textContent('#result'), 'saved');
      const post = site.received(SC, '/abis/listing/save').at(-1);
      assert.equal(post?.method, 'POST');
      assert.equal(new URLSearchParams(post.body).get('title'), 'Blue coffee mug');
    }));

  e2e('spellings a lenient server reads as the payments page are served it (the bypass catalogue relies on it)', () =>
    withPage(async (page) => {
      for (const path of ['//payments/dashboard', '/orders-v3/..;/payments/dashboard', '/orders-v3%2F..%2Fpayments/dashboard', '/%70ayments/%64ashboard']) {
        await page.goto(site.url(SC, path));
        assert.equal(await page.textContent('h1'), 'Payments', path);
        assert.ok(site.requests.some((r) => r.pathname === path.split('?')[0] && r.servedPath === '/payments/dashboard'), path);
      }
    }));

  e2e('302, 301 and 307 redirects from an orders page land on payments; 307 keeps the POST', () =>
    withPage(async (page) => {
      for (const [path, via] of [
        ['/orders-v3/go-payments', 'redirect-302'],
        ['/orders-v3/go-payments-301', 'redirect-301'],
        ['/orders-v3/go-payments-307', 'redirect-307'],
      ] as const) {
        await page.goto(site.url(SC, path));
        assert.equal(new URL(page.url()).pathname, '/payments/dashboard', path);
        assert.equal(await page.textContent('h1'), 'Payments');
        assert.ok(viaRequests(via).some((r) => r.method === 'GET' && r.pathname === '/payments/dashboard'), via);
      }
      await page.evaluate(() => fetch('/orders-v3/go-payments-307', { method: 'POST', body: 'amount=1' }));
      assert.ok(viaRequests('redirect-307').some((r) => r.method === 'POST' && r.body === 'amount=1'));

      await page.goto(site.url(SC, '/orders-v3/go-ads'));
      assert.equal(new URL(page.url()).host, `advertising.amazon.com:${site.port}`);
      assert.equal(await page.textContent('h1'), 'Campaigns');
    }));

  e2e('window.open, a target=_blank link and an automatic pop-up all open the payments page', () =>
    withPage(async (page, context) => {
      await page.goto(site.url(SC, '/orders-v3/popup'));
      for (const selector of ['#open-popup', '#blank-link']) {
        const [popup] = await Promise.all([context.waitForEvent('page'), page.click(selector)]);
        await popup.waitForLoadState();
        assert.equal(await popup.textContent('h1'), 'Payments', selector);
        await popup.close();
      }
      const [auto] = await Promise.all([context.waitForEvent('page'), page.goto(site.url(SC, '/orders-v3/popup?auto=1'))]);
      await auto.waitForLoadState();
      assert.equal(await auto.textContent('h1'), 'Payments');
      assert.ok(viaRequests('window-open').length >= 2);
      assert.equal(viaRequests('target-blank').length, 1);
    }));

  e2e('an iframe and a nested iframe load the payments page', () =>
    withPage(async (page) => {
      await page.goto(site.url(SC, '/orders-v3/frames'));
      assert.equal(await page.frameLocator('#blocked-frame').locator('h1').textContent(), 'Payments');
      assert.equal(await page.frameLocator('#inner-frame').frameLocator('#nested-blocked-frame').locator('h1').textContent(), 'Payments');
      assert.equal(viaRequests('iframe')[0]?.headers['sec-fetch-dest'], 'iframe');
      assert.equal(viaRequests('nested-iframe').length, 1);
    }));

  e2e('with the secure-origin flag, a service worker registers and fetches the payments API itself', () =>
    withPage(async (page) => {
      // The shared browser has the flag; the persistent-profile test above shows the case without.
      await page.goto(site.url(SC, '/orders-v3/sw'));
      await page.waitForSelector('#sw-status[data-state]');
      assert.equal(await page.getAttribute('#sw-status', 'data-state'), 'active', (await page.textContent('#sw-status')) ?? '');
      assert.match((await page.textContent('#sw-status')) ?? '', /^via service worker: status=200 type=basic body=\{"balance":1234\.56/);
      const fromWorker = viaRequests('service-worker');
      assert.equal(fromWorker.length, 1);
      assert.equal(fromWorker[0]?.pathname, '/payments/api/balance');
      // The page's own request was answered by the worker and never reached the site.
      assert.equal(site.received(SC, '/orders-v3/sw-proxy').length, 0);
    }));

  e2e('meta refresh navigates to payments and sendBeacon POSTs to the withdraw API', () =>
    withPage(async (page) => {
      await Promise.all([page.waitForURL(/\/payments\/dashboard\?via=meta-refresh$/), page.goto(site.url(SC, '/orders-v3/meta-refresh'))]);
      assert.equal(await page.textContent('h1'), 'Payments');

      await page.goto(site.url(SC, '/orders-v3/beacon'));
      assert.equal(await page.textContent('#beacon-status'), 'beacon queued: true');
      await eventually(() => viaRequests('beacon').length > 0, 'the beacon');
      const beacon = viaRequests('beacon')[0]!;
      assert.deepEqual([beacon.method, beacon.pathname, beacon.body], ['POST', '/payments/api/withdraw', 'amount=100']);
    }));

  e2e('the report link downloads a CSV attachment', () =>
    withPage(async (page) => {
      await page.goto(site.url(SC, '/reports'));
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-report')]);
      assert.equal(download.suggestedFilename(), 'report.csv');
      assert.match(readFileSync(await download.path(), 'utf8'), /^order-id,buyer,total\n111-1234567-1234567,/);
      assert.equal(site.received(SC, '/reports/download/report.csv').length, 1);
    }));

  e2e('the live-messages page talks to the echo WebSocket', () =>
    withPage(async (page) => {
      await page.goto(site.url(SC, '/messaging/live'));
      await page.waitForSelector('#ws-status:text("echo: hello")');
      assert.ok(site.received(SC, '/messaging/ws').some((r) => r.websocket));
    }));

  e2e('the heavy page loads its 200 same-site sub-resources', () =>
    withPage(async (page) => {
      const before = site.requests.length;
      await page.goto(site.url(SC, '/heavy'));
      await page.waitForSelector('#heavy-status[data-done="true"]');
      assert.match((await page.textContent('#heavy-status')) ?? '', /^loaded 200\/200 in \d+ ms$/);
      const sub = site.requests.slice(before).filter((r) => r.host === SC && r.pathname.startsWith('/heavy/'));
      assert.equal(sub.length, 200);
    }));

  e2e('Taobao-like pages show Chinese text, and the trade→Alipay redirect crosses hosts', () =>
    withPage(async (page) => {
      await page.goto(site.url('trade.taobao.com', '/trade/itemlist'));
      assert.equal(await page.textContent('h1'), '已卖出的宝贝 Sold items');
      await page.waitForSelector('#orders-status:text("已加载 2 个订单")');
      await page.goto(site.url('trade.taobao.com', '/trade/go-alipay'));
      assert.equal(new URL(page.url()).hostname, 'www.alipay.com');
      assert.equal(await page.textContent('h1'), '提现 Withdraw');
    }));

  e2e('a request the browser aborts is provably absent from the site log', () =>
    withPage(async (page) => {
      // The shape of every guard test to come: block in the browser, then assert on `requests`.
      await page.route((url) => url.pathname.startsWith('/payments/'), (route) => route.abort('blockedbyclient'));
      const before = site.requests.length;
      await page.goto(site.url(SC, '/orders-v3/frames'));
      await page.frameLocator('#inner-frame').locator('h1').waitFor();
      const seen = site.requests.slice(before).map((r) => r.pathname);
      assert.ok(seen.includes('/orders-v3/frames/inner'));
      assert.ok(!seen.some((p) => p.startsWith('/payments/')), seen.join(' '));
    }));
});
