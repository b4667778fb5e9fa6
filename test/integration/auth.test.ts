import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { Auth, type LoginResult, type PasswordChangeResult } from '../../electron/core/auth/auth';
import { AuthError } from '../../electron/core/auth/errors';
import { DEFAULT_LOCKOUT_POLICY } from '../../electron/core/auth/lockout';
import { DEFAULT_SCRYPT_PARAMS, hashPassword, verifyPassword, type ScryptParams } from '../../electron/core/auth/password-hash';
import { RepoError } from '../../electron/core/db/errors';
import { openTestDb } from './db-test-helpers';

/** Cheap parameters keep the file fast; one test below uses the real defaults. */
const FAST: ScryptParams = { logN: 10, r: 8, p: 1 };
const OWNER_PW = 'correct horse battery';
const STAFF_PW = 'staff password 1';
const MINUTES_5 = 5 * 60_000;

function setup(scrypt: ScryptParams = FAST) {
  const t = openTestDb();
  const auth = new Auth({ users: t.repos.users, clock: t.clock, scrypt });
  return { ...t, auth };
}

const reasonOf = (r: LoginResult | PasswordChangeResult) => (r.ok ? 'ok' : r.reason);
const authError = (code: AuthError['code'], message: RegExp) => (e: unknown) => e instanceof AuthError && e.code === code && message.test(e.message);

test('lockout policy is 5 attempts / 5 minutes', () => {
  assert.deepEqual(DEFAULT_LOCKOUT_POLICY, { maxFailedAttempts: 5, lockoutMs: MINUTES_5 });
});

test('first run: setupOwner creates the one owner, then is refused', async () => {
  const { auth, repos } = setup();
  assert.equal(auth.needsSetup(), true);
  const owner = await auth.setupOwner('Boss', OWNER_PW, 'The Boss');
  assert.deepEqual([owner.kind, owner.username, owner.displayName, owner.disabled], ['owner', 'Boss', 'The Boss', false]);
  assert.equal(auth.needsSetup(), false);
  await assert.rejects(auth.setupOwner('someone-else', OWNER_PW), authError('already-set-up', /owner account already exists/));
  assert.deepEqual(repos.users.list(), [owner]);
});

test('two setups racing: exactly one owner results', async () => {
  const { auth, repos } = setup();
  const results = await Promise.allSettled([auth.setupOwner('first', OWNER_PW), auth.setupOwner('second', OWNER_PW)]);
  assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
  const rejected = results.find((r) => r.status === 'rejected')!;
  assert.ok(rejected.reason instanceof AuthError && rejected.reason.code === 'already-set-up');
  assert.equal(repos.users.list().length, 1);
});

test('weak passwords are refused with the schema message, before anything is stored', async () => {
  const { auth, repos } = setup();
  await assert.rejects(
    auth.setupOwner('boss', 'short'),
    (e: unknown) => e instanceof AuthError && e.code === 'weak-password' && /at least 10 characters/.test(e.message) && e.issues[0]?.path === 'password',
  );
  await assert.rejects(auth.setupOwner('boss', 'x'.repeat(257)), authError('weak-password', /256/));
  await assert.rejects(auth.setupOwner('bad name', OWNER_PW), (e: unknown) => e instanceof RepoError && e.code === 'invalid-input' && /username/.test(e.message));
  assert.equal(auth.needsSetup(), true);
  assert.deepEqual(repos.users.list(), []);
  await auth.setupOwner('boss', OWNER_PW);
  await assert.rejects(auth.createStaff({ username: 'bob', password: '123456789' }), authError('weak-password', /at least 10 characters/));
  const { id } = await auth.createStaff({ username: 'bob', password: STAFF_PW });
  await assert.rejects(auth.resetPassword(id, 'tiny'), authError('weak-password', /at least 10/));
  await assert.rejects(auth.changePassword(id, STAFF_PW, 'tiny'), authError('weak-password', /at least 10/));
});

