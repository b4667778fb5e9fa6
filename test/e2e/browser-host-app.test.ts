// The whole system-browser host against the real parts: the application core on a real SQLite
// file, the console API over loopback HTTP (as the console page calls it), store sessions in the
// machine's Chromium, and the fake seller site on 127.0.0.1. Each scenario is asserted on what
// the person sees AND on the operation log rows the owner reviews.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startBrowserHost, type BrowserHost } from '../../electron/browser-host/app';
import { findChromium, hostResolverRulesFlag } from '../../electron/browser-host/chromium';
import type { Channel, RequestOf, ResponseOf } from '../../shared/ipc/contract';
import { BRIDGE_TOKEN_HEADER, CONSOLE_ID_HEADER } from '../../shared/ipc/http-bridge';
import type { AppEvent } from '../../shared/ipc/events';
import type { AuditEvent } from '../../shared/model/audit';
import { FAKE_SELLER_HOSTS, startFakeSellerSite, type FakeSellerSite } from '../fixtures/fake-seller/index';
import { eventually } from './helpers/eventually';

const executablePath = findChromium();
const skip = executablePath ? false : 'no Chrome/Chromium on this machine: run `bash scripts/setup-system.sh` or set SHOPWARDEN_CHROMIUM';
const SC = 'sellercentral.amazon.com';
const sc = (path: string) => `http://${SC}${path}`;
const OWNER = { username: 'boss', password: 'owner-password-1' };
const STAFF_PASSWORD = 'staff-password-1';

