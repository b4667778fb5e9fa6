import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { ConsoleServer } from '../../electron/browser-host/console-server';
import { BRIDGE_TOKEN_HEADER, CONSOLE_ID_HEADER } from '../../shared/ipc/http-bridge';
import { OWNER, STAFF_PASSWORD, staffWithRole, startCore, type Harness } from './app-core-helpers';

type Call = (channel: string, payload: unknown, headers?: Record<string, string>) => Promise<Response>;

async function withServer(
  run: (s: { server: ConsoleServer; origin: string; call: Call; h: Harness }) => Promise<void>,
  options: { setUp?: boolean; goneAfterMs?: number } = {},
) {
  const h = await startCore({ setUp: options.setUp ?? false });
  const staticDir = join(h.dir, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(h.dir, 'secret.txt'), 'do not serve');
  const server = new ConsoleServer({ core: h.core, staticDir, ...(options.goneAfterMs ? { goneAfterMs: options.goneAfterMs } : {}) });
  // The core's events reach the consoles through the server, as in the browser host's app.
  const record = h.host.emit.bind(h.host);
  h.host.emit = (event, userId) => {
    record(event, userId);
    server.emit(event, userId);
  };
  const origin = await server.listen();
  const call: Call = (channel, payload, headers = {}) =>
    fetch(`${origin}/api/invoke/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin, [BRIDGE_TOKEN_HEADER]: server.token, ...headers },
      body: JSON.stringify(payload),
    });
  try {
    await run({ server, origin, call, h });
  } finally {
    await server.close();
    await h.close();
  }
}

/** A raw request, for headers fetch() will not let us forge (Host). */
function rawGet(origin: string, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}${path}`, { headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

test('the console bridge answers the contract for the console page', async () => {
  await withServer(async ({ call, server, origin }) => {
    assert.match(server.consoleUrl(), new RegExp(`^${origin}/#token=[A-Za-z0-9_-]{43}$`));
    const status = await (await call('app:status', {})).json();
    assert.deepEqual([status.ok, status.data.needsSetup], [true, true]);
    const setup = await (await call('auth:setup-owner', OWNER)).json();
    assert.equal(setup.data.user.username, 'boss');
    // The session belongs to this console id; another console id is a different, signed-out console.
    assert.equal((await (await call('stores:list', {})).json()).ok, true);
    const other = await (await call('stores:list', {}, { [CONSOLE_ID_HEADER]: 'second-console-1' })).json();
    assert.equal(other.error.code, 'not-signed-in');
    const invalid = await (await call('stores:create', { name: '' })).json();
    assert.equal(invalid.error.code, 'invalid-payload');
    // A bundle is a file: its channel takes a body far over the ordinary limit (here 3 MiB of
    // garbage, read and refused by the core, not by the bridge).
    const bundle = await call('log-bundle:import', { text: 'x'.repeat(3 * 1024 * 1024) });
    assert.equal(bundle.status, 200);
    const answer = await bundle.json();
    assert.ok(!answer.ok || answer.data.ok === false, JSON.stringify(answer).slice(0, 300));
  });
});

test('requests without the secret, from another origin or another host name are refused', async () => {
  await withServer(async ({ call, origin, server }) => {
    assert.equal((await call('app:status', {}, { [BRIDGE_TOKEN_HEADER]: '' })).status, 401);
    // One character off (never the same character: a token may end in any of them).
    const lastChar = server.token.at(-1) === 'A' ? 'B' : 'A';
    assert.equal((await call('app:status', {}, { [BRIDGE_TOKEN_HEADER]: server.token.slice(0, -1) + lastChar })).status, 401);
    // A store page (another origin) that somehow learnt the secret is still refused.
    assert.equal((await call('app:status', {}, { origin: 'https://sellercentral.amazon.com' })).status, 403);
    assert.equal((await call('app:status', {}, { origin: 'null' })).status, 403);
    assert.equal((await call('app:status', {}, { 'content-type': 'text/plain' })).status, 415);
    const rebinding = await rawGet(origin, '/', { host: 'evil.example:80' });
    assert.equal(rebinding, 421);
    const big = await call('app:status', { pad: 'x'.repeat(2 * 1024 * 1024) });
    assert.equal(big.status, 413);
  });
});

test('static files: the console and nothing outside its folder', async () => {
  await withServer(async ({ origin }) => {
    const page = await fetch(`${origin}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.match(await page.text(), /console/);
    assert.equal((await fetch(`${origin}/roles/edit`)).status, 200);
    assert.equal(await rawGet(origin, '/../secret.txt', { host: origin.slice(7) }), 404);
    assert.equal(await rawGet(origin, '/%2e%2e/secret.txt', { host: origin.slice(7) }), 404);
    assert.equal((await fetch(`${origin}/missing.js`)).status, 404);
  });
});

test('events reach only the consoles of the user they are for', async () => {
  await withServer(async ({ call, origin, server }) => {
    await call('auth:setup-owner', OWNER);
    const controller = new AbortController();
    const stream = await fetch(`${origin}/api/events?token=${server.token}`, { signal: controller.signal });
    const reader = stream.body!.getReader();
    const ownerId = (await (await call('app:status', {})).json()).data.session.user.id;
    server.emit({ type: 'policy-changed' }, 'someone-else');
    server.emit({ type: 'store-closed', storeId: 's1', reason: 'expired' }, ownerId);
    let text = '';
    while (!text.includes('store-closed')) text += new TextDecoder().decode((await reader.read()).value);
    assert.ok(!text.includes('policy-changed'));
    controller.abort();
  });
});

/** A console page: its id, its calls, and its event stream while it is open. */
function consolePage(origin: string, server: ConsoleServer, call: Call, id: string) {
  const controller = new AbortController();
  let text = '';
  return {
    call: async (channel: string, payload: unknown) => (await call(channel, payload, { [CONSOLE_ID_HEADER]: id })).json(),
    async listen() {
      const stream = await fetch(`${origin}/api/events?token=${server.token}&console=${id}`, { signal: controller.signal });
      const reader = stream.body!.getReader();
      void (async () => {
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += new TextDecoder().decode(chunk.value);
      })().catch(() => {}); // aborted: the page left
    },
    async waitFor(needle: string) {
      for (let i = 0; i < 100 && !text.includes(needle); i++) await delay(20);
      return text;
    },
    /** The page is reloaded or closed: its stream ends and its id is never used again. */
    leave: () => controller.abort(),
  };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean): Promise<boolean> {
  for (let i = 0; i < 150 && !condition(); i++) await delay(20);
  return condition();
}

test('a staff member the owner disables is told so in their console', async () => {
  await withServer(
    async ({ origin, server, call, h }) => {
      const { staff, session } = await staffWithRole(h, 'operator');
      await h.call(session, 'auth:logout', {});
      const page = consolePage(origin, server, call, 'staff-console-1');
      assert.equal((await page.call('auth:login', { username: staff.username, password: STAFF_PASSWORD })).ok, true);
      await page.listen();
      await page.waitFor(': connected');
      await h.call(h.owner, 'staff:set-disabled', { id: staff.id, disabled: true });
      assert.match(await page.waitFor('signed-out'), /"type":"signed-out","reason":"disabled"/);
      page.leave();
    },
    { setUp: true },
  );
});

test('after the console page is reloaded, the next person to sign in does not find the previous one’s stores open', async () => {
  await withServer(
    async ({ origin, server, call, h }) => {
      const { store, staff, session } = await staffWithRole(h, 'operator');
      await h.call(session, 'auth:logout', {});
      const next = await h.call(h.owner, 'staff:create', { username: 'next_person', password: STAFF_PASSWORD });
      const before = consolePage(origin, server, call, 'page-load-1');
      await before.call('auth:login', { username: staff.username, password: STAFF_PASSWORD });
      await before.listen();
      await before.waitFor(': connected');
      assert.equal((await before.call('workspace:open-store', { storeId: store.id })).ok, true);
      assert.deepEqual(h.host.openStoreIds(staff.id), [store.id]);
      before.leave(); // F5: the page and its console id are gone
      await delay(200);
      const after = consolePage(origin, server, call, 'page-load-2');
      assert.equal((await after.call('auth:login', { username: next.username, password: STAFF_PASSWORD })).ok, true);
      assert.deepEqual(h.host.openStoreIds(staff.id), []);
      const logouts = (await h.call(h.owner, 'log:query', { filter: { actorId: staff.id, kinds: ['logout'] } })).rows;
      assert.deepEqual(logouts.map((r) => r.reason), ['console-closed', null]);
    },
    { setUp: true, goneAfterMs: 60_000 },
  );
});

test('a console whose page is gone for good signs its person out; one that reconnects stays', async () => {
  await withServer(
    async ({ origin, server, call, h }) => {
      const { store, staff, session } = await staffWithRole(h, 'operator');
      await h.call(session, 'auth:logout', {});
      const page = consolePage(origin, server, call, 'page-load-1');
      await page.call('auth:login', { username: staff.username, password: STAFF_PASSWORD });
      await page.listen();
      await page.waitFor(': connected');
      await page.call('workspace:open-store', { storeId: store.id });
      // A dropped stream that comes back at once (EventSource reconnecting) keeps the console.
      const blip = consolePage(origin, server, call, 'page-load-1');
      await blip.listen();
      await blip.waitFor(': connected');
      page.leave();
      await delay(400);
      assert.equal((await blip.call('workspace:stores', {})).ok, true);
      assert.deepEqual(h.host.openStoreIds(staff.id), [store.id]);
      blip.leave();
      assert.ok(await until(() => h.host.openStoreIds(staff.id).length === 0), 'stores closed once the page stayed away');
      assert.equal((await blip.call('workspace:stores', {})).error.code, 'not-signed-in');
    },
    { setUp: true, goneAfterMs: 150 },
  );
});

test('a console file that cannot be read (the build removed meanwhile) fails that response only; the server goes on', async () => {
  await withServer(async ({ call, origin, h }) => {
    rmSync(join(h.dir, 'static', 'index.html'));
    // A page path is answered with index.html, found gone only when read: that response is cut short.
    await assert.rejects(fetch(`${origin}/stores`).then((res) => res.text()));
    assert.equal((await (await call('app:status', {})).json()).ok, true);
  });
});
