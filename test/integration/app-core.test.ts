import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { guardRequest, OWNER, staffWithRole, startCore, STAFF_PASSWORD, type Harness } from './app-core-helpers';
import { DATABASE_FILE } from '../../electron/core/app/app-core';
import { LOG_DAILY_MAX_DAYS } from '../../shared/ipc/contract';
import { LATEST_TIMESTAMP } from '../../shared/model/common';
import { ServiceError } from '../../electron/core/service/errors';
import { STORE_ACTIVITY_EVERY_MS, type AppEvent } from '../../shared/ipc/events';
import { storePatch } from '../../renderer/features/stores/StoreForm';

test('first run: owner set-up once, the eight built-in roles seeded, status reflects the session', async () => {
  const h = await startCore({ setUp: false });
  try {
    const anon = h.core.newSession();
    assert.equal((await h.call(anon, 'app:status', {})).needsSetup, true);
    const weak = await h.fail(anon, 'auth:setup-owner', { username: 'boss', password: 'short' });
    assert.equal(weak.code, 'invalid-payload');
    assert.equal(weak.issues[0]?.path, 'password');
    const session = await h.call(anon, 'auth:setup-owner', OWNER);
    assert.equal(session.user.kind, 'owner');
    const again = await h.fail(h.core.newSession(), 'auth:setup-owner', { username: 'other', password: 'another-password-1' });
    assert.equal(again.code, 'already-set-up');
    const status = await h.call(anon, 'app:status', {});
    assert.equal(status.needsSetup, false);
    assert.equal(status.session?.user.username, 'boss');
    const roles = await h.call(anon, 'roles:list', {});
    assert.equal(roles.length, 8);
    assert.deepEqual(roles.map((r) => r.template).filter(Boolean).sort(), ['ads-specialist', 'customer-service', 'finance', 'operations-manager', 'operator', 'super-admin', 'temporary']);
  } finally {
    await h.close();
  }
});

test('access: signed-out callers and staff are refused owner channels; unknown channels are named', async () => {
  const h = await startCore();
  try {
    const { session } = await staffWithRole(h, 'operator');
    assert.equal((await h.fail(h.core.newSession(), 'stores:list', {})).code, 'not-signed-in');
    assert.equal((await h.fail(session, 'stores:list', {})).code, 'forbidden');
    assert.equal((await h.fail(session, 'log:query', {})).code, 'forbidden');
    assert.equal((await h.fail(session, 'roles:update', { id: 'x', patch: {} })).code, 'forbidden');
    const unknown = await h.fail(h.owner, 'stores:drop-all', {});
    assert.equal(unknown.code, 'unknown-channel');
    assert.match(unknown.message, /stores:drop-all/);
    assert.equal((await h.call(session, 'workspace:stores', {})).length, 1);
  } finally {
    await h.close();
  }
});

test('bad payloads get a clear error and change nothing', async () => {
  const h = await startCore();
  try {
    const logBefore = await h.call(h.owner, 'log:count', {});
    const bad = await h.fail(h.owner, 'stores:create', { name: '', platformId: 'amazon', siteId: 'us', homeUrl: 'javascript:alert(1)' });
    assert.equal(bad.code, 'invalid-payload');
    assert.deepEqual(bad.issues.map((i) => i.path).sort(), ['homeUrl', 'name']);
    const extra = await h.fail(h.owner, 'stores:create', { name: 'A', platformId: 'amazon', siteId: 'us', homeUrl: 'https://a.example/', admin: true });
    assert.equal(extra.code, 'invalid-payload');
    const site = await h.fail(h.owner, 'stores:create', { name: 'A', platformId: 'amazon', siteId: 'mars', homeUrl: 'https://a.example/' });
    assert.equal(site.issues[0]?.path, 'siteId');
    for (const payload of [null, 42, 'x', [], { id: 5 }]) assert.equal((await h.fail(h.owner, 'stores:delete', payload)).code, 'invalid-payload');
    assert.deepEqual(await h.call(h.owner, 'stores:list', {}), []);

    const role = (await h.call(h.owner, 'roles:list', {}))[0]!;
    const badRule = await h.fail(h.owner, 'roles:update', {
      id: role.id,
      patch: { rules: [{ id: 'ok', action: 'block', filter: '{seller}/payments' }, { id: 'bad', action: 'block', filter: '*.amazon.com' }] },
    });
    assert.equal(badRule.code, 'invalid-payload');
    assert.equal(badRule.issues[0]?.path, 'rules.1.filter');
    assert.deepEqual((await h.call(h.owner, 'roles:list', {})).find((r) => r.id === role.id), role);
    assert.equal((await h.call(h.owner, 'log:count', {})).count, logBefore.count);
  } finally {
    await h.close();
  }
});

test('a multi-store change that fails half-way writes nothing', async () => {
  const h = await startCore();
  try {
    const { staff, role, store } = await staffWithRole(h, 'operator');
    const other = await h.call(h.owner, 'stores:create', { name: 'DE', platformId: 'amazon', siteId: 'de', homeUrl: 'https://sellercentral.amazon.de/' });
    const failed = await h.fail(h.owner, 'assignments:apply-role', { staffId: staff.id, roleId: role.id, storeIds: [other.id, 'no-such-store'] });
    assert.equal(failed.code, 'not-found');
    assert.deepEqual((await h.call(h.owner, 'assignments:list', { staffId: staff.id })).map((a) => a.storeId), [store.id]);
    const taobao = await h.call(h.owner, 'stores:create', { name: 'TB', platformId: 'taobao', siteId: 'taobao', homeUrl: 'https://myseller.taobao.com/' });
    const cross = await h.fail(h.owner, 'assignments:copy-to-stores', { fromStoreId: store.id, toStoreIds: [other.id, taobao.id] });
    assert.equal(cross.code, 'invalid-payload');
    assert.equal((await h.call(h.owner, 'assignments:list', { storeId: other.id })).length, 0);
    const copied = await h.call(h.owner, 'assignments:copy-to-stores', { fromStoreId: store.id, toStoreIds: [other.id] });
    assert.deepEqual(copied.map((a) => [a.storeId, a.staffId, a.roleId]), [[other.id, staff.id, role.id]]);
  } finally {
    await h.close();
  }
});