test('the default scrypt parameters: stored with the hash, 16-byte salt per user, and verifying', async () => {
  assert.deepEqual(DEFAULT_SCRYPT_PARAMS, { logN: 17, r: 8, p: 1 });
  const { auth, repos } = setup(DEFAULT_SCRYPT_PARAMS);
  const owner = await auth.setupOwner('boss', OWNER_PW);
  const { credentials } = repos.users.getAccount(owner.id)!;
  assert.match(credentials.passwordHash, /^scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/]{43}=$/);
  assert.equal(Buffer.from(credentials.passwordSalt, 'base64').length, 16);
  assert.ok(!credentials.passwordHash.includes(OWNER_PW));
  assert.equal(reasonOf(await auth.login('boss', OWNER_PW)), 'ok');
});

test('same password, different users: different salts and hashes', async () => {
  const { auth, repos } = setup();
  const a = await auth.createStaff({ username: 'amy', password: STAFF_PW });
  const b = await auth.createStaff({ username: 'bob', password: STAFF_PW });
  const [ca, cb] = [a, b].map((u) => repos.users.getAccount(u.id)!.credentials);
  assert.notEqual(ca!.passwordSalt, cb!.passwordSalt);
  assert.notEqual(ca!.passwordHash, cb!.passwordHash);
});

test('verifyPassword: right and wrong passwords, tampered or unknown hash formats', async () => {
  const credentials = await hashPassword('the password 1', FAST);
  assert.equal(await verifyPassword('the password 1', credentials), true);
  assert.equal(await verifyPassword('the password 2', credentials), false);
  assert.equal(await verifyPassword('the password 1', { ...credentials, passwordSalt: Buffer.alloc(16).toString('base64') }), false);
  const otherKey = credentials.passwordHash.replace(/[^$]+$/, Buffer.alloc(32, 7).toString('base64'));
  assert.equal(await verifyPassword('the password 1', { ...credentials, passwordHash: otherKey }), false);
  await assert.rejects(verifyPassword('x', { ...credentials, passwordHash: 'md5$abc' }), /not in a known format/);
  await assert.rejects(verifyPassword('x', { ...credentials, passwordHash: credentials.passwordHash.replace('ln=10', 'ln=28') }), /out of range/);
  // Unicode forms typed by different input methods are one password.
  const composed = await hashPassword('caf\u00e9 au lait!', FAST);
  assert.equal(await verifyPassword('cafe\u0301 au lait!', composed), true);
});

test('login: right password in any username case; wrong password and unknown user look alike', async () => {
  const { auth } = setup();
  const owner = await auth.setupOwner('Boss', OWNER_PW);
  const result = await auth.login('BOSS', OWNER_PW);
  assert.ok(result.ok);
  assert.deepEqual(result.user, owner);
  assert.deepEqual(await auth.login('boss', 'wrong password'), { ok: false, reason: 'invalid-credentials' });
  assert.deepEqual(await auth.login('nobody', OWNER_PW), { ok: false, reason: 'invalid-credentials' });
  assert.deepEqual(await auth.login('', ''), { ok: false, reason: 'invalid-credentials' });
});

test('an unknown username costs about as much as a real one (no timing enumeration)', async () => {
  const t = openTestDb();
  // A lockout that never triggers, so every timed attempt runs the same path.
  const auth = new Auth({ users: t.repos.users, clock: t.clock, scrypt: { logN: 14, r: 8, p: 1 }, lockout: { maxFailedAttempts: 1000, lockoutMs: 1 } });
  await auth.setupOwner('boss', OWNER_PW);
  const medianMs = async (username: string) => {
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const start = performance.now();
      assert.equal(reasonOf(await auth.login(username, `wrong password ${i}`)), 'invalid-credentials');
      times.push(performance.now() - start);
    }
    return times.sort((a, b) => a - b)[3]!;
  };
  const known = await medianMs('boss');
  const unknown = await medianMs('ghost');
  const ratio = unknown / known;
  assert.ok(ratio > 0.5 && ratio < 2, `unknown user ${unknown.toFixed(1)} ms vs known user ${known.toFixed(1)} ms`);
});

