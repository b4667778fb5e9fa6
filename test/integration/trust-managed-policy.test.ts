// Managed staff machines (F25): once a staff machine trusts the owner's key and has applied a
// signed bundle, its policy comes from signed bundles only — console edits are refused, and
// tables edited behind the app's back are put back before the guard uses them. A key pinned by
// an administrator in a file also survives edits of the database itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATABASE_FILE } from '../../electron/core/app/app-core';
import { policyDifferences } from '../../electron/core/trust/managed-policy';
import { ENROLLED_OWNER_KEY_SETTING } from '../../electron/core/trust/owner-key';
import { defaultOwnerKeyFile, readPinnedOwnerKey, type PinnedOwnerKey } from '../../electron/core/trust/pinned-owner-key';
import { collectPolicy } from '../../electron/core/trust/policy-payload';
import { POLICY_SIGNED_SETTING } from '../../electron/core/trust/policy-bundle';
import type { Channel } from '../../shared/ipc/contract';
import { OWNER, STAFF_PASSWORD, guardRequest, startCore, staffWithRole, type Harness } from './app-core-helpers';
import { addStaff, amazonUs, openTestDb, operatorRole } from './db-test-helpers';

const PAYMENTS = 'https://sellercentral.amazon.com/payments/dashboard/index.html';
const ORDERS = 'https://sellercentral.amazon.com/orders-v3';

/** The owner's machine: an operator on a store behind a proxy, and the first signed bundle. */
async function ownerWithBundle() {
  const owner = await startCore();
  const { store, staff, role } = await staffWithRole(owner, 'operator');
  await owner.call(owner.owner, 'stores:update', { id: store.id, patch: { proxy: { scheme: 'socks5', host: 'proxy.example', port: 1080, username: 'acme' } } });
  const exported = await owner.call(owner.owner, 'policy-bundle:export', { password: OWNER.password });
  const publicKeyPem = (await owner.call(owner.owner, 'trust:owner-key', {})).ownerKey!.publicKeyPem;
  return { owner, store, staff, role, text: readFileSync(exported.path, 'utf8'), publicKeyPem };
}

/** Applies `text` on `machine` and sets the staff member's password there, as its owner does. */
async function applyAndAdmit(machine: Harness, text: string, staffId: string) {
  const applied = await machine.call(machine.owner, 'policy-bundle:apply', { text });
  assert.ok(applied.ok, JSON.stringify(applied));
  await machine.call(machine.owner, 'staff:reset-password', { id: staffId, password: STAFF_PASSWORD });
}

const policyErrors = async (h: Harness) =>
  (await h.call(h.owner, 'log:query', { filter: { kinds: ['policy-error'] }, limit: 50 })).rows.map((r) => ({ reason: r.reason, detail: r.detail }));

/** Everything a bundle carries, as the console lists it. */
const policyTables = async (h: Harness) => ({
  stores: await h.call(h.owner, 'stores:list', {}),
  staff: await h.call(h.owner, 'staff:list', {}),
  roles: await h.call(h.owner, 'roles:list', {}),
  assignments: await h.call(h.owner, 'assignments:list', {}),
});

async function restart(h: Harness, ownerKeyFile: string | null = null): Promise<Harness> {
  await h.core.close();
  const again = await startCore({ dir: h.dir, setUp: false, ownerKeyFile });
  await again.call(again.owner, 'auth:login', OWNER);
  return again;
}

function editDatabase(dir: string, edit: (db: Database.Database) => void) {
  const db = new Database(join(dir, DATABASE_FILE));
  try {
    edit(db);
  } finally {
    db.close();
  }
}