test('an update patch changes the fields it names and no other (none is reset to its default)', async () => {
  const h = await startCore();
  try {
    const store = await h.call(h.owner, 'stores:create', {
      name: 'US',
      platformId: 'amazon',
      siteId: 'us',
      homeUrl: 'https://sellercentral.amazon.com/home',
      group: 'North America',
      colour: '#ff0000',
      proxy: { scheme: 'socks5', host: 'proxy.example', port: 1080 },
      userAgent: 'Mozilla/5.0 (store)',
      acceptLanguage: 'en-US',
    });
    const renamed = await h.call(h.owner, 'stores:update', { id: store.id, patch: { name: 'US main' } });
    assert.deepEqual({ ...renamed, updatedAt: 0 }, { ...store, name: 'US main', updatedAt: 0 });
    // The console's store form sends exactly such patches: only what was changed.
    const fromForm = storePatch(renamed, { ...renamed, colour: '#00ff00' });
    assert.deepEqual(fromForm, { colour: '#00ff00' });
    const recoloured = await h.call(h.owner, 'stores:update', { id: store.id, patch: fromForm });
    assert.deepEqual({ ...recoloured, updatedAt: 0 }, { ...renamed, colour: '#00ff00', updatedAt: 0 });

    const role = (await h.call(h.owner, 'roles:list', {})).find((r) => r.template === 'operator')!;
    const described = await h.call(h.owner, 'roles:update', { id: role.id, patch: { description: 'Day-to-day operations' } });
    assert.deepEqual({ ...described, updatedAt: 0 }, { ...role, description: 'Day-to-day operations', updatedAt: 0 });

    await h.call(h.owner, 'settings:update', { idleLockMinutes: 7 });
    assert.equal((await h.call(h.owner, 'settings:update', {})).idleLockMinutes, 7);
  } finally {
    await h.close();
  }
});

test('a store moved to another site closes where it is open; a new name or colour does not', async () => {
  const h = await startCore();
  try {
    const store = await h.call(h.owner, 'stores:create', { name: 'US', platformId: 'amazon', siteId: 'us', homeUrl: 'https://sellercentral.amazon.com/home' });
    await h.call(h.owner, 'workspace:open-store', { storeId: store.id });
    await h.call(h.owner, 'stores:update', { id: store.id, patch: { name: 'US main', colour: '#ef4444' } });
    assert.equal(h.host.closed.length, 0);
    await h.call(h.owner, 'stores:update', { id: store.id, patch: { siteId: 'uk', homeUrl: 'https://sellercentral.amazon.co.uk/home' } });
    assert.deepEqual(h.host.closed.map((c) => [c.storeId, c.reason]), [[store.id, 'closed']]);
  } finally {
    await h.close();
  }
});

test('the guard decides with the stored policy and logs blocks, navigations and mutations', async () => {
  const h = await startCore();
  try {
    const { store, staff } = await staffWithRole(h, 'customer-service');
    const orders = h.core.guard(guardRequest(store.id, staff.id, 'https://sellercentral.amazon.com/orders-v3'));
    assert.equal(orders.allowed, true);
    const payments = h.core.guard(guardRequest(store.id, staff.id, 'https://sellercentral.amazon.com/payments/dashboard'));
    assert.deepEqual([payments.allowed, payments.module], [false, 'payments']);
    const image = h.core.guard({ ...guardRequest(store.id, staff.id, 'https://m.media-amazon.com/images/x.png'), resourceType: 'image', isMainFrame: false });
    assert.equal(image.allowed, true);
    const rows = (await h.call(h.owner, 'log:query', { filter: { storeId: store.id } })).rows;
    const guarded = rows.filter((r) => r.kind === 'block' || r.kind === 'navigation');
    assert.deepEqual(guarded.map((r) => [r.kind, r.module]).sort(), [['block', 'payments'], ['navigation', 'orders']]);
    const blocks = await h.call(h.owner, 'log:query', { filter: { decision: 'blocked', actorId: staff.id } });
    assert.equal(blocks.rows[0]?.url, 'https://sellercentral.amazon.com/payments/dashboard');
    assert.equal(blocks.rows[0]?.detail.servedPath, undefined);
    // A path blocked as a lenient server reads it: the row says which path decided.
    assert.equal(h.core.guard(guardRequest(store.id, staff.id, 'https://sellercentral.amazon.com/orders-v3/..;/payments/dashboard')).servedPath, '/payments/dashboard');
    const served = await h.call(h.owner, 'log:query', { filter: { decision: 'blocked', actorId: staff.id, urlContains: '..;' } });
    assert.deepEqual([served.rows[0]?.module, served.rows[0]?.detail.servedPath, served.rows[0]?.detail.filter], ['payments', '/payments/dashboard', 'sellercentral.amazon.com/payments']);

    const test1 = await h.call(h.owner, 'policy:test', { url: 'https://sellercentral.amazon.com/payments/dashboard', method: 'GET', staffId: staff.id, storeId: store.id });
    assert.equal(test1.decision.allowed, false);
    assert.deepEqual([test1.decision.reason, test1.decision.module, test1.decision.level], ['module-none', 'payments', 'none']);
    const stranger = h.core.guard(guardRequest(store.id, 'nobody', 'https://sellercentral.amazon.com/orders-v3'));
    assert.equal(stranger.reason, 'no-assignment');
  } finally {
    await h.close();
  }
});

