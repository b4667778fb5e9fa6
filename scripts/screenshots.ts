// `npm run screenshots`: the console's main screens in English and Simplified Chinese, as the
// documentation shows them. Seeds a fresh data folder with realistic demo data (stores on two
// platforms, staff, a custom role, assignments with end dates, two weeks of operation log),
// drives the real built console in Chromium like a person would, and writes
// docs/screenshots/<lang>/<screen>.png (1280×800).
//
//   npm run screenshots                              # both languages → docs/screenshots/
//   npm run screenshots -- --lang zh-CN --out screenshots/run   # throwaway shots (git-ignored)
//
// Browser windows are real (headed) windows; without a display the script runs itself again
// under xvfb-run. The store pages come from the fake seller site (test/fixtures/fake-seller).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Locator, type Page } from 'playwright-core';
import { startBrowserHost, type BrowserHost } from '../electron/browser-host/app';
import { CHROMIUM_FLAGS, findChromium, hostResolverRulesFlag, USE_CHROMIUM_SANDBOX } from '../electron/browser-host/chromium';
import type { ConsoleSession } from '../electron/core/service/context';
import type { Channel, RequestOf, ResponseOf } from '../shared/ipc/contract';
import type { GuardRequest } from '../shared/model/decision';
import { en } from '../renderer/i18n/en';
import { zh } from '../renderer/i18n/zh';
import { FAKE_SELLER_HOSTS, startFakeSellerSite, type FakeSellerSite } from '../test/fixtures/fake-seller/index';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const VIEWPORT = { width: 1280, height: 800 };
const DAY = 86_400_000;
const HOUR = 3_600_000;
type Lang = 'en' | 'zh-CN';

const { values } = parseArgs({
  options: {
    lang: { type: 'string', multiple: true },
    out: { type: 'string', default: join(ROOT, 'docs', 'screenshots') },
  },
});
const say = (message: string) => console.log(`screenshots: ${message}`);