test('an enrolled machine that applied a bundle refuses console edits of what bundles carry; passwords stay local', async () => {
  const { owner, store, staff, role, text, publicKeyPem } = await ownerWithBundle();
  const machine = await startCore();
  try {
    await machine.call(machine.owner, 'trust:enrol', { publicKeyPem });
    assert.deepEqual((await machine.call(machine.owner, 'trust:owner-key', {})).management, { managed: false }, 'enrolled, nothing applied: still set up by hand');
    await applyAndAdmit(machine, text, staff.id);
    assert.deepEqual((await machine.call(machine.owner, 'trust:owner-key', {})).management, { managed: true, keySource: 'enrolled', keyFile: null, version: 1, problem: null });

    const before = await policyTables(machine);
    const edits: Array<[Channel, unknown]> = [
      ['stores:create', { name: 'Local', platformId: 'amazon', siteId: 'us', homeUrl: 'https://sellercentral.amazon.com/home' }],
      ['stores:update', { id: store.id, patch: { name: 'Renamed here' } }],
      ['stores:update', { id: store.id, patch: { proxy: { scheme: 'socks5', host: 'elsewhere.example', port: 1080, username: 'acme', password: 'p' } } }],
      ['stores:delete', { id: store.id }],
      ['staff:create', { username: 'local_staff', password: STAFF_PASSWORD }],
      ['staff:update', { id: staff.id, displayName: 'Someone else' }],
      ['staff:delete', { id: staff.id }],
      ['roles:create', { name: 'Local role' }],
      ['roles:update', { id: role.id, patch: { levels: { payments: 'edit' } } }],
      ['roles:delete', { id: role.id }],
      ['assignments:upsert', { staffId: staff.id, storeId: store.id, roleId: role.id, validUntil: null }],
      ['assignments:copy-to-stores', { fromStoreId: store.id, toStoreIds: [store.id] }],
      ['assignments:apply-role', { staffId: staff.id, roleId: role.id, storeIds: [store.id] }],
      ['review:apply', { suggestionId: `revoke:${staff.id}` }],
    ];
    for (const [channel, payload] of edits) assert.equal((await machine.fail(machine.owner, channel, payload)).code, 'managed', channel);
    assert.deepEqual(await policyTables(machine), before, 'nothing changed');

    // What no bundle carries is still set here: a staff password (above) and a proxy's password.
    const withPassword = await machine.call(machine.owner, 'stores:update', { id: store.id, patch: { proxy: { scheme: 'socks5', host: 'proxy.example', port: 1080, username: 'acme', password: 'proxy-secret-1' } } });
    assert.equal(withPassword.proxy?.host, 'proxy.example');
    assert.equal(machine.core.storeForSession(store.id)?.proxy?.password, 'proxy-secret-1');
    const session = machine.core.newSession();
    await machine.call(session, 'auth:login', { username: staff.username, password: STAFF_PASSWORD });
    assert.equal(machine.core.guard(guardRequest(store.id, staff.id, ORDERS)).allowed, true);
    assert.equal(machine.core.guard(guardRequest(store.id, staff.id, PAYMENTS)).allowed, false);
    assert.deepEqual((await machine.call(session, 'workspace:stores', {})).map((w) => w.store.id), [store.id]);

    // The owner's own machine is not managed: its edits go through as always.
    assert.equal((await owner.call(owner.owner, 'stores:update', { id: store.id, patch: { name: 'US main' } })).name, 'US main');
    assert.deepEqual(await policyErrors(machine), []);
  } finally {
    await owner.close();
    await machine.close();
  }
});