test('staff open only their stores; the owner opens any', async () => {
  const h = await startCore();
  try {
    const { store, staff, session } = await staffWithRole(h, 'operator');
    const other = await h.call(h.owner, 'stores:create', { name: 'JP', platformId: 'amazon', siteId: 'jp', homeUrl: 'https://sellercentral.amazon.co.jp/' });
    await h.call(session, 'workspace:open-store', { storeId: store.id });
    assert.equal((await h.fail(session, 'workspace:open-store', { storeId: other.id })).code, 'forbidden');
    await h.call(h.owner, 'workspace:open-store', { storeId: other.id });
    assert.equal(h.host.opened.length, 2);
    assert.ok(h.host.opened.includes(`${store.id}/${staff.id}`));
    const openFlags = async () => (await h.call(session, 'workspace:stores', {})).map((w) => [w.store.id, w.open]);
    assert.deepEqual(await openFlags(), [[store.id, true]], 'a reloaded console learns what is open');

    // The browser buttons reach the host for a store this person has open, with the store's home.
    await h.call(session, 'workspace:navigate', { storeId: store.id, action: 'home' });
    assert.deepEqual(h.host.navigated, [`${store.id}/${staff.id}:home:${store.homeUrl}`]);
    assert.equal((await h.fail(session, 'workspace:navigate', { storeId: other.id, action: 'back' })).code, 'not-found');
    assert.equal((await h.fail(session, 'workspace:navigate', { storeId: store.id, action: 'print' })).code, 'invalid-payload');
    await h.call(session, 'workspace:close-store', { storeId: store.id });
    assert.deepEqual(await openFlags(), [[store.id, false]]);
  } finally {
    await h.close();
  }
});

test('work in store windows reaches that person\'s consoles, at most every STORE_ACTIVITY_EVERY_MS', async () => {
  let now = Date.UTC(2026, 0, 5, 9);
  const h = await startCore({ clock: () => now });
  try {
    const activity = () => h.host.events.filter((e) => e.event.type === 'store-activity').map((e) => e.userId);
    h.core.storeActivity('u1');
    h.core.storeActivity('u1');
    h.core.storeActivity('u2');
    assert.deepEqual(activity(), ['u1', 'u2']);
    now += STORE_ACTIVITY_EVERY_MS - 1;
    h.core.storeActivity('u1');
    assert.deepEqual(activity(), ['u1', 'u2']);
    now += 1;
    h.core.storeActivity('u1');
    assert.deepEqual(activity(), ['u1', 'u2', 'u1']);
  } finally {
    await h.close();
  }
});

test('times past the year 9999 and log charts over 3660 days are refused up front; the latest time allowed works everywhere it is shown', async () => {
  const h = await startCore();
  try {
    const { staff, store, role } = await staffWithRole(h, 'operator');
    const far = await h.fail(h.owner, 'assignments:upsert', { staffId: staff.id, storeId: store.id, roleId: role.id, validUntil: 9e15 });
    assert.deepEqual([far.code, far.issues[0]?.path], ['invalid-payload', 'validUntil']);
    const day = 86_400_000;
    const chart = await h.fail(h.owner, 'log:daily', { from: 0, to: (LOG_DAILY_MAX_DAYS + 1) * day });
    assert.deepEqual([chart.code, chart.issues[0]?.path], ['invalid-payload', 'to']);
    const widest = await h.call(h.owner, 'log:daily', { from: day / 2, to: day / 2 + LOG_DAILY_MAX_DAYS * day, utcOffsetMinutes: 480 });
    assert.equal(widest.length, LOG_DAILY_MAX_DAYS + 1, 'a window not on local midnights touches one more day');

    await h.call(h.owner, 'assignments:upsert', { staffId: staff.id, storeId: store.id, roleId: role.id, validUntil: LATEST_TIMESTAMP });
    for (const format of ['csv', 'html'] as const) assert.ok((await h.call(h.owner, 'review:export', { format, timeZone: 'Asia/Shanghai' })).fileName.endsWith(format));
  } finally {
    await h.close();
  }
});

test('an open the host refuses is logged as tried and refused, with the reason', async () => {
  const h = await startCore();
  try {
    const { store, staff, session } = await staffWithRole(h, 'operator');
    h.host.openError = new ServiceError('conflict', `store ${store.id} is open for another user; close it there first`);
    assert.equal((await h.fail(session, 'workspace:open-store', { storeId: store.id })).code, 'conflict');
    const rows = (await h.call(h.owner, 'log:query', { filter: { actorId: staff.id, storeId: store.id } })).rows.reverse();
    assert.deepEqual(
      rows.map((r) => [r.kind, r.reason, r.detail.error]),
      [
        ['store-open', null, undefined],
        ['store-close', 'open-failed', `store ${store.id} is open for another user; close it there first`],
      ],
    );
  } finally {
    await h.close();
  }
});

