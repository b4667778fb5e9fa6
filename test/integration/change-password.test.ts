import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { OWNER, STAFF_PASSWORD, staffWithRole, startCore, type Harness } from './app-core-helpers';
import { DATABASE_FILE } from '../../electron/core/app/app-core';
import type { AuditKind } from '../../shared/model/audit';
import type { ConsoleSession } from '../../electron/core/service/context';
import type { AppEvent } from '../../shared/ipc/events';

const NEW_PASSWORD = 'brand-new-password-9';

const logged = async (h: Harness, kinds: AuditKind[]) => (await h.call(h.owner, 'log:query', { filter: { kinds } })).rows.reverse();

test('a wrong current password is logged as login-failed naming the channel; the one that locks also as lockout', async () => {
  const h = await startCore();
  try {
    const owner = (await h.call(h.owner, 'app:status', {})).session!.user;
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await h.fail(h.owner, 'auth:change-password', { current: `guess-${i}`, next: NEW_PASSWORD })).code);
    assert.deepEqual(codes, ['invalid-credentials', 'invalid-credentials', 'invalid-credentials', 'invalid-credentials', 'locked']);
    const rows = await logged(h, ['login-failed', 'lockout']);
    assert.deepEqual(
      rows.map((r) => [r.kind, r.actorId, r.reason, r.kind === 'login-failed' ? r.detail.channel : typeof r.detail.until]),
      [
        ...Array(4).fill(['login-failed', owner.id, 'invalid-credentials', 'auth:change-password']),
        ['login-failed', owner.id, 'locked', 'auth:change-password'],
        ['lockout', owner.id, null, 'number'],
      ],
    );
  } finally {
    await h.close();
  }
});

/**
 * Records, for each signed-out event, the consoles it reached: hosts send an event for a user to
 * the consoles signed in as that user at that moment.
 */
function watchSignedOutEvents(h: Harness, consoles: Record<string, ConsoleSession>) {
  const reached: string[][] = [];
  const emit = h.host.emit.bind(h.host);
  h.host.emit = (event: AppEvent, userId?: string) => {
    emit(event, userId);
    if (event.type !== 'signed-out') return;
    reached.push(Object.entries(consoles).flatMap(([name, session]) => (userId === undefined || session.user?.id === userId ? [name] : [])));
  };
  return reached;
}

test('changing one’s password signs one out of one’s other consoles, not this one', async () => {
  const h = await startCore();
  try {
    // The owner's console left open at another screen (system-browser host: one per tab).
    const otherOwnerConsole = h.core.newSession();
    await h.call(otherOwnerConsole, 'auth:login', OWNER);
    const { store, staff, session } = await staffWithRole(h, 'operator');
    await h.call(session, 'workspace:open-store', { storeId: store.id });
    const otherStaffConsole = h.core.newSession();
    await h.call(otherStaffConsole, 'auth:login', { username: staff.username, password: STAFF_PASSWORD });
    const reached = watchSignedOutEvents(h, { owner: h.owner, otherOwnerConsole, staff: session, otherStaffConsole });

    await h.call(h.owner, 'auth:change-password', { current: OWNER.password, next: NEW_PASSWORD });
    assert.equal((await h.fail(otherOwnerConsole, 'staff:list', {})).code, 'not-signed-in');
    await h.call(h.owner, 'staff:list', {});
    await h.call(session, 'workspace:stores', {}); // someone else's change touches no one else

    await h.call(session, 'auth:change-password', { current: STAFF_PASSWORD, next: 'staff-new-password-9' });
    assert.equal((await h.fail(otherStaffConsole, 'workspace:stores', {})).code, 'not-signed-in');
    await h.call(session, 'workspace:stores', {});
    // The store windows are the person's, who is still signed in at the console that made the change.
    assert.deepEqual(h.host.openStoreIds(staff.id), [store.id]);

    assert.deepEqual(reached, [['otherOwnerConsole'], ['otherStaffConsole']]);
    const logouts = (await logged(h, ['logout'])).map((r) => [r.actorId, r.reason, r.detail]);
    const ownerId = (await h.call(h.owner, 'app:status', {})).session!.user.id;
    assert.deepEqual(logouts, [
      [ownerId, 'password-changed', { consoles: 1 }],
      [staff.id, 'password-changed', { consoles: 1 }],
    ]);

    // Alone at one's console: nothing to sign out, nothing logged.
    await h.call(session, 'auth:change-password', { current: 'staff-new-password-9', next: 'staff-newer-password-9' });
    assert.equal((await logged(h, ['logout'])).length, 2);
  } finally {
    await h.close();
  }
});

/** Makes the database refuse a write, as a full disk or a crash in the middle of it would. */
function refuseWrites(h: Harness, trigger: string) {
  const db = new Database(join(h.dir, DATABASE_FILE));
  db.exec(`CREATE TRIGGER refuse_write ${trigger} BEGIN SELECT RAISE(ABORT, 'injected write failure'); END`);
  return () => {
    db.exec('DROP TRIGGER refuse_write');
    db.close();
  };
}

for (const [where, trigger] of [
  ['the new password hash', "BEFORE UPDATE OF password_hash ON users WHEN NEW.kind = 'owner'"],
  ['the resealed owner key', "BEFORE UPDATE ON settings WHEN NEW.key = 'trust.owner-key'"],
] as const) {
  test(`the owner’s new password and the owner key resealed under it are saved together: a failed write of ${where} keeps both as they were`, async () => {
    const h = await startCore();
    try {
      await h.call(h.owner, 'policy-bundle:export', { password: OWNER.password }); // creates the owner key
      const allowWrites = refuseWrites(h, trigger);
      await assert.rejects(h.core.invoke(h.owner, 'auth:change-password', { current: OWNER.password, next: NEW_PASSWORD }), /injected write failure/);
      allowWrites();
      assert.equal((await h.fail(h.core.newSession(), 'auth:login', { username: OWNER.username, password: NEW_PASSWORD })).code, 'invalid-credentials');
      await h.call(h.owner, 'policy-bundle:export', { password: OWNER.password });

      // Written, both follow the new password.
      await h.call(h.owner, 'auth:change-password', { current: OWNER.password, next: NEW_PASSWORD });
      await h.call(h.owner, 'policy-bundle:export', { password: NEW_PASSWORD });
    } finally {
      await h.close();
    }
  });
}