/** A console as the page is: its own console id, the launch secret, the server's Origin. */
function consoleClient(host: BrowserHost, consoleId: string) {
  const origin = new URL(host.consoleUrl).origin;
  const token = new URL(host.consoleUrl).hash.replace('#token=', '');
  return async function call<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<ResponseOf<C>> {
    const response = await fetch(`${origin}/api/invoke/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin, [BRIDGE_TOKEN_HEADER]: token, [CONSOLE_ID_HEADER]: consoleId },
      body: JSON.stringify(payload),
    });
    const result = await response.json();
    if (!result.ok) throw Object.assign(new Error(`${channel}: ${result.error.code} ${result.error.message}`), { code: result.error.code });
    return result.data;
  };
}

/** The server-sent events of one console, to wait for the one a test expects. */
async function eventStream(host: BrowserHost, consoleId: string) {
  const origin = new URL(host.consoleUrl).origin;
  const token = new URL(host.consoleUrl).hash.replace('#token=', '');
  const controller = new AbortController();
  const response = await fetch(`${origin}/api/events?token=${token}&console=${consoleId}`, { signal: controller.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const seen: AppEvent[] = [];
  let buffer = '';
  const pump = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      const blocks = buffer.split('\n\n');
      buffer = blocks.pop()!;
      for (const block of blocks) for (const line of block.split('\n')) if (line.startsWith('data: ')) seen.push(JSON.parse(line.slice(6)) as AppEvent);
    }
  })();
  return {
    /** Events received and not yet consumed by until(). */
    seen,
    async until<T extends AppEvent>(match: (event: AppEvent) => event is T, what: string): Promise<T> {
      let found: T | undefined;
      await eventually(() => (found = seen.find(match)) !== undefined, what, 10_000);
      seen.splice(0, seen.indexOf(found!) + 1);
      return found!;
    },
    async close() {
      controller.abort();
      await pump;
    },
  };
}

describe('the system-browser host, end to end', { skip }, () => {
  let site: FakeSellerSite;
  let dataDir: string;
  let staticDir: string;
  let host: BrowserHost;
  let owner: ReturnType<typeof consoleClient>;
  const ids = { storeA: '', storeB: '', cs: '', op: '', csRole: '', opRole: '' };

  const start = async () => {
    host = await startBrowserHost({
      dataDir,
      staticDir,
      language: 'en',
      core: { scrypt: { logN: 10, r: 8, p: 1 }, audit: { flushIntervalMs: 5 } },
      browser: { executablePath: executablePath!, headless: true, extraArgs: [hostResolverRulesFlag(FAKE_SELLER_HOSTS, site.port)] },
      onError: (error) => assert.fail(`host error: ${String(error)}`),
    });
    owner = consoleClient(host, 'owner-console-1');
  };

  const signIn = async (username: string, consoleId: string) => {
    const call = consoleClient(host, consoleId);
    await call('auth:login', { username, password: username === OWNER.username ? OWNER.password : STAFF_PASSWORD });
    return call;
  };

  /** The open window of a store, with short timeouts. */
  const windowOf = async (storeId: string) => {
    const session = host.sessions.session(storeId);
    assert.ok(session, `store ${storeId} is open`);
    session.context.setDefaultTimeout(5000);
    return session.focus();
  };

  const logRows = async (filter: Parameters<typeof owner<'log:query'>>[1]['filter']): Promise<AuditEvent[]> => (await owner('log:query', { filter, limit: 200 })).rows;

  before(async () => {
    site = await startFakeSellerSite();
    dataDir = mkdtempSync(join(tmpdir(), 'sw-browser-host-'));
    staticDir = join(dataDir, 'console-build');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>ShopWarden</title>');
    await start();
    await owner('auth:setup-owner', OWNER);
    const home = sc('/home');
    ids.storeA = (await owner('stores:create', { name: 'Mugs US', platformId: 'amazon', siteId: 'us', homeUrl: home })).id;
    ids.storeB = (await owner('stores:create', { name: 'Lamps US', platformId: 'amazon', siteId: 'us', homeUrl: home })).id;
    ids.cs = (await owner('staff:create', { username: 'CS_Li_US', password: STAFF_PASSWORD })).id;
    ids.op = (await owner('staff:create', { username: 'OPS_Wang_US', password: STAFF_PASSWORD })).id;
    const roles = await owner('roles:list', {});
    ids.csRole = roles.find((r) => r.template === 'customer-service')!.id;
    ids.opRole = roles.find((r) => r.template === 'operator')!.id;
    await owner('assignments:upsert', { staffId: ids.cs, storeId: ids.storeA, roleId: ids.csRole });
    await owner('assignments:upsert', { staffId: ids.cs, storeId: ids.storeB, roleId: ids.csRole });
    await owner('assignments:upsert', { staffId: ids.op, storeId: ids.storeA, roleId: ids.opRole });
  });

  after(async () => {
    await host?.close();
    await site?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('(1) the owner signs in to store A once: store B does not share it, and it survives a restart', async () => {
    await owner('workspace:open-store', { storeId: ids.storeA });
    const a = await windowOf(ids.storeA);
    await a.goto(sc('/ap/signin'));
    await a.fill('#username', 'owner@example.com');
    await a.fill('#password', 'platform-secret');
    await Promise.all([a.waitForURL(sc('/home')), a.click('#signin')]);
    await owner('workspace:open-store', { storeId: ids.storeB });
    const b = await windowOf(ids.storeB);
    await b.goto(sc('/home'));
    assert.equal(await b.textContent('#session'), 'Not signed in');

    await host.close();
    await start();
    owner = await signIn(OWNER.username, 'owner-console-2');
    await owner('workspace:open-store', { storeId: ids.storeA });
    const again = await windowOf(ids.storeA);
    await again.goto(sc('/home'));
    assert.equal(await again.textContent('#session'), 'Signed in as owner@example.com');
    await owner('workspace:close-store', { storeId: ids.storeA });
    await owner('workspace:close-store', { storeId: ids.storeB });
    // The owner's sign-in POST went through the guard and is in the log as a mutation.
    const signInRows = await logRows({ actorId: (await owner('app:status', {})).session!.user.id, kinds: ['mutation'], urlContains: '/ap/signin' });
    assert.equal(signInRows.length, 1);
    assert.equal(signInRows[0]!.reason, 'owner');
  });

  test('(2) customer service: orders load, payments and user permissions are blocked — on screen and in the log', async () => {
    const cs = await signIn('CS_Li_US', 'cs-console-1');
    await cs('workspace:open-store', { storeId: ids.storeA });
    const page: Page = await windowOf(ids.storeA);
    await page.goto(sc('/orders-v3'));
    assert.equal(await page.textContent('h1'), 'Orders');
    assert.equal(await page.textContent('#session'), 'Signed in as owner@example.com', 'staff use the owner’s sign-in without its password');
    const blocked = await page.goto(sc('/payments/dashboard'));
    assert.equal(blocked?.status(), 403);
    assert.equal(await page.getAttribute('#shopwarden-blocked', 'data-module'), 'payments');
    await page.goto(sc('/orders-v3'));
    assert.equal(await page.evaluate(() => fetch('/gp/account-manager/invite', { method: 'POST', body: 'x' }).then(() => 'sent', () => 'failed')), 'failed');
    assert.equal(site.received(SC, '/payments/dashboard').length, 0);

    const blocks = await logRows({ actorId: ids.cs, decision: 'blocked' });
    const byUrl = (fragment: string) => blocks.find((r) => r.url?.includes(fragment));
    assert.deepEqual([byUrl('/payments/dashboard')?.module, byUrl('/payments/dashboard')?.detail.resourceType], ['payments', 'mainFrame']);
    assert.deepEqual([byUrl('/gp/account-manager/invite')?.method, byUrl('/gp/account-manager/invite')?.module], ['POST', 'user-permissions']);
    const navigations = await logRows({ actorId: ids.cs, kinds: ['navigation'], storeId: ids.storeA });
    assert.ok(navigations.some((r) => r.url === sc('/orders-v3')));
    assert.ok((await logRows({ kinds: ['store-open'], actorId: ids.cs })).length >= 1);
    await cs('workspace:close-store', { storeId: ids.storeA });
  });

  test('the blocked page speaks the language the console switched to', async () => {
    const cs = await signIn('CS_Li_US', 'cs-console-lang');
    try {
      await cs('app:language', { language: 'zh-CN' });
      await cs('workspace:open-store', { storeId: ids.storeA });
      const page = await windowOf(ids.storeA);
      await page.goto(sc('/payments/dashboard'));
      assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    } finally {
      await cs('app:language', { language: 'en' });
      await cs('workspace:close-store', { storeId: ids.storeA });
    }
  });

  test('typing or clicking in a store window reaches that person’s console as activity (its idle lock counts it); a page’s own events do not', async () => {
    const cs = await signIn('CS_Li_US', 'cs-console-activity');
    const events = await eventStream(host, 'cs-console-activity');
    const isActivity = (e: AppEvent) => e.type === 'store-activity';
    try {
      await cs('workspace:open-store', { storeId: ids.storeA });
      const page = await windowOf(ids.storeA);
      await page.goto(sc('/orders-v3'));
      // The page's own script making events is not the person at work.
      await page.evaluate(() => {
        window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
        document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(events.seen.filter(isActivity).length, 0, 'untrusted events count for nothing');
      await page.mouse.click(5, 5);
      await events.until(isActivity, 'the click as activity');
    } finally {
      await events.close();
      await cs('workspace:close-store', { storeId: ids.storeA });
    }
  });

  test('the console’s back / forward / reload / home drive the store window, and its address reaches that console', async () => {
    const cs = await signIn('CS_Li_US', 'cs-console-nav');
    const events = await eventStream(host, 'cs-console-nav');
    type Location = Extract<AppEvent, { type: 'store-location' }>;
    const at = (url: string, more: Partial<Location> = {}) => (e: AppEvent): e is Location =>
      e.type === 'store-location' && e.storeId === ids.storeA && e.url === url && Object.entries(more).every(([k, v]) => e[k as keyof Location] === v);
    try {
      await cs('workspace:open-store', { storeId: ids.storeA });
      const page = await windowOf(ids.storeA);
      const home = (await owner('stores:list', {})).find((store) => store.id === ids.storeA)!.homeUrl;
      await page.goto(sc('/orders-v3'));
      const orders = await events.until(at(sc('/orders-v3'), { canGoBack: true, canGoForward: false }), 'the orders page in the address bar');
      assert.equal(orders.title, 'Orders');
      await cs('workspace:navigate', { storeId: ids.storeA, action: 'back' });
      await events.until(at(page.url(), { canGoForward: true }), 'back');
      await cs('workspace:navigate', { storeId: ids.storeA, action: 'forward' });
      await events.until(at(sc('/orders-v3'), { canGoForward: false }), 'forward');
      await cs('workspace:navigate', { storeId: ids.storeA, action: 'reload' });
      await events.until(at(sc('/orders-v3')), 'reload');
      await cs('workspace:navigate', { storeId: ids.storeA, action: 'home' });
      await events.until(at(home, { canGoBack: true }), 'home');
      assert.equal(page.url(), home);
      // Only a store this person has open.
      await assert.rejects(cs('workspace:navigate', { storeId: ids.storeB, action: 'reload' }), (e: Error & { code?: string }) => e.code === 'not-found');
    } finally {
      await events.close();
      await cs('workspace:close-store', { storeId: ids.storeA });
    }
  });

  test('(3)+(4) the operator saves a listing (a logged mutation) and cannot open the other store', async () => {
    const op = await signIn('OPS_Wang_US', 'op-console-1');
    await assert.rejects(op('workspace:open-store', { storeId: ids.storeB }), (e: Error & { code?: string }) => e.code === 'forbidden');
    assert.equal(host.sessions.session(ids.storeB), undefined);
    await op('workspace:open-store', { storeId: ids.storeA });
    const page = await windowOf(ids.storeA);
    await page.goto(sc('/abis/listing/edit?sku=MUG-1'));
    await Promise.all([page.waitForURL(sc('/abis/listing/save')), page.click('#save-listing')]);
    assert.equal(await page.textContent('#result'), 'saved');
    const saves = await logRows({ actorId: ids.op, kinds: ['mutation'] });
    assert.deepEqual(saves.map((r) => [r.method, r.module, r.decision]), [['POST', 'listings', 'allowed']]);
    await op('workspace:close-store', { storeId: ids.storeA });

    // The log says when each store session ended, however it ended: closed from the console, or
    // by the person closing the store's window (the browser goes away). Each open has its close.
    await op('workspace:open-store', { storeId: ids.storeA });
    await (await windowOf(ids.storeA)).context().close();
    await eventually(() => host.sessions.session(ids.storeA) === undefined, 'the store to close with its window');
    const sessions = (await logRows({ actorId: ids.op, storeId: ids.storeA, kinds: ['store-open', 'store-close'] })).reverse();
    assert.deepEqual(
      sessions.map((r) => [r.kind, r.reason]),
      [
        ['store-open', null],
        ['store-close', 'closed'],
        ['store-open', null],
        ['store-close', 'closed'],
      ],
    );
  });

  test('(5) an assignment that ends while the store is open closes it at that moment', async () => {
    // Long enough for sign-in, launch and one page load on a loaded 2-core CI machine.
    const validUntil = Date.now() + 6000;
    await owner('assignments:upsert', { staffId: ids.op, storeId: ids.storeA, roleId: ids.opRole, validUntil });
    const op = await signIn('OPS_Wang_US', 'op-console-2');
    const events = await eventStream(host, 'op-console-2');
    await op('workspace:open-store', { storeId: ids.storeA });
    const page = await windowOf(ids.storeA);
    await page.goto(sc('/orders-v3'));
    assert.ok(host.sessions.session(ids.storeA) !== undefined, 'still open before the expiry');
    await eventually(() => host.sessions.session(ids.storeA) === undefined, 'the store to close at expiry', 12_000);
    assert.ok(Date.now() >= validUntil, 'closed at the expiry, not before');
    // The person's console is told once, with the reason (it shows "your access has ended").
    const isClosed = (e: AppEvent): e is Extract<AppEvent, { type: 'store-closed' }> => e.type === 'store-closed';
    assert.equal((await events.until(isClosed, 'the store-closed event')).reason, 'expired');
    await events.close();
    assert.equal(events.seen.filter(isClosed).length, 0, 'no second notice');
    const closed = await logRows({ kinds: ['session-closed'], actorId: ids.op });
    assert.equal(closed[0]?.reason, 'expired');
    await assert.rejects(op('workspace:open-store', { storeId: ids.storeA }), (e: Error & { code?: string }) => e.code === 'forbidden');
    assert.equal(host.core.guard({ storeId: ids.storeA, userId: ids.op, url: sc('/orders-v3'), method: 'GET', resourceType: 'mainFrame', isMainFrame: true }).reason, 'assignment-expired');
  });

  test('(6) disabling a staff member closes their store at once and signs them out', async () => {
    const cs = await signIn('CS_Li_US', 'cs-console-2');
    await cs('workspace:open-store', { storeId: ids.storeB });
    await windowOf(ids.storeB);
    await owner('staff:set-disabled', { id: ids.cs, disabled: true });
    await eventually(() => host.sessions.session(ids.storeB) === undefined, 'the store to close');
    await assert.rejects(cs('workspace:stores', {}), (e: Error & { code?: string }) => e.code === 'not-signed-in');
    const closed = await logRows({ kinds: ['session-closed'], actorId: ids.cs });
    assert.equal(closed[0]?.reason, 'disabled');
    await owner('staff:set-disabled', { id: ids.cs, disabled: false });
  });

  test('a store page cannot reach the console API, even knowing its address', async () => {
    const cs = await signIn('CS_Li_US', 'cs-console-3');
    await cs('workspace:open-store', { storeId: ids.storeA });
    const page = await windowOf(ids.storeA);
    await page.goto(sc('/orders-v3'));
    const origin = new URL(host.consoleUrl).origin;
    const answer = await page.evaluate(
      (url) => fetch(`${url}/api/invoke/app:status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then((r) => `status ${r.status}`, () => 'failed'),
      origin,
    );
    // Blocked by the guard (the console is not a store page) or refused by the server: never answered.
    assert.notEqual(answer, 'status 200');
    await cs('workspace:close-store', { storeId: ids.storeA });
  });

  test('lowering a role while its holder works: WebSockets and pages it no longer allows end at once, the rest stays', async () => {
    const chat = await owner('roles:create', { name: 'Live chat', levels: { orders: 'view', messages: 'edit' }, otherLevel: 'none' });
    const staff = await owner('staff:create', { username: 'CHAT_Zhao', password: STAFF_PASSWORD });
    await owner('assignments:upsert', { staffId: staff.id, storeId: ids.storeB, roleId: chat.id });
    const zhao = await signIn('CHAT_Zhao', 'chat-console-1');
    try {
      await zhao('workspace:open-store', { storeId: ids.storeB });
      const orders = await windowOf(ids.storeB);
      await orders.goto(sc('/orders-v3'));
      // An orders page with a live socket to the messages server, and the inbox in a second window.
      const socket = (path: string) =>
        orders.evaluate(
          (url) =>
            new Promise<string>((resolve) => {
              const ws = new WebSocket(url);
              const closes = ((window as unknown as { closes?: string[] }).closes ??= []);
              ws.onopen = () => resolve('open');
              ws.onclose = (e) => closes.push(`${url} ${e.code}`);
            }),
          `ws://${SC}${path}`,
        );
      assert.equal(await socket('/messaging/ws'), 'open');
      assert.equal(await socket('/orders-v3/ws'), 'open');
      const inbox = await orders.context().newPage();
      await inbox.goto(sc('/messaging/inbox'));
      assert.equal(await inbox.textContent('h1'), 'Buyer Messages');

      await owner('roles:update', { id: chat.id, patch: { levels: { orders: 'view' } } });
      await eventually(async () => (await inbox.getAttribute('#shopwarden-blocked', 'data-module').catch(() => null)) === 'messages', 'the inbox to turn into the blocked page', 10_000);
      const closes = () => orders.evaluate(() => (window as unknown as { closes?: string[] }).closes ?? []);
      await eventually(async () => (await closes()).length > 0, 'the messages socket to close', 10_000);
      assert.deepEqual(await closes(), [`ws://${SC}/messaging/ws 1008`], 'only the socket the role no longer allows');
      assert.equal(await orders.textContent('h1'), 'Orders', 'a page the role still allows stays as it was');
      assert.equal(host.sessions.session(ids.storeB)?.userId, staff.id, 'the store stays open');
      // The log says what was cut, when: a block of the socket and of the inbox's reload.
      await eventually(async () => (await logRows({ actorId: staff.id, decision: 'blocked' })).length >= 2, 'the blocks in the log');
      const blocks = await logRows({ actorId: staff.id, decision: 'blocked' });
      assert.deepEqual(
        blocks.map((r) => [r.url, r.detail.resourceType, r.reason]).sort(),
        [
          [sc('/messaging/inbox'), 'mainFrame', 'module-none'],
          [`ws://${SC}/messaging/ws`, 'websocket', 'module-none'],
        ],
      );
      // The next change leaves the blocked page be: it is not loaded (and logged) again.
      await owner('roles:update', { id: chat.id, patch: { description: 'orders only now' } });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal((await logRows({ actorId: staff.id, decision: 'blocked' })).length, 2);
    } finally {
      await zhao('workspace:close-store', { storeId: ids.storeB });
    }
  });

  test('the log verifies intact after all of it', async () => {
    const verdict = await owner('log:verify', {});
    assert.equal(verdict.intact, true);
  });
});