test('on a managed machine a suspension holds (by an alert rule, or the owner disabling someone there) and leaves the signed policy as it is', async () => {
  const { owner, store, staff, text, publicKeyPem } = await ownerWithBundle();
  const machine = await startCore();
  try {
    await machine.call(machine.owner, 'trust:enrol', { publicKeyPem });
    await applyAndAdmit(machine, text, staff.id);
    const signed = await policyTables(machine);
    const session = machine.core.newSession();
    await machine.call(session, 'auth:login', { username: staff.username, password: STAFF_PASSWORD });
    await machine.call(session, 'workspace:open-store', { storeId: store.id });

    // A burst of blocks trips the alert rule that suspends automatically.
    const rules = await machine.call(machine.owner, 'alerts:rules-get', {});
    await machine.call(machine.owner, 'alerts:rules-set', { ...rules, blockBurst: { enabled: true, blocks: 3, withinMinutes: 5 }, autoSuspend: ['block-burst'] });
    for (let i = 0; i < 3; i++) machine.core.guard(guardRequest(store.id, staff.id, PAYMENTS));
    await machine.call(machine.owner, 'log:verify', {}); // commits the blocks: the rules run
    assert.deepEqual((await machine.call(machine.owner, 'alerts:list', {})).alerts.map((a) => [a.rule, a.suspended]), [['block-burst', true]]);
    const suspendedChecks = async () => {
      assert.equal(machine.core.guard(guardRequest(store.id, staff.id, ORDERS)).reason, 'staff-disabled');
      assert.equal((await machine.fail(machine.core.newSession(), 'auth:login', { username: staff.username, password: STAFF_PASSWORD })).code, 'disabled');
      assert.equal((await machine.call(machine.owner, 'staff:list', {})).find((u) => u.id === staff.id)?.disabled, true);
    };
    await suspendedChecks();
    assert.equal((await machine.fail(session, 'workspace:stores', {})).code, 'not-signed-in');
    assert.deepEqual(machine.host.openStoreIds(staff.id), []);
    // The policy is rebuilt (as after any change): the suspension is not mistaken for tampering.
    await machine.call(machine.owner, 'staff:reset-password', { id: staff.id, password: STAFF_PASSWORD });
    await suspendedChecks();
    assert.deepEqual(await policyErrors(machine), []);

    // The owner lifts it here; disabling someone here suspends them here.
    await machine.call(machine.owner, 'staff:set-disabled', { id: staff.id, disabled: false });
    assert.equal(machine.core.guard(guardRequest(store.id, staff.id, ORDERS)).allowed, true);
    assert.deepEqual(await policyTables(machine), signed);
    assert.equal((await machine.call(machine.owner, 'staff:set-disabled', { id: staff.id, disabled: true })).disabled, true);
    await suspendedChecks();
    await machine.call(machine.owner, 'staff:set-disabled', { id: staff.id, disabled: false });
    assert.deepEqual(await policyTables(machine), signed, 'the signed tables were never touched');
    assert.deepEqual(await policyErrors(machine), []);

    // A bundle that disables someone signs them out here and closes their stores at once;
    // the signed policy's own switch cannot be undone here.
    const again = machine.core.newSession();
    await machine.call(again, 'auth:login', { username: staff.username, password: STAFF_PASSWORD });
    await machine.call(again, 'workspace:open-store', { storeId: store.id });
    await owner.call(owner.owner, 'staff:set-disabled', { id: staff.id, disabled: true });
    const next = await owner.call(owner.owner, 'policy-bundle:export', { password: OWNER.password });
    assert.ok((await machine.call(machine.owner, 'policy-bundle:apply', { text: readFileSync(next.path, 'utf8') })).ok);
    assert.equal((await machine.fail(again, 'workspace:stores', {})).code, 'not-signed-in');
    assert.deepEqual(machine.host.openStoreIds(staff.id), []);
    assert.equal((await machine.fail(machine.owner, 'staff:set-disabled', { id: staff.id, disabled: false })).code, 'managed');
  } finally {
    await owner.close();
    await machine.close();
  }
});

test('tables edited behind the app’s back are put back from the signed policy before the guard uses them, and that is logged', async () => {
  const { owner, store, staff, text, publicKeyPem } = await ownerWithBundle();
  let machine = await startCore();
  try {
    await machine.call(machine.owner, 'trust:enrol', { publicKeyPem });
    await applyAndAdmit(machine, text, staff.id);
    const signed = await policyTables(machine);
    const superAdmin = signed.roles.find((r) => r.template === 'super-admin')!;
    await machine.core.close();

    // With a SQLite tool: a better role for the staff member, and a store of their own.
    editDatabase(machine.dir, (db) => {
      db.prepare('UPDATE assignments SET role_id = ? WHERE staff_id = ?').run(superAdmin.id, staff.id);
      db.prepare(
        `INSERT INTO stores (id, name, platform_id, site_id, home_url, group_name, colour, proxy, user_agent, accept_language, created_at, updated_at)
         VALUES ('local-store', 'Mine', 'amazon', 'us', 'https://sellercentral.amazon.com/home', '', '#000000', NULL, NULL, NULL, 1, 1)`,
      ).run();
    });
    machine = await restart(machine);

    assert.equal(machine.core.guard(guardRequest(store.id, staff.id, PAYMENTS)).allowed, false, 'still the signed role');
    assert.equal(machine.core.guard(guardRequest(store.id, staff.id, ORDERS)).allowed, true);
    const now = await policyTables(machine);
    assert.deepEqual(now.assignments, signed.assignments);
    assert.deepEqual(now.stores.map((s) => s.id), [store.id]);
    assert.deepEqual(machine.host.cleared, ['local-store'], 'the store that is not in the policy leaves no session behind');
    const errors = await policyErrors(machine);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.reason, 'policy-tampered');
    assert.deepEqual(errors[0]!.detail, { restoredVersion: 1, differences: { stores: ['local-store'], staff: [], roles: [], assignments: [signed.assignments[0]!.id] } });

    // The kept bundle itself edited: nothing verifies, so staff get no access at all (logged once).
    await machine.core.close();
    editDatabase(machine.dir, (db) => {
      const kept = JSON.parse((db.prepare('SELECT value FROM settings WHERE key = ?').get(POLICY_SIGNED_SETTING) as { value: string }).value) as string;
      db.prepare('UPDATE settings SET value = ? WHERE key = ?').run(JSON.stringify(kept.replace('"orders": "edit"', '"payments": "edit", "orders": "edit"')), POLICY_SIGNED_SETTING);
    });
    machine = await restart(machine);
    assert.notEqual(machine.core.guard(guardRequest(store.id, staff.id, ORDERS)).allowed, true);
    const staffConsole = machine.core.newSession();
    await machine.call(staffConsole, 'auth:login', { username: staff.username, password: STAFF_PASSWORD });
    assert.deepEqual(await machine.call(staffConsole, 'workspace:stores', {}), [], 'no store offered that every page of would be blocked');
    assert.equal((await machine.fail(staffConsole, 'workspace:open-store', { storeId: store.id })).code, 'forbidden');
    const management = (await machine.call(machine.owner, 'trust:owner-key', {})).management;
    assert.ok(management.managed && management.problem?.includes('bad-signature'), JSON.stringify(management));
    assert.deepEqual((await policyErrors(machine)).map((e) => e.reason), ['policy-unsigned', 'policy-tampered']);
    machine.core.guard(guardRequest(store.id, staff.id, ORDERS));
    assert.equal((await policyErrors(machine)).length, 2, 'a lasting problem is logged once');
  } finally {
    await owner.close();
    await machine.close();
  }
});