test('lockout: 4 wrong passwords still let the right one in, and the count restarts', async () => {
  const { auth, repos } = setup();
  const owner = await auth.setupOwner('boss', OWNER_PW);
  for (let i = 0; i < 4; i++) assert.equal(reasonOf(await auth.login('boss', 'wrong password')), 'invalid-credentials');
  assert.equal(repos.users.getAccount(owner.id)!.login.failedAttempts, 4);
  assert.equal(reasonOf(await auth.login('boss', OWNER_PW)), 'ok');
  assert.deepEqual(repos.users.getAccount(owner.id)!.login, { failedAttempts: 0, lockedUntil: null });
  for (let i = 0; i < 4; i++) assert.equal(reasonOf(await auth.login('boss', 'wrong password')), 'invalid-credentials');
  assert.equal(reasonOf(await auth.login('boss', OWNER_PW)), 'ok', 'four more failures do not lock either');
});

test('lockout: the 5th wrong password locks for exactly 5 minutes', async () => {
  const { auth, clock, repos } = setup();
  await auth.setupOwner('boss', OWNER_PW);
  for (let i = 0; i < 4; i++) {
    assert.equal(reasonOf(await auth.login('boss', 'wrong password')), 'invalid-credentials');
    clock.advance(1000);
  }
  const lockedAt = clock();
  assert.deepEqual(await auth.login('boss', 'wrong password'), { ok: false, reason: 'locked', lockedUntil: lockedAt + MINUTES_5, justLocked: true });

  clock.set(lockedAt + MINUTES_5 - 1);
  assert.deepEqual(await auth.login('BOSS', OWNER_PW), { ok: false, reason: 'locked', lockedUntil: lockedAt + MINUTES_5, justLocked: false }, 'even the right password, 1 ms before the end');
  assert.equal(reasonOf(await auth.login('boss', 'wrong password')), 'locked');
  assert.equal(repos.users.findAccountByUsername('boss')!.login.lockedUntil, lockedAt + MINUTES_5, 'attempts while locked do not extend the lock');

  clock.set(lockedAt + MINUTES_5);
  assert.equal(reasonOf(await auth.login('boss', OWNER_PW)), 'ok', 'open again at exactly 5 minutes');
});

test('lockout: after a lock ends the user has 5 fresh attempts', async () => {
  const { auth, clock } = setup();
  await auth.setupOwner('boss', OWNER_PW);
  for (let i = 0; i < 5; i++) await auth.login('boss', 'wrong password');
  clock.advance(MINUTES_5);
  for (let i = 0; i < 4; i++) assert.equal(reasonOf(await auth.login('boss', 'wrong password')), 'invalid-credentials');
  assert.equal(reasonOf(await auth.login('boss', 'wrong password')), 'locked');
});

test('lockout: concurrent wrong attempts are all counted and lock exactly once', async () => {
  const { auth } = setup();
  await auth.setupOwner('boss', OWNER_PW);
  const results = await Promise.all(Array.from({ length: 5 }, () => auth.login('boss', 'wrong password')));
  const locks = results.filter((r) => !r.ok && r.reason === 'locked' && r.justLocked);
  assert.equal(locks.length, 1);
  assert.equal(reasonOf(await auth.login('boss', OWNER_PW)), 'locked');
});

test('disabled users cannot log in; enabling them again restores access', async () => {
  const { auth, repos } = setup();
  await auth.setupOwner('boss', OWNER_PW);
  const bob = await auth.createStaff({ username: 'bob', password: STAFF_PW, displayName: 'Bob' });
  assert.equal(bob.kind, 'staff');
  assert.equal(reasonOf(await auth.login('bob', STAFF_PW)), 'ok');
  repos.users.setDisabled(bob.id, true);
  assert.deepEqual(await auth.login('bob', STAFF_PW), { ok: false, reason: 'disabled' });
  assert.deepEqual(await auth.login('bob', 'wrong password'), { ok: false, reason: 'invalid-credentials' }, 'no hint without the password');
  repos.users.setDisabled(bob.id, false);
  assert.equal(reasonOf(await auth.login('bob', STAFF_PW)), 'ok');
});