// A real display is needed for headed windows: without one, run again under a virtual one.
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  if (spawnSync('which', ['xvfb-run']).status !== 0) {
    console.error('screenshots: no display and no xvfb-run: run `npm run setup` (installs Xvfb)');
    process.exit(1);
  }
  say('no display: running under xvfb-run');
  const again = spawnSync('xvfb-run', ['-a', '--server-args=-screen 0 1600x1000x24', process.execPath, '--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  process.exit(again.status ?? 1);
}

// ---------------------------------------------------------------------------------------------
// Demo data, in each language's own words (the data is the seller's, not interface text).

interface Demo {
  owner: { username: string; displayName: string };
  stores: { key: string; name: string; platformId: string; siteId: string; homeUrl: string; group: string; colour: string; acceptLanguage?: string; proxy?: { scheme: 'http'; host: string; port: number } }[];
  staff: { key: string; username: string; displayName: string }[];
  customRole: { name: string; description: string; notes: [string, string, string] };
}

const OWNER_PASSWORD = 'demo owner pass 1';
const STAFF_PASSWORD = 'demo staff pass 1';

const DEMO: Record<Lang, Demo> = {
  en: {
    owner: { username: 'owner', displayName: 'Lin Mei' },
    stores: [
      // The store the demo staff member opens: plain http, served by the fake seller site.
      { key: 'us', name: 'Kitchenware US', platformId: 'amazon', siteId: 'us', homeUrl: 'http://sellercentral.amazon.com/home', group: 'Kitchen', colour: '#3b82f6' },
      { key: 'de', name: 'Kitchenware DE', platformId: 'amazon', siteId: 'de', homeUrl: 'https://sellercentral.amazon.de/home', group: 'Kitchen', colour: '#10b981', acceptLanguage: 'de-DE,de;q=0.9,en;q=0.5' },
      { key: 'uk', name: 'Lighting UK', platformId: 'amazon', siteId: 'uk', homeUrl: 'https://sellercentral.amazon.co.uk/home', group: 'Lighting', colour: '#f59e0b', proxy: { scheme: 'http', host: '10.20.0.12', port: 3128 } },
      { key: 'tb', name: 'Home goods Taobao', platformId: 'taobao', siteId: 'taobao', homeUrl: 'https://myseller.taobao.com/home.htm', group: 'China', colour: '#ef4444' },
      { key: 'tm', name: 'Home goods Tmall', platformId: 'taobao', siteId: 'tmall', homeUrl: 'https://myseller.taobao.com/home.htm', group: 'China', colour: '#8b5cf6' },
    ],
    staff: [
      { key: 'ops', username: 'OPS_Zhang_US', displayName: 'Zhang Wei' },
      { key: 'cs', username: 'CS_Li_US', displayName: 'Li Na' },
      { key: 'ads', username: 'ADS_Chen_EU', displayName: 'Chen Jing' },
      { key: 'fin', username: 'FIN_Zhao', displayName: 'Zhao Min' },
      { key: 'tmp', username: 'TMP_Sun_Design', displayName: 'Sun Hao' },
    ],
    customRole: {
      name: 'Listing editor (EU)',
      description: 'Edits listings and A+ content on the European stores; prices are changed by the operations manager only.',
      notes: ['Price changes go through the manager', 'Read the business reports', 'Never the brand registry settings'],
    },
  },
  'zh-CN': {
    owner: { username: 'owner', displayName: '林梅' },
    stores: [
      { key: 'us', name: '厨具旗舰店-美国', platformId: 'amazon', siteId: 'us', homeUrl: 'http://sellercentral.amazon.com/home', group: '厨具', colour: '#3b82f6' },
      { key: 'de', name: '厨具旗舰店-德国', platformId: 'amazon', siteId: 'de', homeUrl: 'https://sellercentral.amazon.de/home', group: '厨具', colour: '#10b981', acceptLanguage: 'de-DE,de;q=0.9,en;q=0.5' },
      { key: 'uk', name: '灯具专营-英国', platformId: 'amazon', siteId: 'uk', homeUrl: 'https://sellercentral.amazon.co.uk/home', group: '灯具', colour: '#f59e0b', proxy: { scheme: 'http', host: '10.20.0.12', port: 3128 } },
      { key: 'tb', name: '家居好物淘宝店', platformId: 'taobao', siteId: 'taobao', homeUrl: 'https://myseller.taobao.com/home.htm', group: '国内', colour: '#ef4444' },
      { key: 'tm', name: '家居天猫旗舰店', platformId: 'taobao', siteId: 'tmall', homeUrl: 'https://myseller.taobao.com/home.htm', group: '国内', colour: '#8b5cf6' },
    ],
    staff: [
      { key: 'ops', username: '运营_张伟_US', displayName: '张伟' },
      { key: 'cs', username: '客服_李娜_US', displayName: '李娜' },
      { key: 'ads', username: '广告_陈静_EU', displayName: '陈静' },
      { key: 'fin', username: '财务_赵敏', displayName: '赵敏' },
      { key: 'tmp', username: '外包_孙浩_设计', displayName: '孙浩' },
    ],
    customRole: {
      name: '欧洲站 Listing 编辑',
      description: '负责欧洲站的商品详情与 A+ 页面;价格只由运营主管修改。',
      notes: ['改价需经主管', '可查看业务报告', '不得进入品牌备案设置'],
    },
  },
};

/** A small deterministic random source, so each run writes the same history. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What a day's work in a store looks like to the guard: pages, changes and the odd blocked try. */
const AMAZON_WORK: Record<string, { pages: string[]; changes: string[]; tries: string[] }> = {
  ops: { pages: ['/home', '/orders-v3', '/inventory', '/pricing/health', '/cm/campaigns', '/reports/business'], changes: ['/abis/listing/save', '/pricing/api/update', '/inventory/api/restock'], tries: ['/payments/dashboard', '/gp/account-manager/home.html'] },
  cs: { pages: ['/home', '/orders-v3', '/messaging/inbox', '/returns/list', '/orders-v3/order/112-5555555-1234567'], changes: ['/messaging/api/reply', '/orders-v3/api/confirm-shipment'], tries: ['/payments/dashboard', '/inventory', '/pricing/health'] },
  ads: { pages: ['/home', '/cm/campaigns', '/promotions/manage', '/reports/business'], changes: ['/cm/api/campaigns', '/promotions/api/create'], tries: ['/orders-v3', '/payments/dashboard', '/abis/listing/edit?sku=MUG-RED-01'] },
  fin: { pages: ['/home', '/payments/dashboard', '/tax/overview', '/reports/statements'], changes: [], tries: ['/orders-v3/api/confirm-shipment', '/gp/account-manager/home.html'] },
};

interface Seeded {
  stores: Record<string, string>;
  staff: Record<string, string>;
  customRoleId: string;
}

/** The service as the console calls it, for one console session. */
function caller(host: BrowserHost, session: ConsoleSession) {
  return async <C extends Channel>(channel: C, payload: RequestOf<C>): Promise<ResponseOf<C>> => {
    const result = await host.core.invoke(session, channel, payload);
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message} ${JSON.stringify(result.error.issues)}`);
    return result.data as ResponseOf<C>;
  };
}

/**
 * Two weeks of a small team's work, written through the service and the guard exactly as the
 * app writes it, at past times (the core's clock is set back while seeding).
 */
async function seed(host: BrowserHost, demo: Demo, clock: { at: number }): Promise<Seeded> {
  const now = Date.now();
  const owner = caller(host, host.core.newSession());
  await owner('auth:setup-owner', { username: demo.owner.username, displayName: demo.owner.displayName, password: OWNER_PASSWORD });
  const stores: Record<string, string> = {};
  for (const s of demo.stores) {
    const { key, ...input } = s;
    stores[key] = (await owner('stores:create', { ...input, acceptLanguage: input.acceptLanguage ?? null, proxy: input.proxy ?? null })).id;
  }
  const staff: Record<string, string> = {};
  for (const u of demo.staff) staff[u.key] = (await owner('staff:create', { username: u.username, displayName: u.displayName, password: STAFF_PASSWORD })).id;

  const roles = await owner('roles:list', {});
  const role = (template: string) => roles.find((r) => r.template === template)!;
  const operator = role('operator');
  const custom = await owner('roles:create', {
    name: demo.customRole.name,
    description: demo.customRole.description,
    template: null,
    levels: { ...operator.levels, pricing: 'view', advertising: 'none', promotions: 'view', orders: 'view' },
    otherLevel: 'view',
    rules: [
      { id: 'no-price-changes', action: 'block', filter: '{seller}/pricing/', methods: ['POST', 'PUT', 'PATCH'], note: demo.customRole.notes[0] },
      { id: 'business-reports', action: 'allow', filter: '{seller}/business-reports', note: demo.customRole.notes[1] },
      { id: 'brand-registry', action: 'block', filter: '{seller}/brand-registry', note: demo.customRole.notes[2] },
    ],
    stepUp: ['{seller}/abis/listing/delete'],
    switches: { downloads: true, uploads: true, devtools: false, printing: false },
    defaultValidityDays: 90,
  });

  const assign = (who: string, where: string, roleId: string, untilDays: number | null, scope: Record<string, string[]> = {}) =>
    owner('assignments:upsert', { staffId: staff[who]!, storeId: stores[where]!, roleId, validUntil: untilDays === null ? null : now + untilDays * DAY + 2 * HOUR, scope });
  await assign('ops', 'us', operator.id, null);
  await assign('ops', 'de', operator.id, 45);
  await assign('cs', 'us', role('customer-service').id, 12);
  await assign('cs', 'uk', role('customer-service').id, 2);
  await assign('ads', 'de', custom.id, 80);
  await assign('ads', 'uk', role('ads-specialist').id, null);
  await assign('fin', 'us', role('finance').id, null);
  await assign('fin', 'de', role('finance').id, null);
  await assign('fin', 'tb', role('finance').id, null);
  await assign('tmp', 'tb', role('temporary').id, 20, { item_id: ['652113390871', '652113390872'] });
  await assign('tmp', 'tm', role('temporary').id, -1);
  await assign('ops', 'tm', operator.id, null);

  // The log: each working day, each person signs in and works in their stores.
  const rnd = random(20240611);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const hostOf: Record<string, string> = { us: 'sellercentral.amazon.com', de: 'sellercentral.amazon.de', uk: 'sellercentral.amazon.co.uk' };
  const work: [string, string][] = [['ops', 'us'], ['ops', 'de'], ['cs', 'us'], ['cs', 'uk'], ['ads', 'de'], ['ads', 'uk'], ['fin', 'us'], ['fin', 'de']];
  const day0 = new Date(now - 13 * DAY).setHours(0, 0, 0, 0);
  // Up to yesterday: the core's clock must never pass the real time (it would see a rollback).
  for (let d = 0; d < 13; d++) {
    const start = day0 + d * DAY;
    const weekend = [0, 6].includes(new Date(start).getDay());
    for (const [who, where] of work) {
      if (weekend && rnd() < 0.7) continue;
      clock.at = Math.max(clock.at, start + Math.floor((8.5 + rnd() * 2) * HOUR));
      const u = demo.staff.find((s) => s.key === who)!;
      await caller(host, host.core.newSession())('auth:login', { username: u.username, password: STAFF_PASSWORD });
      const base = `https://${hostOf[where]}`;
      const plan = AMAZON_WORK[who]!;
      const steps = 6 + Math.floor(rnd() * 10);
      for (let i = 0; i < steps; i++) {
        clock.at += Math.floor(rnd() * 9 * 60_000) + 20_000;
        const roll = rnd();
        const path = roll < 0.62 ? pick(plan.pages) : roll < 0.86 && plan.changes.length > 0 ? pick(plan.changes) : pick(plan.tries);
        const mutating = plan.changes.includes(path) || path.includes('/api/');
        const request: GuardRequest = { storeId: stores[where]!, userId: staff[who]!, url: `${base}${path}`, method: mutating ? 'POST' : 'GET', resourceType: mutating ? 'xhr' : 'mainFrame', isMainFrame: !mutating };
        host.core.guard(request);
      }
    }
    // A busy afternoon: someone keeps trying the payments pages.
    if (d === 9) {
      for (let i = 0; i < 9; i++) {
        clock.at += 40_000;
        host.core.guard({ storeId: stores.uk!, userId: staff.cs!, url: `https://${hostOf.uk}/payments/dashboard`, method: 'GET', resourceType: 'mainFrame', isMainFrame: true });
      }
    }
  }
  // The Taobao contractor: an assigned item and one that is not.
  clock.at = Math.max(clock.at, now - 3 * HOUR);
  for (const itemId of ['652113390871', '652113390999']) {
    clock.at += 60_000;
    host.core.guard({ storeId: stores.tb!, userId: staff.tmp!, url: `https://item.upload.taobao.com/sell/publish.htm?itemId=${itemId}`, method: 'GET', resourceType: 'mainFrame', isMainFrame: true });
  }
  clock.at += 60_000;
  host.core.guard({ storeId: stores.tb!, userId: staff.tmp!, url: 'https://www.alipay.com/withdraw', method: 'GET', resourceType: 'mainFrame', isMainFrame: true });
  return { stores, staff, customRoleId: custom.id };
}