/** Makes the machine's host fail to wipe the stores in `busy` (a profile folder in use), and record the others. */
function wipesFailFor(machine: Harness, busy: Set<string>) {
  machine.host.clearStoreData = async (storeId: string) => {
    if (busy.has(storeId)) throw new Error('EBUSY: profile folder in use');
    machine.host.cleared.push(storeId);
  };
}

const US = { platformId: 'amazon', siteId: 'us', homeUrl: 'https://sellercentral.amazon.com/home' } as const;

test('a store whose session data cannot be wiped after a bundle removed it: the bundle applies, the failure is logged, the wipe is retried at the next start and apply', async () => {
  const { owner, publicKeyPem } = await ownerWithBundle();
  let machine = await startCore();
  try {
    const a = await owner.call(owner.owner, 'stores:create', { name: 'A', ...US });
    const b = await owner.call(owner.owner, 'stores:create', { name: 'B', ...US });
    const c = await owner.call(owner.owner, 'stores:create', { name: 'C', ...US });
    const nextBundle = async () => readFileSync((await owner.call(owner.owner, 'policy-bundle:export', { password: OWNER.password })).path, 'utf8');
    await machine.call(machine.owner, 'trust:enrol', { publicKeyPem });
    assert.ok((await machine.call(machine.owner, 'policy-bundle:apply', { text: await nextBundle() })).ok);

    await owner.call(owner.owner, 'stores:delete', { id: a.id });
    await owner.call(owner.owner, 'stores:delete', { id: b.id });
    const v2 = await nextBundle();
    wipesFailFor(machine, new Set([a.id]));
    const eventsBefore = machine.host.events.length;
    const applied = await machine.call(machine.owner, 'policy-bundle:apply', { text: v2 });
    assert.ok(applied.ok && [...applied.removedStoreIds].sort().join() === [a.id, b.id].sort().join(), JSON.stringify(applied));
    assert.deepEqual(machine.host.cleared, [b.id], 'the other store is wiped all the same');
    assert.ok(machine.host.events.slice(eventsBefore).some((e) => e.event.type === 'policy-changed'), 'the consoles are told');
    assert.deepEqual(await policyErrors(machine), [{ reason: 'store-data-wipe-failed', detail: { error: 'EBUSY: profile folder in use' } }]);
    assert.equal((await machine.call(machine.owner, 'log:query', { filter: { kinds: ['policy-error'] } })).rows[0]!.storeId, a.id);

    // The next start wipes it once the host is up (its first console call).
    machine = await restart(machine);
    assert.deepEqual(machine.host.cleared, [a.id]);
    machine = await restart(machine);
    assert.deepEqual(machine.host.cleared, [], 'wiped once: nothing left to do');

    // A wipe that fails at an apply is retried at the next apply.
    await owner.call(owner.owner, 'stores:delete', { id: c.id });
    wipesFailFor(machine, new Set([c.id]));
    assert.ok((await machine.call(machine.owner, 'policy-bundle:apply', { text: await nextBundle() })).ok);
    assert.deepEqual(machine.host.cleared, []);
    wipesFailFor(machine, new Set());
    assert.ok((await machine.call(machine.owner, 'policy-bundle:apply', { text: await nextBundle() })).ok);
    assert.deepEqual(machine.host.cleared, [c.id]);
    assert.equal((await policyErrors(machine)).filter((e) => e.reason === 'store-data-wipe-failed').length, 2);
  } finally {
    await owner.close();
    await machine.close();
  }
});