test('createStaff refuses a username taken in another letter case', async () => {
  const { auth } = setup();
  await auth.createStaff({ username: 'Bob', password: STAFF_PW });
  await assert.rejects(auth.createStaff({ username: 'BOB', password: STAFF_PW }), (e: unknown) => e instanceof RepoError && e.code === 'conflict' && /"BOB" is already taken/.test(e.message));
});

test('changePassword needs the current password; a wrong one counts towards the lockout', async () => {
  const { auth, repos } = setup();
  const owner = await auth.setupOwner('boss', OWNER_PW);
  const next = 'a brand new password';
  assert.deepEqual(await auth.changePassword(owner.id, 'not my password', next), { ok: false, reason: 'invalid-credentials' });
  assert.equal(repos.users.getAccount(owner.id)!.login.failedAttempts, 1);
  assert.deepEqual(await auth.changePassword(owner.id, OWNER_PW, next), { ok: true });
  assert.equal(reasonOf(await auth.login('boss', OWNER_PW)), 'invalid-credentials');
  assert.equal(reasonOf(await auth.login('boss', next)), 'ok');
  await assert.rejects(auth.changePassword('ghost', next, OWNER_PW), (e: unknown) => e instanceof RepoError && e.code === 'not-found');

  for (let i = 0; i < 5; i++) await auth.changePassword(owner.id, 'guess guess', OWNER_PW);
  assert.equal(reasonOf(await auth.changePassword(owner.id, next, OWNER_PW)), 'locked', 'a locked account cannot change its password either');
});

test('resetPassword replaces the password and lifts a lockout', async () => {
  const { auth } = setup();
  await auth.setupOwner('boss', OWNER_PW);
  const bob = await auth.createStaff({ username: 'bob', password: STAFF_PW });
  for (let i = 0; i < 5; i++) await auth.login('bob', 'wrong password');
  assert.equal(reasonOf(await auth.login('bob', STAFF_PW)), 'locked');
  await auth.resetPassword(bob.id, 'reset by the owner');
  assert.equal(reasonOf(await auth.login('bob', STAFF_PW)), 'invalid-credentials');
  assert.equal(reasonOf(await auth.login('bob', 'reset by the owner')), 'ok');
  await assert.rejects(auth.resetPassword('ghost', 'reset by the owner'), (e: unknown) => e instanceof RepoError && e.code === 'not-found');
});

test('confirmPassword checks a known user by id under the same rules (step-up approval)', async () => {
  const { auth } = setup();
  const owner = await auth.setupOwner('boss', OWNER_PW);
  assert.equal(reasonOf(await auth.confirmPassword(owner.id, OWNER_PW)), 'ok');
  assert.equal(reasonOf(await auth.confirmPassword(owner.id, 'wrong password')), 'invalid-credentials');
  assert.equal(reasonOf(await auth.confirmPassword('ghost', OWNER_PW)), 'invalid-credentials');
});

test('hashes made with older, cheaper parameters still verify and are upgraded at login', async () => {
  const t = openTestDb();
  const old = new Auth({ users: t.repos.users, clock: t.clock, scrypt: { logN: 10, r: 8, p: 1 } });
  const owner = await old.setupOwner('boss', OWNER_PW);
  const stronger = new Auth({ users: t.repos.users, clock: t.clock, scrypt: { logN: 11, r: 8, p: 1 } });
  assert.equal(reasonOf(await stronger.login('boss', 'wrong password')), 'invalid-credentials');
  assert.match(t.repos.users.getAccount(owner.id)!.credentials.passwordHash, /^scrypt\$ln=10,/, 'no upgrade on a failed login');
  assert.equal(reasonOf(await stronger.login('boss', OWNER_PW)), 'ok');
  assert.match(t.repos.users.getAccount(owner.id)!.credentials.passwordHash, /^scrypt\$ln=11,r=8,p=1\$/);
  assert.equal(reasonOf(await stronger.login('boss', OWNER_PW)), 'ok');
});
