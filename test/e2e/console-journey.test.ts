// The owner's and a staff member's journey THROUGH THE CONSOLE UI of the system-browser host:
// the real built renderer served by the host, driven in the machine's Chromium with real clicks
// and typing, found by accessible role and label (so the screens are usable with a screen
// reader too). The store window is the host's own Chromium profile on the fake seller site.
//
// first run → two stores → two staff → roles with expiry → staff signs in, sees only their
// store, opens it, tries a blocked page → owner finds that attempt in the log by filter →
// exports it as CSV (the file is parsed) → verifies the hash chain.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { startBrowserHost, type BrowserHost } from '../../electron/browser-host/app';
import { CHROMIUM_FLAGS, findChromium, hostResolverRulesFlag, USE_CHROMIUM_SANDBOX } from '../../electron/browser-host/chromium';
import { CSV_COLUMNS } from '../../electron/core/audit/export';
import { FAKE_SELLER_HOSTS, startFakeSellerSite, type FakeSellerSite } from '../fixtures/fake-seller/index';
import { eventually } from './helpers/eventually';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const executablePath = findChromium();
const skip = executablePath ? false : 'no Chrome/Chromium on this machine: run `bash scripts/setup-system.sh` or set SHOPWARDEN_CHROMIUM';

const OWNER = { username: 'boss', displayName: 'Lin Mei', password: 'owner-password-1' };
const CS = { username: 'CS_Li_US', displayName: 'Li Na', password: 'staff-password-1' };
const OPS = { username: 'OPS_Wang_DE', displayName: 'Wang Wei', password: 'staff-password-2' };
const MUGS = { name: 'Mugs US', site: 'United States', home: 'http://sellercentral.amazon.com/home' };
const LAMPS = { name: 'Lamps DE', site: 'Germany', home: 'http://sellercentral.amazon.de/home' };
const DAY = 86_400_000;
/** Built-in roles, as the English console names them (stored as "English / 中文"). */
const CUSTOMER_SERVICE = 'Customer service';
const OPERATOR = 'Operator';

/** `<input type="datetime-local">` value for a local time, to the minute. */
function localInput(ts: number): string {
  const d = new Date(ts);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** RFC 4180 CSV (quoted cells, doubled quotes, CRLF rows) → rows of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endCell();
    else if (c === '\r' && text[i + 1] === '\n') {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    endCell();
    rows.push(row);
  }
  return rows;
}

const visible = (locator: Locator) => locator.waitFor({ state: 'visible' });