test('a store a restore of the signed policy removes at start is wiped once the host is up; one that fails is retried at the next start', async () => {
  const { owner, staff, text, publicKeyPem } = await ownerWithBundle();
  let machine = await startCore();
  try {
    await machine.call(machine.owner, 'trust:enrol', { publicKeyPem });
    await applyAndAdmit(machine, text, staff.id);
    await machine.core.close();
    editDatabase(machine.dir, (db) => {
      db.prepare(
        `INSERT INTO stores (id, name, platform_id, site_id, home_url, group_name, colour, proxy, user_agent, accept_language, created_at, updated_at)
         VALUES ('local-store', 'Mine', 'amazon', 'us', 'https://sellercentral.amazon.com/home', '', '#000000', NULL, NULL, NULL, 1, 1)`,
      ).run();
    });
    // Restored while the core opens, before the host has its parts: nothing is asked of it yet.
    machine = await startCore({ dir: machine.dir, setUp: false });
    wipesFailFor(machine, new Set(['local-store']));
    await machine.call(machine.owner, 'auth:login', OWNER);
    assert.deepEqual(machine.host.cleared, []);
    assert.deepEqual((await policyErrors(machine)).map((e) => e.reason), ['store-data-wipe-failed', 'policy-tampered']);

    machine = await restart(machine);
    assert.deepEqual(machine.host.cleared, ['local-store']);
    assert.deepEqual((await machine.call(machine.owner, 'stores:list', {})).map((s) => s.name), ['US operator']);
  } finally {
    await owner.close();
    await machine.close();
  }
});

test('a key pinned in a file: nothing applied means no staff access; enrolment and other keys are refused; the owner’s bundle applies', async () => {
  const { owner, store, staff, text, publicKeyPem } = await ownerWithBundle();
  const keyDir = mkdtempSync(join(tmpdir(), 'shopwarden-pinned-'));
  const keyFile = join(keyDir, 'owner-key.pem');
  const intruder = await startCore();
  let machine = await startCore();
  try {
    // Before the administrator pins the key, this machine's owner set up local access by hand.
    const local = await staffWithRole(machine, 'operator');
    writeFileSync(keyFile, publicKeyPem);
    machine = await restart(machine, keyFile);

    const status = await machine.call(machine.owner, 'trust:owner-key', {});
    assert.equal(status.pinnedOwnerKey?.file, keyFile);
    assert.ok(status.management.managed && status.management.keySource === 'pinned-file' && status.management.problem !== null);
    assert.equal(machine.core.guard(guardRequest(local.store.id, local.staff.id, ORDERS)).allowed, false, 'no signed policy: no staff access');
    assert.equal((await policyErrors(machine))[0]?.reason, 'policy-unsigned');
    assert.equal((await machine.fail(machine.owner, 'stores:create', { name: 'x', platformId: 'amazon', siteId: 'us', homeUrl: 'https://sellercentral.amazon.com/home' })).code, 'managed');
    assert.equal((await machine.fail(machine.owner, 'trust:enrol', { publicKeyPem })).code, 'conflict');

    // Someone signs a bundle with a key of their own and writes that key into the database as enrolled: refused.
    await staffWithRole(intruder, 'super-admin');
    const forged = readFileSync((await intruder.call(intruder.owner, 'policy-bundle:export', { password: OWNER.password })).path, 'utf8');
    const intruderKey = (await intruder.call(intruder.owner, 'trust:owner-key', {})).ownerKey!;
    await machine.core.close();
    editDatabase(machine.dir, (db) => {
      db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 1) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
        ENROLLED_OWNER_KEY_SETTING,
        JSON.stringify({ publicKeyPem: intruderKey.publicKeyPem, fingerprint: intruderKey.fingerprint, enrolledAt: 1 }),
      );
    });
    machine = await restart(machine, keyFile);
    const refused = await machine.call(machine.owner, 'policy-bundle:apply', { text: forged });
    assert.deepEqual([refused.ok, !refused.ok && refused.code], [false, 'wrong-key']);

    await applyAndAdmit(machine, text, staff.id);
    assert.equal(machine.core.guard(guardRequest(store.id, staff.id, ORDERS)).allowed, true);
    assert.equal(machine.core.guard(guardRequest(store.id, staff.id, PAYMENTS)).allowed, false);
    assert.equal(machine.core.guard(guardRequest(local.store.id, local.staff.id, ORDERS)).allowed, false, 'the hand-made access is gone with the bundle');
    const management = (await machine.call(machine.owner, 'trust:owner-key', {})).management;
    assert.deepEqual(management, { managed: true, keySource: 'pinned-file', keyFile, version: 1, problem: null });

    // A pinned file that is not a key: managed, and no staff access.
    writeFileSync(keyFile, 'not a key');
    machine = await restart(machine, keyFile);
    assert.equal(machine.core.guard(guardRequest(store.id, staff.id, ORDERS)).allowed, false);
    const broken = (await machine.call(machine.owner, 'trust:owner-key', {})).management;
    assert.ok(broken.managed && broken.problem?.includes('does not hold the owner'), JSON.stringify(broken));
  } finally {
    await owner.close();
    await intruder.close();
    await machine.close();
    rmSync(keyDir, { recursive: true, force: true });
  }
});

