// A sign-in is slow on purpose (scrypt), so the owner can reset the password or disable the
// person while one is under way. Whatever finishes first, the old password must not win.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OWNER, STAFF_PASSWORD, startCore, type Harness } from './app-core-helpers';

const NEW_PASSWORD = 'brand-new-password-2';

/** bob's password hashed at `madeWith`, the app then run at `runWith` (a raised or lowered hashing cost). */
async function bobHashedAt(madeWith: number, runWith: number): Promise<{ h: Harness; bobId: string; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'sw-sign-in-races-'));
  const first = await startCore({ dir, scryptLogN: madeWith });
  const bob = await first.call(first.owner, 'staff:create', { username: 'bob', password: STAFF_PASSWORD });
  await first.close();
  const h = await startCore({ dir, setUp: false, scryptLogN: runWith });
  await h.call(h.owner, 'auth:login', OWNER);
  return { h, bobId: bob.id, cleanup: async () => (await h.close(), rmSync(dir, { recursive: true, force: true })) };
}

async function passwordWorks(h: Harness, password: string): Promise<boolean> {
  return (await h.core.invoke(h.core.newSession(), 'auth:login', { username: 'bob', password })).ok;
}

test('a reset that lands while a sign-in with the old password is being checked: that sign-in fails', async () => {
  // The stored hash is costly to check, the reset's new one quick to make: the reset lands first.
  const { h, bobId, cleanup } = await bobHashedAt(15, 10);
  try {
    const console = h.core.newSession();
    const login = h.core.invoke(console, 'auth:login', { username: 'bob', password: STAFF_PASSWORD });
    await h.call(h.owner, 'staff:reset-password', { id: bobId, password: NEW_PASSWORD });
    const answer = await login;
    assert.deepEqual([answer.ok || answer.error.code, console.user], ['invalid-credentials', null]);
    assert.deepEqual([await passwordWorks(h, NEW_PASSWORD), await passwordWorks(h, STAFF_PASSWORD)], [true, false]);
  } finally {
    await cleanup();
  }
});

test('a sign-in that re-hashes (the hashing cost was raised) never writes the old password back over a reset', async () => {
  const { h, bobId, cleanup } = await bobHashedAt(10, 15);
  try {
    // The reset starts hashing first; the sign-in checks the cheap old hash, then re-hashes it.
    const reset = h.call(h.owner, 'staff:reset-password', { id: bobId, password: NEW_PASSWORD });
    const console = h.core.newSession();
    const answer = await h.core.invoke(console, 'auth:login', { username: 'bob', password: STAFF_PASSWORD });
    await reset;
    assert.equal(console.user, null, answer.ok ? 'signed in with the old password' : answer.error.code);
    assert.deepEqual([await passwordWorks(h, NEW_PASSWORD), await passwordWorks(h, STAFF_PASSWORD)], [true, false]);
  } finally {
    await cleanup();
  }
});

test('disabled while the sign-in re-hashes: not signed in', async () => {
  const { h, bobId, cleanup } = await bobHashedAt(10, 16);
  try {
    const console = h.core.newSession();
    const login = h.core.invoke(console, 'auth:login', { username: 'bob', password: STAFF_PASSWORD });
    await new Promise((resolve) => setTimeout(resolve, 100)); // the cheap check is done, the re-hash runs
    await h.call(h.owner, 'staff:set-disabled', { id: bobId, disabled: true });
    const answer = await login;
    assert.deepEqual([answer.ok || answer.error.code, console.user], ['disabled', null]);
  } finally {
    await cleanup();
  }
});