test('an assignment that expires closes the store at that moment and blocks from then on', async () => {
  const h = await startCore();
  try {
    const { store, staff } = await staffWithRole(h, 'operator', { validUntil: Date.now() + 400 });
    const url = 'https://sellercentral.amazon.com/orders-v3';
    assert.equal(h.core.guard(guardRequest(store.id, staff.id, url)).allowed, true);
    const deadline = Date.now() + 3000;
    while (!h.host.closed.some((c) => c.reason === 'expired') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const closed = h.host.closed.find((c) => c.reason === 'expired');
    assert.deepEqual([closed?.storeId, closed?.userId], [store.id, staff.id]);
    assert.equal(h.core.guard(guardRequest(store.id, staff.id, url)).reason, 'assignment-expired');
    assert.ok(!h.host.events.some((e) => e.event.type === 'store-closed'), 'the host, which knows what was open, tells the console');
  } finally {
    await h.close();
  }
});

test('an assignment that starts later is offered from that moment, and the consoles are told to refresh', async () => {
  const h = await startCore();
  try {
    const { store, session } = await staffWithRole(h, 'operator', { validFrom: Date.now() + 400 });
    assert.deepEqual(await h.call(session, 'workspace:stores', {}), []);
    const changes = () => h.host.events.filter((e) => e.event.type === 'policy-changed').length;
    const before = changes();
    const deadline = Date.now() + 3000;
    while (changes() === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(changes(), before + 1, 'one policy-changed event at the start');
    assert.deepEqual((await h.call(session, 'workspace:stores', {})).map((w) => w.store.id), [store.id]);
  } finally {
    await h.close();
  }
});

test('a role whose sensitive switches change closes its open stores, to open again with them; other edits do not', async () => {
  const h = await startCore();
  try {
    const { store, staff, role, session } = await staffWithRole(h, 'operator');
    await h.call(session, 'workspace:open-store', { storeId: store.id });
    await h.call(h.owner, 'roles:update', { id: role.id, patch: { description: 'Day-to-day operations' } });
    assert.equal(h.host.closed.length, 0);
    await h.call(h.owner, 'roles:update', { id: role.id, patch: { switches: { ...role.switches, uploads: !role.switches.uploads } } });
    assert.deepEqual(h.host.closed.map((c) => [c.storeId, c.userId, c.reason]), [[store.id, staff.id, 'role-changed']]);
    assert.equal(h.core.switchesFor(store.id, staff.id).uploads, !role.switches.uploads);
  } finally {
    await h.close();
  }
});

test('every policy change asks the host to decide again what its stores keep open, with peek deciding unlogged', async () => {
  const h = await startCore();
  try {
    const { store, staff, role } = await staffWithRole(h, 'operator', { validFrom: Date.now() + 300 });
    const inbox = guardRequest(store.id, staff.id, 'https://sellercentral.amazon.com/messaging/inbox');
    let asked = h.host.policyChanges;
    // An owner edit, and a boundary reached on its own (the assignment starting).
    await h.call(h.owner, 'roles:update', { id: role.id, patch: { description: 'Live chat too' } });
    assert.equal(h.host.policyChanges, asked + 1);
    asked = h.host.policyChanges;
    const deadline = Date.now() + 3000;
    while (h.host.policyChanges === asked && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(h.host.policyChanges, asked + 1, 'asked again when the assignment started');
    assert.equal(h.core.peek(inbox).reason, 'module-edit');
    await h.call(h.owner, 'roles:update', { id: role.id, patch: { levels: { ...role.levels, messages: 'none' } } });
    assert.deepEqual([h.core.peek(inbox).allowed, h.core.peek(inbox).reason], [false, 'module-none']);
    const rows = await h.call(h.owner, 'log:query', { filter: { actorId: staff.id, kinds: ['block', 'navigation'] }, limit: 10 });
    assert.deepEqual(rows.rows, [], 'peek logs nothing');
  } finally {
    await h.close();
  }
});

test('copying assignments to another site translates the hosts a role names literally (a role of its own, made once); a role written with {seller} is shared', async () => {
  const h = await startCore();
  try {
    const us = await h.call(h.owner, 'stores:create', { name: 'US', platformId: 'amazon', siteId: 'us', homeUrl: 'https://sellercentral.amazon.com/home' });
    const de = await h.call(h.owner, 'stores:create', { name: 'DE', platformId: 'amazon', siteId: 'de', homeUrl: 'https://sellercentral.amazon.de/home' });
    const de2 = await h.call(h.owner, 'stores:create', { name: 'DE 2', platformId: 'amazon', siteId: 'de', homeUrl: 'https://sellercentral.amazon.de/home' });
    const anna = await h.call(h.owner, 'staff:create', { username: 'ops_anna', password: STAFF_PASSWORD });
    const ben = await h.call(h.owner, 'staff:create', { username: 'ops_ben', password: STAFF_PASSWORD });
    const roles = await h.call(h.owner, 'roles:list', {});
    const operator = roles.find((r) => r.template === 'operator')!;
    const literal = await h.call(h.owner, 'roles:update', { id: operator.id, patch: { rules: [...operator.rules, { id: 'no-bulk', action: 'block', filter: 'sellercentral.amazon.com/listing/upload' }] } });
    const portable = roles.find((r) => r.template === 'finance')!;
    await h.call(h.owner, 'assignments:upsert', { staffId: anna.id, storeId: us.id, roleId: literal.id });
    await h.call(h.owner, 'assignments:upsert', { staffId: ben.id, storeId: us.id, roleId: portable.id });

    const copied = await h.call(h.owner, 'assignments:copy-to-stores', { fromStoreId: us.id, toStoreIds: [de.id, de2.id] });
    const roleOf = (staffId: string, storeId: string) => copied.find((a) => a.staffId === staffId && a.storeId === storeId)!.roleId;
    assert.equal(roleOf(ben.id, de.id), portable.id, 'nothing to translate: the same role');
    const translated = (await h.call(h.owner, 'roles:list', {})).find((r) => r.id === roleOf(anna.id, de.id))!;
    assert.equal(translated.name, `${literal.name} · DE`);
    assert.equal(translated.rules.find((r) => r.id === 'no-bulk')?.filter, 'sellercentral.amazon.de/listing/upload');
    assert.equal(roleOf(anna.id, de2.id), translated.id, 'made once, reused for the second store');
    const decision = (url: string, storeId: string) => h.core.guard(guardRequest(storeId, anna.id, url, 'GET'));
    assert.deepEqual([decision('https://sellercentral.amazon.de/listing/upload', de.id).reason, decision('https://sellercentral.amazon.de/listing/upload', de.id).ruleId], ['rule-block', 'no-bulk']);
    assert.equal(decision('https://sellercentral.amazon.com/listing/upload', us.id).reason, 'rule-block');
    const creations = (await h.call(h.owner, 'log:query', { filter: { kinds: ['owner-change'] } })).rows.filter((r) => r.detail.entity === 'role' && r.detail.action === 'create');
    assert.equal(creations.length, 1);
  } finally {
    await h.close();
  }
});

/** The owner-change rows of the log, oldest first, as entity/action/id with the row's before. */
async function ownerChanges(h: Harness) {
  const rows = (await h.call(h.owner, 'log:query', { filter: { kinds: ['owner-change'] }, limit: 1000 })).rows.sort((a, b) => a.id - b.id);
  return rows.map((r) => r.detail as { entity: string; action: string; id: string; before: unknown; after: unknown });
}

/** Makes the database refuse a write, as a full disk or a crash in the middle of it would. */
function refuseWrites(h: Harness, trigger: string): () => void {
  const db = new Database(join(h.dir, DATABASE_FILE));
  db.exec(`CREATE TRIGGER refuse_write ${trigger} BEGIN SELECT RAISE(ABORT, 'injected write failure'); END`);
  return () => {
    db.exec('DROP TRIGGER refuse_write');
    db.close();
  };
}

test('a copy that fails for its second store logs nothing: the role made for the first store went with the rollback', async () => {
  const h = await startCore();
  try {
    const store = (name: string, siteId: string, host: string) => h.call(h.owner, 'stores:create', { name, platformId: 'amazon', siteId, homeUrl: `https://${host}/home` });
    const us = await store('US', 'us', 'sellercentral.amazon.com');
    const de = await store('DE', 'de', 'sellercentral.amazon.de');
    const uk = await store('UK', 'uk', 'sellercentral.amazon.co.uk');
    const staff = await h.call(h.owner, 'staff:create', { username: 'ops_anna', password: STAFF_PASSWORD });
    // At the 2048-character limit on .com: fits on .de, two characters too long on .co.uk.
    const prefix = 'sellercentral.amazon.com/orders-v3/';
    const role = await h.call(h.owner, 'roles:create', { name: 'Literal hosts', rules: [{ id: 'r1', action: 'block', filter: prefix + 'x'.repeat(2048 - prefix.length) }] });
    await h.call(h.owner, 'assignments:upsert', { staffId: staff.id, storeId: us.id, roleId: role.id });
    const rolesBefore = await h.call(h.owner, 'roles:list', {});
    const logBefore = (await ownerChanges(h)).length;

    assert.equal((await h.fail(h.owner, 'assignments:copy-to-stores', { fromStoreId: us.id, toStoreIds: [de.id, uk.id] })).code, 'invalid-payload');
    assert.deepEqual(await h.call(h.owner, 'roles:list', {}), rolesBefore);
    assert.deepEqual((await ownerChanges(h)).slice(logBefore), []);
  } finally {
    await h.close();
  }
});

test('a role name cut for a copy keeps whole characters, so copying again reuses the role instead of making another', async () => {
  const h = await startCore();
  try {
    const us = await h.call(h.owner, 'stores:create', { name: 'US', platformId: 'amazon', siteId: 'us', homeUrl: 'https://sellercentral.amazon.com/home' });
    const de = await h.call(h.owner, 'stores:create', { name: 'DE', platformId: 'amazon', siteId: 'de', homeUrl: 'https://sellercentral.amazon.de/home' });
    const staff = await h.call(h.owner, 'staff:create', { username: 'ops_anna', password: STAFF_PASSWORD });
    // The emoji takes UTF-16 units 69 and 70: a cut after 70 units would split it.
    const role = await h.call(h.owner, 'roles:create', { name: `${'a'.repeat(69)}😀 team`, rules: [{ id: 'r1', action: 'block', filter: 'sellercentral.amazon.com/payments' }] });
    await h.call(h.owner, 'assignments:upsert', { staffId: staff.id, storeId: us.id, roleId: role.id });
    for (let i = 0; i < 3; i++) await h.call(h.owner, 'assignments:copy-to-stores', { fromStoreId: us.id, toStoreIds: [de.id] });
    const derived = (await h.call(h.owner, 'roles:list', {})).filter((r) => r.name.endsWith(' · DE'));
    assert.deepEqual(
      derived.map((r) => r.name),
      [`${'a'.repeat(69)} · DE`],
    );
    assert.equal((await ownerChanges(h)).filter((d) => d.entity === 'role' && d.action === 'create' && d.id !== role.id).length, 1);
  } finally {
    await h.close();
  }
});

test('disabling staff signs them out and closes their stores at once', async () => {
  const h = await startCore();
  try {
    const { store, staff, session } = await staffWithRole(h, 'operator');
    await h.call(h.owner, 'staff:set-disabled', { id: staff.id, disabled: true });
    assert.ok(h.host.closed.some((c) => c.storeId === store.id && c.userId === staff.id && c.reason === 'disabled'));
    assert.equal((await h.fail(session, 'workspace:stores', {})).code, 'not-signed-in');
    assert.equal(h.core.guard(guardRequest(store.id, staff.id, 'https://sellercentral.amazon.com/orders-v3')).reason, 'staff-disabled');
    assert.equal((await h.fail(h.core.newSession(), 'auth:login', { username: staff.username, password: STAFF_PASSWORD })).code, 'disabled');
  } finally {
    await h.close();
  }
});

test('deleting a store or a staff member logs each assignment that goes with it, as an assignment delete', async () => {
  const h = await startCore();
  try {
    const store = (name: string) => h.call(h.owner, 'stores:create', { name, platformId: 'amazon', siteId: 'us', homeUrl: 'https://sellercentral.amazon.com/home' });
    const [us, us2] = [await store('US'), await store('US 2')];
    const bob = await h.call(h.owner, 'staff:create', { username: 'ops_bob', password: STAFF_PASSWORD });
    const amy = await h.call(h.owner, 'staff:create', { username: 'ops_amy', password: STAFF_PASSWORD });
    const role = (await h.call(h.owner, 'roles:list', {}))[0]!;
    const assign = (staffId: string, storeId: string) => h.call(h.owner, 'assignments:upsert', { staffId, storeId, roleId: role.id });
    const [bobUs, amyUs, bobUs2] = [await assign(bob.id, us.id), await assign(amy.id, us.id), await assign(bob.id, us2.id)];
    const logBefore = (await ownerChanges(h)).length;

    await h.call(h.owner, 'stores:delete', { id: us.id });
    await h.call(h.owner, 'staff:delete', { id: bob.id });
    assert.deepEqual(await h.call(h.owner, 'assignments:list', {}), []);
    assert.deepEqual(
      (await ownerChanges(h)).slice(logBefore).map((d) => [d.entity, d.action, d.id, d.before, d.after]),
      [
        ['assignment', 'delete', bobUs.id, bobUs, null],
        ['assignment', 'delete', amyUs.id, amyUs, null],
        ['store', 'delete', us.id, us, null],
        ['assignment', 'delete', bobUs2.id, bobUs2, null],
        ['staff', 'delete', bob.id, bob, null],
      ],
    );
  } finally {
    await h.close();
  }
});

test('a store delete that fails removes none of its assignments and logs none', async () => {
  const h = await startCore();
  try {
    const { store, assignment } = await staffWithRole(h, 'operator');
    const logBefore = (await ownerChanges(h)).length;
    const allowWrites = refuseWrites(h, 'BEFORE DELETE ON stores');
    await assert.rejects(h.core.invoke(h.owner, 'stores:delete', { id: store.id }), /injected write failure/);
    allowWrites();
    assert.deepEqual(await h.call(h.owner, 'assignments:list', {}), [assignment]);
    assert.deepEqual((await ownerChanges(h)).slice(logBefore), []);
  } finally {
    await h.close();
  }
});

test('enabling a staff member lifts the suspensions and clears disabled together: a failed write keeps both, and logs nothing', async () => {
  const h = await startCore();
  try {
    const { staff } = await staffWithRole(h, 'operator');
    await h.call(h.owner, 'staff:set-disabled', { id: staff.id, disabled: true });
    const db = new Database(join(h.dir, DATABASE_FILE));
    try {
      // An alert rule suspended them too.
      db.prepare("INSERT INTO staff_suspensions (user_id, source, created_at) VALUES (?, 'alert', 1)").run(staff.id);
      const state = () => [db.prepare('SELECT count(*) FROM staff_suspensions WHERE user_id = ?').pluck().get(staff.id), db.prepare('SELECT disabled FROM users WHERE id = ?').pluck().get(staff.id)];
      const logBefore = (await ownerChanges(h)).length;

      const allowWrites = refuseWrites(h, 'BEFORE UPDATE OF disabled ON users');
      await assert.rejects(h.core.invoke(h.owner, 'staff:set-disabled', { id: staff.id, disabled: false }), /injected write failure/);
      allowWrites();
      assert.deepEqual(state(), [1, 1], 'the suspension stays with the disabled flag');
      assert.deepEqual((await ownerChanges(h)).slice(logBefore), []);

      assert.equal((await h.call(h.owner, 'staff:set-disabled', { id: staff.id, disabled: false })).disabled, false);
      assert.deepEqual(state(), [0, 0]);
      assert.deepEqual(
        (await ownerChanges(h)).slice(logBefore).map((d) => [d.entity, d.action, (d.before as { disabled: boolean }).disabled, (d.after as { disabled: boolean }).disabled]),
        [['staff', 'update', true, false]],
      );
    } finally {
      db.close();
    }
  } finally {
    await h.close();
  }
});

test('five wrong passwords lock the account, and every attempt is logged', async () => {
  const h = await startCore();
  try {
    const { staff } = await staffWithRole(h, 'operator');
    const s = h.core.newSession();
    for (let i = 0; i < 4; i++) assert.equal((await h.fail(s, 'auth:login', { username: staff.username, password: 'wrong-password' })).code, 'invalid-credentials');
    const locked = await h.fail(s, 'auth:login', { username: staff.username, password: 'wrong-password' });
    assert.equal(locked.code, 'locked');
    assert.equal((await h.fail(s, 'auth:login', { username: staff.username, password: STAFF_PASSWORD })).code, 'locked');
    const kinds = (await h.call(h.owner, 'log:query', { filter: { actorId: staff.id, kinds: ['login-failed', 'lockout'] } })).rows.map((r) => r.kind);
    assert.equal(kinds.filter((k) => k === 'login-failed').length, 6);
    assert.equal(kinds.filter((k) => k === 'lockout').length, 1);
  } finally {
    await h.close();
  }
});

test('step-up: the page waits for the owner’s password, then is allowed for the granted minutes', async () => {
  const h = await startCore();
  try {
    const { store, staff, session } = await staffWithRole(h, 'customer-service');
    const url = 'https://sellercentral.amazon.com/orders-v3/refund/123-456';
    const first = h.core.guard(guardRequest(store.id, staff.id, url));
    assert.deepEqual([first.allowed, first.reason], [false, 'step-up-required']);
    const request = h.core.reportStepUp({ storeId: store.id, userId: staff.id, url, filter: first.filter! });
    assert.equal(h.core.reportStepUp({ storeId: store.id, userId: staff.id, url, filter: first.filter! }).id, request.id);
    assert.ok(h.host.events.some((e) => e.event.type === 'step-up-needed' && e.userId === staff.id));
    assert.deepEqual((await h.call(session, 'stepup:pending', {})).map((r) => r.id), [request.id]);
    assert.equal((await h.fail(session, 'stepup:approve', { requestId: request.id, ownerPassword: 'not-the-owner' })).code, 'invalid-credentials');
    assert.equal(h.core.guard(guardRequest(store.id, staff.id, url)).allowed, false);
    const { until } = await h.call(session, 'stepup:approve', { requestId: request.id, ownerPassword: OWNER.password, minutes: 5 });
    assert.ok(until > Date.now() + 4 * 60_000);
    assert.equal(h.core.guard(guardRequest(store.id, staff.id, url)).reason, 'step-up-granted');
    const kinds = (await h.call(h.owner, 'log:query', { filter: { kinds: ['step-up-request', 'step-up-deny', 'step-up-grant'] } })).rows.map((r) => r.kind).sort();
    assert.deepEqual(kinds, ['step-up-deny', 'step-up-grant', 'step-up-request']);
    // The grant ends with the access it was given under: disabled and enabled again, no grant.
    await h.call(h.owner, 'staff:set-disabled', { id: staff.id, disabled: true });
    await h.call(h.owner, 'staff:set-disabled', { id: staff.id, disabled: false });
    assert.equal(h.core.guard(guardRequest(store.id, staff.id, url)).reason, 'step-up-required');
  } finally {
    await h.close();
  }
});

test('owner changes are logged with before and after; export and verify work on the real file', async () => {
  const h = await startCore();
  try {
    const store = await h.call(h.owner, 'stores:create', { name: 'UK', platformId: 'amazon', siteId: 'uk', homeUrl: 'https://sellercentral.amazon.co.uk/' });
    await h.call(h.owner, 'stores:update', { id: store.id, patch: { name: 'UK main', colour: '#112233' } });
    const change = (await h.call(h.owner, 'log:query', { filter: { kinds: ['owner-change'], storeId: store.id } })).rows[0]!;
    assert.deepEqual([(change.detail.before as { name: string }).name, (change.detail.after as { name: string }).name], ['UK', 'UK main']);

    const exported = await h.call(h.owner, 'log:export', { filter: {}, format: 'csv' });
    const lines = readFileSync(exported.path, 'utf8').trimEnd().split('\r\n');
    assert.equal(lines.length - 1, exported.rows);
    assert.equal(exported.rows, (await h.call(h.owner, 'log:count', {})).count);
    assert.match(lines[0]!, /^\uFEFFid,time,kind,actor,store/);
    assert.ok(lines.some((l) => l.includes(',owner-change,boss,UK main,')));

    assert.equal((await h.call(h.owner, 'log:verify', {})).intact, true);
    await h.call(h.owner, 'stores:delete', { id: store.id });
    assert.deepEqual(h.host.cleared, [store.id]);
  } finally {
    await h.close();
  }
});

test('the console exports what its viewer counted (throughId), with times in its own zone; an unknown zone is refused', async () => {
  const h = await startCore();
  try {
    await h.call(h.owner, 'stores:create', { name: 'US', platformId: 'amazon', siteId: 'us', homeUrl: 'https://sellercentral.amazon.com/' });
    const { throughId } = await h.call(h.owner, 'log:query', { filter: {} });
    const counted = (await h.call(h.owner, 'log:count', { throughId })).count;
    await h.call(h.owner, 'stores:create', { name: 'UK', platformId: 'amazon', siteId: 'uk', homeUrl: 'https://sellercentral.amazon.co.uk/' });

    const exported = await h.call(h.owner, 'log:export', { filter: {}, format: 'csv', throughId, timeZone: 'Asia/Shanghai' });
    assert.equal(exported.rows, counted);
    const lines = readFileSync(exported.path, 'utf8').trimEnd().split('\r\n').slice(1);
    assert.equal(lines.length, counted);
    assert.ok(lines.every((line) => Number(line.split(',')[0]) <= throughId), 'nothing after the snapshot');
    assert.ok(lines.every((line) => /^\d+,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00,/.test(line)), lines[0]);
    assert.ok((await h.call(h.owner, 'log:export', { filter: {}, format: 'csv' })).rows > counted, 'without a snapshot: every row so far');

    const refused = await h.fail(h.owner, 'log:export', { filter: {}, format: 'csv', timeZone: 'Mars/Olympus' });
    assert.equal(refused.code, 'invalid-payload');
    assert.match(JSON.stringify(refused.issues), /IANA time zone/);
  } finally {
    await h.close();
  }
});

test('a file the app wrote is shown in its folder; names outside its folders, missing files and a host that cannot show it are refused', async () => {
  const h = await startCore();
  try {
    const exported = await h.call(h.owner, 'log:export', { filter: {}, format: 'jsonl' });
    assert.deepEqual(await h.call(h.owner, 'files:reveal', { folder: 'exports', fileName: exported.fileName }), { ok: true });
    assert.deepEqual(h.host.revealed, [exported.path]);

    for (const fileName of ['../shopwarden.db', '..', 'sub/file.csv', 'C:\\Windows\\x', '', 'a\0b']) {
      assert.equal((await h.fail(h.owner, 'files:reveal', { folder: 'exports', fileName })).code, 'invalid-payload', fileName);
    }
    assert.equal((await h.fail(h.owner, 'files:reveal', { folder: 'archives', fileName: exported.fileName })).code, 'not-found', 'not in that folder');
    assert.equal((await h.fail(h.owner, 'files:reveal', { folder: 'exports', fileName: 'gone.csv' })).code, 'not-found');
    const { session } = await staffWithRole(h, 'operator');
    assert.equal((await h.fail(session, 'files:reveal', { folder: 'exports', fileName: exported.fileName })).code, 'forbidden');

    h.host.revealError = new Error('xdg-open is not installed on this computer');
    const unavailable = await h.fail(h.owner, 'files:reveal', { folder: 'exports', fileName: exported.fileName });
    assert.equal(unavailable.code, 'unavailable');
    assert.match(unavailable.message, /xdg-open is not installed/);
    assert.deepEqual(h.host.revealed, [exported.path]);
  } finally {
    await h.close();
  }
});

test('a tampered log row is reported by log:verify', async () => {
  const h = await startCore();
  const dir = h.dir;
  try {
    await h.call(h.owner, 'stores:create', { name: 'UK', platformId: 'amazon', siteId: 'uk', homeUrl: 'https://sellercentral.amazon.co.uk/' });
    assert.equal((await h.call(h.owner, 'log:verify', {})).intact, true);
    const db = new Database(join(dir, DATABASE_FILE));
    const { id } = db.prepare("SELECT id FROM audit_log WHERE kind = 'owner-change' LIMIT 1").get() as { id: number };
    // The append-only triggers stop mistakes, not a tamperer with the file: they drop them first.
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET url = 'https://evil.example/' WHERE id = ?").run(id);
    db.close();
    const verdict = await h.call(h.owner, 'log:verify', {});
    assert.deepEqual(verdict.intact ? null : verdict.firstBadId, id);

    // A row edited into something no log row can be still shows in the viewer, flagged, with
    // the rest of its page: the owner must be able to read around the damage verify reports.
    const edit = new Database(join(dir, DATABASE_FILE));
    edit.prepare("UPDATE audit_log SET kind = 'frobnicated', actor_id = 'not an id!', reason = ? WHERE id = ?").run('x'.repeat(100), id);
    edit.close();
    const { rows } = await h.call(h.owner, 'log:query', { filter: {} });
    const shown = rows.find((r) => r.id === id)!;
    assert.deepEqual([shown.kind, shown.actorId, shown.reason], ['policy-error', null, null]);
    assert.deepEqual(shown.detail.invalidFields, { kind: 'frobnicated', actorId: 'not an id!', reason: 'x'.repeat(100) });
    assert.ok(rows.length > 1, 'the rest of the page is there');
  } finally {
    await h.close();
  }
});

test('signing out closes the person’s stores; blocks a host decides alone are logged too', async () => {
  const h = await startCore();
  try {
    const { store, staff, session } = await staffWithRole(h, 'operator');
    h.core.recordHostBlock({ what: 'upload', storeId: store.id, userId: staff.id, url: 'https://sellercentral.amazon.com/abis/upload?token=secret' });
    await h.call(session, 'auth:logout', {});
    assert.ok(h.host.closed.some((c) => c.storeId === null && c.userId === staff.id));
    const rows = (await h.call(h.owner, 'log:query', { filter: { actorId: staff.id, decision: 'blocked' } })).rows;
    assert.deepEqual(rows.map((r) => [r.kind, r.reason, r.storeId]), [['block', 'host-upload', store.id]]);
    assert.doesNotMatch(rows[0]!.url ?? '', /secret/);
  } finally {
    await h.close();
  }
});

test('someone signing in over another person ends their turn: their stores close, a logout is logged', async () => {
  const h = await startCore();
  try {
    const { store, staff, session } = await staffWithRole(h, 'operator');
    await h.call(session, 'workspace:open-store', { storeId: store.id });
    const other = await h.call(h.owner, 'staff:create', { username: 'next_person', password: STAFF_PASSWORD });
    await h.call(session, 'auth:login', { username: staff.username, password: STAFF_PASSWORD }); // the same person again: nothing closes
    assert.deepEqual(h.host.openStoreIds(staff.id), [store.id]);
    await h.call(session, 'auth:login', { username: other.username, password: STAFF_PASSWORD });
    assert.deepEqual(h.host.openStoreIds(staff.id), []);
    assert.ok(h.host.closed.some((c) => c.storeId === null && c.userId === staff.id && c.reason === 'closed'));
    const logouts = (await h.call(h.owner, 'log:query', { filter: { actorId: staff.id, kinds: ['logout'] } })).rows;
    assert.deepEqual(logouts.map((r) => [r.reason, r.detail]), [['another-user-signed-in', { next: other.id }]]);
  } finally {
    await h.close();
  }
});

test('a console that goes away signs its person out; their stores stay open only while they are signed in elsewhere', async () => {
  const h = await startCore();
  try {
    const { store, staff, session } = await staffWithRole(h, 'operator');
    await h.call(session, 'workspace:open-store', { storeId: store.id });
    const second = h.core.newSession();
    await h.call(second, 'auth:login', { username: staff.username, password: STAFF_PASSWORD });
    await h.core.endSession(session);
    assert.deepEqual(h.host.openStoreIds(staff.id), [store.id], 'still signed in on the second console');
    await h.core.endSession(second);
    assert.deepEqual(h.host.openStoreIds(staff.id), []);
    assert.equal((await h.fail(second, 'workspace:stores', {})).code, 'not-signed-in');
    const reasons = (await h.call(h.owner, 'log:query', { filter: { actorId: staff.id, kinds: ['logout'] } })).rows.map((r) => r.reason);
    assert.deepEqual(reasons, ['console-closed', 'console-closed']);
  } finally {
    await h.close();
  }
});

test("a long export reports its progress, in steps up to the total, to the exporting owner’s console only", async () => {
  const h = await startCore();
  try {
    const { store, staff } = await staffWithRole(h, 'operator');
    for (let i = 0; i < 2500; i++) h.core.guard(guardRequest(store.id, staff.id, `https://sellercentral.amazon.com/orders-v3/order/${i}`));
    const ownerId = (await h.call(h.owner, 'app:status', {})).session!.user.id;
    const { rows } = await h.call(h.owner, 'log:export', { filter: { actorId: staff.id }, format: 'jsonl' });
    const progress = h.host.events.filter((e) => e.event.type === 'log-export-progress');
    assert.ok(rows >= 2500, `${rows} rows`);
    assert.ok(progress.length >= 2, 'several steps');
    assert.ok(progress.every((p) => p.userId === ownerId), 'only to the owner who exports');
    const steps = progress.map((p) => p.event as Extract<AppEvent, { type: 'log-export-progress' }>);
    assert.ok(steps.every((s, i) => s.total === rows && s.rows <= rows && (i === 0 || s.rows > steps[i - 1]!.rows)), JSON.stringify(steps));
  } finally {
    await h.close();
  }
});