// ---------------------------------------------------------------------------------------------
// The screens.

/** The console's own texts, so the script finds controls by the names a person reads. */
const MESSAGES: Record<Lang, typeof en> = { en, 'zh-CN': zh };
const fill = (text: string, values: Record<string, string>) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');

async function shoot(lang: Lang, staticDir: string, site: FakeSellerSite, outDir: string): Promise<void> {
  const demo = DEMO[lang];
  const m = MESSAGES[lang];
  const dataDir = mkdtempSync(join(tmpdir(), `sw-screenshots-${lang}-`));
  const dir = join(outDir, lang);
  mkdirSync(dir, { recursive: true });
  // The core's clock: set back while the history is written, then the real time again.
  const clock = { at: Date.now() - 14 * DAY, live: false };
  const executablePath = findChromium()!;
  const host = await startBrowserHost({
    dataDir,
    staticDir,
    language: lang,
    core: { clock: () => (clock.live ? Date.now() : clock.at), scrypt: { logN: 10, r: 8, p: 1 } },
    browser: { executablePath, headless: false, extraArgs: [hostResolverRulesFlag(FAKE_SELLER_HOSTS, site.port)] },
  });
  const browser = await chromium.launch({
    executablePath,
    headless: false,
    chromiumSandbox: USE_CHROMIUM_SANDBOX,
    args: [...CHROMIUM_FLAGS, `--lang=${lang}`, `--window-size=${VIEWPORT.width},${VIEWPORT.height + 100}`],
  });
  try {
    const context = await browser.newContext({ viewport: VIEWPORT, locale: lang, deviceScaleFactor: 1 });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const url = new URL(host.consoleUrl);
    url.searchParams.set('lang', lang === 'zh-CN' ? 'zh' : 'en');
    const snap = async (name: string, target: Page = page) => {
      // Nothing moving: no caret, no transitions, fonts loaded.
      await target.evaluate(() => document.fonts.ready);
      await target.screenshot({ path: join(dir, `${name}.png`), caret: 'hide', animations: 'disabled' });
      say(`${lang}/${name}.png`);
    };
    const visible = (locator: Locator) => locator.first().waitFor({ state: 'visible' });
    const nav = (key: keyof typeof m.nav) => page.getByRole('navigation', { name: m.nav.label }).getByRole('button', { name: m.nav[key], exact: true });

    // First run, before any data exists.
    await page.goto(url.toString());
    await visible(page.getByLabel(m.setup.username));
    await page.getByLabel(m.setup.username).fill(demo.owner.username);
    await page.getByLabel(m.setup.displayName).fill(demo.owner.displayName);
    await snap('first-run');

    const seeded = await seed(host, demo, clock);
    clock.live = true;

    // Sign-in, with the user picker.
    await page.reload();
    await visible(page.getByRole('heading', { name: m.login.title, level: 1 }));
    await page.getByLabel(m.login.user, { exact: true }).selectOption(demo.owner.username);
    await page.getByLabel(m.login.password, { exact: true }).fill(OWNER_PASSWORD);
    await snap('login');
    await page.getByRole('button', { name: m.login.submit, exact: true }).click();

    await visible(page.getByRole('table').getByRole('rowheader'));
    await snap('stores');
    await nav('staff').click();
    await visible(page.getByRole('table').getByRole('rowheader'));
    await snap('staff');
    await nav('roles').click();
    await visible(page.getByRole('table').getByRole('rowheader'));
    await snap('roles');
    await page.getByRole('button', { name: fill(m.common.editNamed, { name: demo.customRole.name }) }).click();
    await visible(page.getByRole('table').getByRole('radio'));
    await snap('role-editor');
    await page.getByRole('heading', { name: m.rules.title, level: 2 }).evaluate((h) => {
      h.closest('section')?.scrollIntoView({ block: 'start' });
      h.closest('main')?.scrollBy(0, -16);
    });
    await snap('role-rules');

    await nav('assignments').click();
    await visible(page.getByRole('table').getByRole('rowheader'));
    await snap('assignments');

    await nav('tester').click();
    const ads = demo.staff.find((s) => s.key === 'ads')!;
    await page.getByLabel(m.tester.url, { exact: true }).fill('https://sellercentral.amazon.de/pricing/api/update');
    await page.getByLabel(m.tester.method, { exact: true }).selectOption('POST');
    await page.getByLabel(m.tester.staff, { exact: true }).selectOption({ label: `${ads.displayName} (${ads.username})` });
    await page.getByLabel(m.tester.store, { exact: true }).selectOption({ label: demo.stores.find((s) => s.key === 'de')!.name });
    await page.getByRole('button', { name: m.tester.run, exact: true }).click();
    await visible(page.locator('.tester-result'));
    await snap('rule-tester');

    await nav('log').click();
    const grid = page.getByRole('grid');
    await visible(grid.getByRole('row').filter({ has: page.getByRole('gridcell') }));
    await snap('log');
    // A blocked row in the detail panel.
    await page.locator('.log-row-blocked').first().click();
    await visible(page.getByRole('complementary'));
    await snap('log-detail');
    await page.getByRole('complementary').getByRole('button', { name: m.common.close }).click();
    // An owner change, field by field (the newest one: the demo's last edit).
    await page.getByLabel(m.log.filter.kind, { exact: true }).selectOption('owner-change');
    await page.getByRole('button', { name: m.log.filter.apply }).click();
    await grid.getByRole('row').filter({ has: page.getByRole('gridcell', { name: m.kind['owner-change'] }) }).first().click();
    await visible(page.getByRole('complementary').locator('.change-table'));
    await snap('log-change');
    await page.getByRole('complementary').getByRole('button', { name: m.common.close }).click();
    await page.getByRole('button', { name: m.log.filter.reset }).click();
    await page.getByRole('button', { name: m.log.verify }).click();
    await visible(page.getByRole('status').filter({ hasText: new RegExp(`^${m.log.intact.split('{{')[0]}`) }));
    await snap('log-verified');

    // The audit page: alerts first, then the access review with its suggestions.
    await nav('audit').click();
    await visible(page.getByRole('heading', { name: m.audit.alerts.title, level: 2 }));
    await snap('audit-alerts');
    await page.getByRole('tab', { name: m.audit.review.title }).click();
    await visible(page.getByRole('table'));
    await snap('audit-review');

    // The staff member's side: only their stores, one open in its own window.
    await page.getByRole('button', { name: m.common.signOut }).click();
    const cs = demo.staff.find((s) => s.key === 'cs')!;
    await visible(page.getByRole('heading', { name: m.login.title, level: 1 }));
    await page.getByLabel(m.login.user, { exact: true }).selectOption(cs.username);
    await page.getByLabel(m.login.password, { exact: true }).fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: m.login.submit, exact: true }).click();
    const us = demo.stores.find((s) => s.key === 'us')!;
    await page.getByRole('listitem', { name: us.name }).getByRole('button', { name: m.workspace.open, exact: true }).click();
    await visible(page.getByRole('navigation').getByRole('button', { name: new RegExp(`^${us.name} · `) }));
    await page.bringToFront();
    await snap('workspace');

    const session = host.sessions.session(seeded.stores.us!);
    if (!session) throw new Error('the store did not open');
    const store = await session.focus();
    await store.setViewportSize(VIEWPORT);
    await store.waitForURL(us.homeUrl);
    await Promise.all([store.waitForURL(/\/payments\/dashboard$/), store.getByRole('link', { name: 'Payments' }).click()]);
    await visible(store.getByRole('heading', { name: lang === 'en' ? 'Blocked by ShopWarden policy' : '已被 ShopWarden 策略阻止' }));
    await snap('blocked-page', store);
  } finally {
    await browser.close();
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const langs = (values.lang ?? ['en', 'zh-CN']).map((l) => (l.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en') as Lang);
const outDir = resolve(values.out!);
if (!findChromium()) {
  console.error('screenshots: no Chrome/Chromium: run `npm run setup` or set SHOPWARDEN_CHROMIUM');
  process.exit(1);
}
const work = mkdtempSync(join(tmpdir(), 'sw-screenshots-build-'));
const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-renderer.mjs'), '--outdir', work], { cwd: ROOT, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
const site = await startFakeSellerSite();
try {
  for (const lang of langs) await shoot(lang, work, site, outDir);
} finally {
  await site.close();
  rmSync(work, { recursive: true, force: true });
}
say(`written to ${outDir}`);
