import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { AuditEventInput } from '../../shared/model/audit';
import { createOwnerKey, enrolledOwnerKey, enrollOwnerKey, ownerPublicKey, resealOwnerKey, unlockOwnerKey } from '../../electron/core/trust/owner-key';
import { applyPolicyBundle, appliedPolicy, exportPolicyBundle, POLICY_BUNDLE_FORMAT } from '../../electron/core/trust/policy-bundle';
import { signFields } from '../../electron/core/trust/keys';
import { TrustError } from '../../electron/core/trust/errors';
import type { TrustDeps } from '../../electron/core/trust/deps';
import { addStaff, amazonUs, dumpDatabase, openTestDb, operatorRole, type TestDb } from './db-test-helpers';
import { flipChar } from '../fixtures/trust/helpers';

const SEAL = { logN: 10, r: 8, p: 1 };
const PASSWORD = 'owner-password-1';

function deps(t: TestDb, log: AuditEventInput[] = []): TrustDeps {
  return { db: t.db, repos: t.repos, clock: t.clock, log: (e) => void log.push(e) };
}

/** The owner's machine with a key, two stores (one behind a proxy with a password), staff, roles, assignments. */
async function ownerMachine() {
  const t = openTestDb();
  await createOwnerKey(t.repos.settings, PASSWORD, t.clock(), { seal: SEAL });
  const us = t.repos.stores.create(amazonUs({ proxy: { scheme: 'socks5', host: 'proxy.example', port: 1080, username: 'u', password: 'proxy-secret-42' } }));
  const de = t.repos.stores.create(amazonUs({ name: 'Amazon DE', siteId: 'de', homeUrl: 'https://sellercentral.amazon.de/home' }));
  const alice = addStaff(t.repos, 'alice');
  const bob = addStaff(t.repos, 'bob');
  const operator = t.repos.roles.create(operatorRole());
  const viewer = t.repos.roles.create(operatorRole({ name: 'Viewer', levels: { orders: 'view' } }));
  t.repos.assignments.upsert({ staffId: alice.id, storeId: us.id, roleId: operator.id, scope: { asin: ['B0ABC12345'] } });
  t.repos.assignments.upsert({ staffId: bob.id, storeId: de.id, roleId: viewer.id, validUntil: Date.UTC(2025, 5, 1) });
  const key = await unlockOwnerKey(t.repos.settings, PASSWORD);
  return { t, key, us, de, alice, bob, operator, viewer };
}

function staffMachine(ownerPem?: string) {
  const t = openTestDb();
  if (ownerPem) enrollOwnerKey(t.repos.settings, ownerPem, t.clock());
  return t;
}

test('a bundle carries stores, staff, roles and assignments — never a secret — and a staff machine applies it', async () => {
  const owner = await ownerMachine();
  const exported = exportPolicyBundle(deps(owner.t), owner.key, null);
  assert.equal(exported.version, 1);
  assert.deepEqual(exported.counts, { stores: 2, staff: 2, roles: 2, assignments: 2 });
  assert.doesNotMatch(exported.text, /proxy-secret-42|scrypt\$|password/i);
  const file = JSON.parse(exported.text) as Record<string, unknown>;
  assert.deepEqual(Object.keys(file).sort(), ['createdAt', 'format', 'ownerFingerprint', 'payload', 'signature', 'version']);
  assert.equal(file.format, POLICY_BUNDLE_FORMAT);

  const staff = staffMachine(ownerPublicKey(owner.t.repos.settings)!.publicKeyPem);
  const log: AuditEventInput[] = [];
  const result = applyPolicyBundle(deps(staff, log), exported.text, null, enrolledOwnerKey(staff.repos.settings));
  assert.ok(result.ok, JSON.stringify(result));
  assert.deepEqual(result.counts, exported.counts);
  assert.deepEqual(result.newStaffIds.sort(), [owner.alice.id, owner.bob.id].sort());
  assert.deepEqual(staff.repos.stores.list(), owner.t.repos.stores.list().map((s) => ({ ...s, proxy: s.proxy && { scheme: s.proxy.scheme, host: s.proxy.host, port: s.proxy.port, username: s.proxy.username } })));
  assert.deepEqual(staff.repos.roles.list(), owner.t.repos.roles.list());
  assert.deepEqual(staff.repos.assignments.list(), owner.t.repos.assignments.list());
  assert.deepEqual(staff.repos.users.list().map((u) => u.username), ['alice', 'bob']);
  assert.equal((staff.db.prepare('SELECT count(*) AS n FROM secrets').get() as { n: number }).n, 0);
  assert.equal(appliedPolicy(staff.repos.settings)?.version, 1);
  assert.equal(log.length, 1);
  assert.equal(log[0]!.kind, 'owner-change');
});

test('a newer bundle replaces the policy: removed stores and staff go, kept staff keep their local password', async () => {
  const owner = await ownerMachine();
  const staff = staffMachine(ownerPublicKey(owner.t.repos.settings)!.publicKeyPem);
  assert.ok(applyPolicyBundle(deps(staff), exportPolicyBundle(deps(owner.t), owner.key, null).text, null, enrolledOwnerKey(staff.repos.settings)).ok);
  staff.db.prepare("UPDATE users SET password_hash = 'local-hash' WHERE id = ?").run(owner.alice.id);

  owner.t.repos.stores.delete(owner.de.id);
  owner.t.repos.users.delete(owner.bob.id);
  owner.t.repos.roles.delete(owner.viewer.id);
  owner.t.repos.users.update(owner.alice.id, { displayName: 'Alice Chen' });
  const second = exportPolicyBundle(deps(owner.t), owner.key, null);
  assert.equal(second.version, 2);
  const result = applyPolicyBundle(deps(staff), second.text, null, enrolledOwnerKey(staff.repos.settings));
  assert.ok(result.ok, JSON.stringify(result));
  assert.deepEqual(result.removedStoreIds, [owner.de.id]);
  assert.deepEqual(result.removedStaffIds, [owner.bob.id]);
  assert.deepEqual(result.newStaffIds, []);
  assert.deepEqual(staff.repos.roles.list().map((r) => r.name), ['Operator']);
  assert.equal(staff.repos.users.get(owner.alice.id)?.displayName, 'Alice Chen');
  assert.equal(staff.repos.users.getAccount(owner.alice.id)?.credentials.passwordHash, 'local-hash');
});