test('the pinned key file: only a readable Ed25519 public key that this account cannot rewrite pins anything', async () => {
  const { owner, publicKeyPem } = await ownerWithBundle();
  const dir = mkdtempSync(join(tmpdir(), 'shopwarden-pinned-'));
  try {
    const file = join(dir, 'owner-key.pem');
    const never = () => false;
    assert.deepEqual(readPinnedOwnerKey(null), { state: 'absent', file: null });
    assert.deepEqual(readPinnedOwnerKey(file, never), { state: 'absent', file });
    writeFileSync(file, publicKeyPem);
    const pinned = readPinnedOwnerKey(file, never);
    assert.equal(pinned.state, 'pinned');
    assert.equal(pinned.state === 'pinned' && pinned.key.fingerprint, (await owner.call(owner.owner, 'trust:owner-key', {})).ownerKey!.fingerprint);

    const problem = (state: PinnedOwnerKey) => (state.state === 'unusable' ? state.problem : `not refused: ${state.state}`);
    assert.match(problem(readPinnedOwnerKey(file, (path) => path === file)), /can be changed by the account running ShopWarden/);
    assert.match(problem(readPinnedOwnerKey(file, (path) => path === dir)), /or its folder/);
    writeFileSync(file, generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }));
    assert.match(problem(readPinnedOwnerKey(file, never)), /expected an Ed25519 key/);
    writeFileSync(file, 'x'.repeat(20_000));
    assert.match(problem(readPinnedOwnerKey(file, never)), /too long/);
    assert.match(problem(readPinnedOwnerKey(dir, never)), /cannot be read|does not hold/);

    assert.equal(defaultOwnerKeyFile('linux'), '/etc/shopwarden/owner-key.pem');
    assert.equal(defaultOwnerKeyFile('win32'), 'C:\\ProgramData\\ShopWarden\\owner-key.pem');
    assert.equal(defaultOwnerKeyFile('darwin'), '/Library/Application Support/ShopWarden/owner-key.pem');
  } finally {
    await owner.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('policyDifferences names what differs by kind and id, times of creation and change aside', () => {
  const t = openTestDb(); // closed by its own after() hook
  const store = t.repos.stores.create(amazonUs());
  t.repos.stores.create(amazonUs({ name: 'Amazon DE', siteId: 'de', homeUrl: 'https://sellercentral.amazon.de/home' }));
  const alice = addStaff(t.repos, 'alice');
  const role = t.repos.roles.create(operatorRole());
  t.repos.assignments.upsert({ staffId: alice.id, storeId: store.id, roleId: role.id });
  const signed = collectPolicy(t.repos);
  assert.equal(policyDifferences(signed, structuredClone(signed)), null);
  const restamped = structuredClone(signed);
  for (const kind of ['stores', 'roles', 'assignments'] as const) for (const entity of restamped[kind]) Object.assign(entity, { createdAt: 1, updatedAt: 2 });
  assert.equal(policyDifferences(restamped, signed), null, 'only timestamps differ');
  const edited = structuredClone(signed);
  edited.roles[0]!.levels = { ...edited.roles[0]!.levels, payments: 'edit' };
  edited.staff[0]!.disabled = true;
  edited.stores.pop();
  assert.deepEqual(policyDifferences(edited, signed), { stores: [signed.stores.at(-1)!.id], staff: [alice.id], roles: [signed.roles[0]!.id], assignments: [] });
});