describe('the console journey, through the UI of the system-browser host', { skip }, () => {
  let site: FakeSellerSite;
  let dataDir: string;
  let host: BrowserHost;
  let browser: Browser;
  let page: Page;

  const nav = (name: string) => page.getByRole('navigation', { name: 'Owner console' }).getByRole('button', { name, exact: true });
  const dialog = (name: string) => page.getByRole('dialog', { name });

  const signIn = async (who: { username: string; password: string }) => {
    await visible(page.getByRole('heading', { name: 'Sign in', level: 1 }));
    await page.getByLabel('User', { exact: true }).selectOption(who.username);
    await page.getByLabel('Password', { exact: true }).fill(who.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await visible(page.getByRole('button', { name: 'Sign out' }));
  };

  const signOut = async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await visible(page.getByRole('heading', { name: 'Sign in', level: 1 }));
  };

  before(async () => {
    site = await startFakeSellerSite();
    dataDir = mkdtempSync(join(tmpdir(), 'sw-console-journey-'));
    // The real console, built into this test's own folder (parallel runs never share dist/).
    const staticDir = join(dataDir, 'console-build');
    const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-renderer.mjs'), '--outdir', staticDir], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(built.status, 0, `renderer build failed: ${built.stderr}`);
    host = await startBrowserHost({
      dataDir,
      staticDir,
      language: 'en',
      core: { scrypt: { logN: 10, r: 8, p: 1 }, audit: { flushIntervalMs: 5 } },
      browser: { executablePath: executablePath!, headless: true, extraArgs: [hostResolverRulesFlag(FAKE_SELLER_HOSTS, site.port)] },
      onError: (error) => assert.fail(`host error: ${String(error)}`),
    });
    // The console window, as the host opens it: its own browser, nothing shared with stores.
    browser = await chromium.launch({ executablePath: executablePath!, chromiumSandbox: USE_CHROMIUM_SANDBOX, args: [...CHROMIUM_FLAGS, '--lang=en'] });
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`console page error: ${error.message}`));
    await page.goto(host.consoleUrl);
  });

  after(async () => {
    await browser?.close();
    await host?.close();
    await site?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('first run: the owner account is created, and the secret leaves the address bar', async () => {
    await visible(page.getByRole('heading', { name: 'Create the owner account' }));
    assert.ok(!page.url().includes('token='), 'the console token is removed from the address');
    await page.getByLabel('Owner user name').fill(OWNER.username);
    await page.getByLabel('Your name (optional)').fill(OWNER.displayName);
    await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
    await page.getByLabel('Repeat the password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Create owner account' }).click();
    await visible(page.getByRole('heading', { name: 'Stores', level: 1 }));
    assert.equal(await nav('Stores').getAttribute('aria-current'), 'page');
    await visible(page.getByRole('banner').getByText(OWNER.displayName));
  });

  test('two stores on two Seller Central sites', async () => {
    for (const store of [MUGS, LAMPS]) {
      await page.getByRole('button', { name: 'Add store' }).first().click();
      const form = dialog('Add a store');
      await visible(form);
      await form.getByLabel('Store name').fill(store.name);
      await form.getByLabel('Platform').selectOption({ label: 'Amazon Seller Central' });
      await form.getByLabel('Site').selectOption({ label: store.site });
      await form.getByLabel('Home page').fill(store.home);
      await form.getByRole('button', { name: 'Add store' }).click();
      await form.waitFor({ state: 'detached' });
      await visible(page.getByRole('table', { name: 'Stores' }).getByRole('rowheader', { name: store.name }));
    }
    assert.equal(await page.getByRole('table', { name: 'Stores' }).getByRole('rowheader').count(), 2);
  });

  test('two staff members', async () => {
    await nav('Staff').click();
    for (const person of [CS, OPS]) {
      await page.getByRole('button', { name: 'Add staff member' }).first().click();
      const form = dialog('Add a staff member');
      await form.getByLabel('User name').fill(person.username);
      await form.getByLabel('Display name').fill(person.displayName);
      await form.getByLabel('Initial password').fill(person.password);
      await form.getByRole('button', { name: 'Add staff member' }).click();
      await form.waitFor({ state: 'detached' });
    }
    const table = page.getByRole('table', { name: 'Staff' });
    await visible(table.getByRole('row', { name: new RegExp(OPS.username) }));
    assert.deepEqual(await table.locator('tbody th').allTextContents(), [CS.username, OPS.username]);
  });

  test('roles assigned per store, each with an end date', async () => {
    await nav('Assignments').click();
    const matrix = page.getByRole('table', { name: 'Staff and stores' });
    const assign = async (person: typeof CS, store: typeof MUGS, role: string, until: number) => {
      await matrix.getByRole('button', { name: `${person.username} on ${store.name}: no access` }).click();
      const form = dialog(`${person.displayName} on ${store.name}`);
      await form.getByLabel('Role', { exact: true }).selectOption({ label: role });
      await form.getByLabel('Valid until (optional)').fill(localInput(until));
      await form.getByRole('button', { name: 'Save' }).click();
      await form.waitFor({ state: 'detached' });
      await visible(matrix.getByRole('button', { name: `${person.username} on ${store.name}: ${role}, Until ${new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(until)}` }));
    };
    await assign(CS, MUGS, CUSTOMER_SERVICE, Date.now() + 10 * DAY);
    await assign(OPS, LAMPS, OPERATOR, Date.now() + 30 * DAY);
    await visible(matrix.getByRole('button', { name: `${CS.username} on ${LAMPS.name}: no access` }));
  });

  test('the staff member signs in and sees only their store, with the date access ends', async () => {
    await signOut();
    await signIn(CS);
    await visible(page.getByRole('heading', { name: 'Your stores', level: 1 }));
    const cards = page.getByRole('main').getByRole('listitem');
    await visible(cards.first());
    assert.equal(await cards.count(), 1, 'one store assigned');
    const card = page.getByRole('listitem', { name: MUGS.name });
    await visible(card.getByText(`Role: ${CUSTOMER_SERVICE}`));
    assert.match((await card.getByText(/^Access ends/).textContent()) ?? '', /^Access ends in (9|10) days$/);
    assert.equal(await page.getByText(LAMPS.name).count(), 0, 'the other store is not shown at all');
    assert.equal(await page.getByRole('navigation', { name: 'Owner console' }).count(), 0, 'no owner tools for staff');
  });

  test('the staff member opens the store and tries a page their role blocks: the blocked page is shown', async () => {
    await page.getByRole('listitem', { name: MUGS.name }).getByRole('button', { name: 'Open' }).click();
    const tab = page.getByRole('navigation', { name: 'Open stores' }).getByRole('button', { name: `${MUGS.name} · ${MUGS.site}`, exact: true });
    await visible(tab);
    await visible(page.getByRole('listitem', { name: MUGS.name }).getByRole('button', { name: 'Show' }));

    // The store's own window (the host's Chromium profile for this store), open for this person only.
    assert.equal(host.sessions.openStores().length, 1);
    const { storeId } = host.sessions.openStores()[0]!;
    const session = host.sessions.session(storeId);
    assert.ok(session, 'the store is open in its own session');
    session.context.setDefaultTimeout(10_000);
    const store = await session.focus();
    await store.waitForURL(MUGS.home);
    assert.equal(await store.textContent('h1'), 'Seller Central Home');
    await Promise.all([store.waitForURL(/\/payments\/dashboard$/), store.getByRole('link', { name: 'Payments' }).click()]);
    await visible(store.getByRole('heading', { name: 'Blocked by ShopWarden policy' }));
    assert.equal(await store.getAttribute('#shopwarden-blocked', 'data-module'), 'payments');
    const text = (await store.textContent('body')) ?? '';
    assert.ok(text.includes(MUGS.name), 'the blocked page names the store');
    assert.ok(text.includes('This attempt was recorded in the operation log.'));
    assert.equal(site.received('sellercentral.amazon.com', '/payments/dashboard').length, 0, 'the blocked page never reached the site');

    await page.getByRole('button', { name: `Close ${MUGS.name} · ${MUGS.site}` }).click();
    await visible(page.getByRole('navigation', { name: 'Open stores' }).getByText('No store open'));
    await eventually(() => host.sessions.session(storeId) === undefined, 'the store window to close');
  });

  test('the owner finds that attempt in the operation log by person, decision and URL text', async () => {
    await signOut();
    await signIn(OWNER);
    await nav('Operation log').click();
    await visible(page.getByRole('heading', { name: 'Operation log', level: 1 }));
    const filters = page.getByRole('form', { name: 'Log filters' });
    await filters.getByLabel('Person').selectOption({ label: `${CS.displayName} (${CS.username})` });
    await filters.getByLabel('Decision').selectOption({ label: 'Blocked' });
    await filters.getByLabel('URL contains').fill('/payments/');
    await filters.getByRole('button', { name: 'Apply filters' }).click();

    await visible(page.getByRole('status').filter({ hasText: /^Matching rows: 1 \(loaded: 1\)$/ }));
    const grid = page.getByRole('grid', { name: 'Log rows, newest first' });
    const rows = grid.getByRole('row').filter({ has: page.getByRole('gridcell') });
    await visible(rows.first());
    assert.equal(await rows.count(), 1);
    const cells = await rows.first().getByRole('gridcell').allTextContents();
    // The table is compact (display name, the page before its host, no scheme); the detail has it all.
    assert.deepEqual(cells.slice(1), ['Blocked', CS.displayName, MUGS.name, 'GET', '/payments/dashboard sellercentral.amazon.com', 'Payments', 'Blocked']);

    await rows.first().click();
    const detail = page.getByRole('complementary', { name: /^Row \d+$/ });
    await visible(detail);
    const facts = await detail.locator('dt').evaluateAll((terms) => Object.fromEntries(terms.map((dt) => [dt.textContent, dt.nextElementSibling?.textContent])));
    assert.equal(facts.Person, `${CS.displayName} (${CS.username})`);
    assert.equal(facts.URL, 'http://sellercentral.amazon.com/payments/dashboard');
    assert.equal(facts.Reason, 'The role has no access (None) to this module. module-none');
    assert.equal(facts.Rule, 'module:payments');
  });

  test('the filtered rows export as CSV, one line per row', async () => {
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const done = page.getByRole('status').filter({ hasText: /^Exported 1 rows to shopwarden-log-.*\.csv\./ });
    await visible(done);
    const path = (await done.locator('.mono').textContent())!.trim();
    assert.ok(path.startsWith(join(dataDir, 'exports')), `written to the app's exports folder: ${path}`);
    const text = readFileSync(path, 'utf8');
    assert.ok(text.startsWith('\uFEFF'), 'a BOM, so spreadsheets read Chinese text');
    const [header, ...rows] = parseCsv(text.slice(1));
    assert.deepEqual(header, [...CSV_COLUMNS]);
    assert.equal(rows.length, 1);
    const row = Object.fromEntries(header!.map((column, i) => [column, rows[0]![i]]));
    assert.equal(row.kind, 'block');
    assert.equal(row.actor, CS.username);
    assert.equal(row.store, MUGS.name);
    assert.equal(row.url, 'http://sellercentral.amazon.com/payments/dashboard');
    assert.equal(row.method, 'GET');
    assert.equal(row.module, 'payments');
    assert.equal(row.decision, 'blocked');
    assert.equal(row.reason, 'module-none');
    assert.match(row.hash!, /^[0-9a-f]{64}$/);
  });

  test('verifying the log says it is intact', async () => {
    await page.getByRole('button', { name: 'Verify log' }).click();
    const verdict = page.getByRole('status').filter({ hasText: /^The log is intact: \d+ rows checked/ });
    await visible(verdict);
    const checked = Number(/intact: (\d+) rows/.exec((await verdict.textContent()) ?? '')?.[1]);
    assert.ok(checked > 10, `every row checked (${checked})`);
  });
});