test('every refusal says why and leaves the staff machine unchanged', async () => {
  const owner = await ownerMachine();
  const ownerPem = ownerPublicKey(owner.t.repos.settings)!.publicKeyPem;
  const v1 = exportPolicyBundle(deps(owner.t), owner.key, null).text;
  const v2 = exportPolicyBundle(deps(owner.t), owner.key, null).text;

  const other = await ownerMachine();
  const foreign = exportPolicyBundle(deps(other.t), other.key, null).text;

  const staff = staffMachine();
  const attempt = (text: string, code: string, reason: RegExp) => {
    const before = dumpDatabase(staff.db);
    const log: AuditEventInput[] = [];
    const result = applyPolicyBundle(deps(staff, log), text, null, enrolledOwnerKey(staff.repos.settings));
    assert.ok(!result.ok, `expected ${code}`);
    assert.equal(result.code, code, result.reason);
    assert.match(result.reason, reason);
    assert.deepEqual(dumpDatabase(staff.db), before, `${code}: nothing may change`);
    assert.equal(log[0]?.kind, 'policy-error');
    assert.equal(log[0]?.reason, `policy-bundle-${code}`);
  };

  attempt(v2, 'not-enrolled', /not enrolled/);
  enrollOwnerKey(staff.repos.settings, ownerPem, staff.clock());
  attempt(foreign, 'wrong-key', /signed by key/);
  attempt('{"format":', 'malformed', /not JSON/);
  attempt(JSON.stringify({ hello: 'world' }), 'malformed', /not a ShopWarden policy bundle/);

  // One changed character in the payload, anywhere: the owner's signature no longer matches.
  const at = v2.indexOf('"Amazon DE"') + 3;
  attempt(flipChar(v2, at), 'bad-signature', /altered/);
  const doc = JSON.parse(v2) as { version: number };
  attempt(JSON.stringify({ ...doc, version: 99 }), 'bad-signature', /altered/);
  // Someone else's key under the owner's fingerprint.
  const { privateKey } = generateKeyPairSync('ed25519');
  const { signature: _s, ...fields } = JSON.parse(v2) as Record<string, unknown>;
  attempt(JSON.stringify({ ...fields, signature: signFields(privateKey, fields) }), 'bad-signature', /not signed by the owner/);

  // A signed bundle with a secret in it is refused all the same.
  const payload = JSON.parse(JSON.stringify((fields as { payload: { stores: Array<{ proxy: unknown }> } }).payload));
  payload.stores[0].proxy = { scheme: 'http', host: 'p', port: 8080, password: 'leaked' };
  const withSecret = { ...fields, payload };
  attempt(JSON.stringify({ ...withSecret, signature: signFields(owner.key, withSecret) }), 'invalid-payload', /password|Unrecognized/i);

  assert.ok(applyPolicyBundle(deps(staff), v2, null, enrolledOwnerKey(staff.repos.settings)).ok);
  attempt(v2, 'stale-version', /version 2 is not newer than the applied version 2/);
  attempt(v1, 'stale-version', /version 1 is not newer/);
});

test('a username the staff machine gives its own owner is a conflict, and nothing is applied', async () => {
  const owner = await ownerMachine();
  const staff = staffMachine(ownerPublicKey(owner.t.repos.settings)!.publicKeyPem);
  staff.repos.users.create({ username: 'Alice', kind: 'owner', passwordHash: 'x', passwordSalt: 'y' });
  const before = dumpDatabase(staff.db);
  const result = applyPolicyBundle(deps(staff), exportPolicyBundle(deps(owner.t), owner.key, null).text, null, enrolledOwnerKey(staff.repos.settings));
  assert.ok(!result.ok && result.code === 'conflict', JSON.stringify(result));
  assert.deepEqual(dumpDatabase(staff.db), before);
});

test('the owner key opens only with the password; resealing moves it to a new password', async () => {
  const owner = await ownerMachine();
  await assert.rejects(unlockOwnerKey(owner.t.repos.settings, 'wrong-password'), (e: unknown) => e instanceof TrustError && e.code === 'wrong-password');
  const save = await resealOwnerKey(owner.t.repos.settings, PASSWORD, 'new-password-2', { seal: SEAL });
  await unlockOwnerKey(owner.t.repos.settings, PASSWORD); // computed, not written until saved
  save!();
  await assert.rejects(unlockOwnerKey(owner.t.repos.settings, PASSWORD), /does not unlock/);
  await unlockOwnerKey(owner.t.repos.settings, 'new-password-2');
  await assert.rejects(createOwnerKey(owner.t.repos.settings, PASSWORD, 0, { seal: SEAL }), /exists already/);
  const stored = JSON.stringify(owner.t.repos.settings.getRaw('trust.owner-key'));
  assert.doesNotMatch(stored, /PRIVATE KEY/);

  const other = await ownerMachine();
  assert.throws(() => exportPolicyBundle(deps(owner.t), other.key, null), /not the owner key/);
});
