import { test } from 'node:test';
import assert from 'node:assert/strict';
import { guardRequest, OWNER, staffWithRole, startCore, type Harness } from './app-core-helpers';
import type { AuditKind } from '../../shared/model/audit';
import type { ServiceDeps } from '../../electron/core/service/deps';

const REFUND_URL = 'https://sellercentral.amazon.com/orders-v3/refund/123-456';

/** A customer-service staff member at their console, with a step-up request waiting for the owner. */
async function pendingStepUp(h: Harness) {
  const { store, staff, session } = await staffWithRole(h, 'customer-service');
  const decision = h.core.guard(guardRequest(store.id, staff.id, REFUND_URL));
  const request = h.core.reportStepUp({ storeId: store.id, userId: staff.id, url: REFUND_URL, filter: decision.filter! });
  return { store, staff, session, request };
}

const logged = async (h: Harness, kinds: AuditKind[]) => (await h.call(h.owner, 'log:query', { filter: { kinds } })).rows.reverse();

test('five wrong owner passwords in step-up approvals lock the owner: each is a step-up-deny row, the last also a lockout row', async () => {
  const h = await startCore();
  try {
    const { session, request } = await pendingStepUp(h);
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await h.fail(session, 'stepup:approve', { requestId: request.id, ownerPassword: `guess-${i}`, minutes: 5 })).code);
    assert.deepEqual(codes, ['invalid-credentials', 'invalid-credentials', 'invalid-credentials', 'invalid-credentials', 'locked']);
    const owner = (await h.call(h.owner, 'app:status', {})).session!.user;
    const rows = await logged(h, ['step-up-deny', 'lockout', 'login-failed']);
    assert.deepEqual(
      rows.map((r) => `${r.kind}/${r.reason ?? ''}`),
      [...Array(4).fill('step-up-deny/owner-password-invalid-credentials'), 'step-up-deny/owner-password-locked', 'lockout/'],
    );
    const lockout = rows.at(-1)!;
    assert.equal(lockout.actorId, owner.id);
    assert.equal(typeof lockout.detail.until, 'number');
    // The request waits on: the owner can still approve it once the lockout is over.
    assert.deepEqual((await h.call(session, 'stepup:pending', {})).map((r) => r.id), [request.id]);
  } finally {
    await h.close();
  }
});

test('a step-up request that waited past its time cannot be approved', async () => {
  const time = { now: Date.UTC(2026, 0, 5, 3, 0) };
  const h = await startCore({ clock: () => time.now });
  try {
    const { store, staff, session, request } = await pendingStepUp(h);
    time.now += 3 * 60 * 60_000; // nobody looked at the pending list meanwhile
    assert.equal((await h.fail(session, 'stepup:approve', { requestId: request.id, ownerPassword: OWNER.password, minutes: 240 })).code, 'not-found');
    assert.equal(h.core.guard(guardRequest(store.id, staff.id, REFUND_URL)).reason, 'step-up-required');
    assert.deepEqual(await logged(h, ['step-up-grant']), []);
  } finally {
    await h.close();
  }
});

test('two approvals of one request at once: one grant, the other finds the request gone', async () => {
  const h = await startCore();
  try {
    const { session, request } = await pendingStepUp(h);
    const answers = await Promise.all(
      [5, 240].map((minutes) => h.core.invoke(session, 'stepup:approve', { requestId: request.id, ownerPassword: OWNER.password, minutes })),
    );
    assert.deepEqual(answers.map((a) => (a.ok ? 'ok' : a.error.code)).sort(), ['not-found', 'ok']);
    assert.equal((await logged(h, ['step-up-grant'])).length, 1);
  } finally {
    await h.close();
  }
});

test('a wrong password or a failed check puts the request back for another try; while one approval is being checked, a second is refused', async () => {
  const h = await startCore();
  try {
    const { session, request } = await pendingStepUp(h);
    const [wrong, meanwhile] = await Promise.all([
      h.core.invoke(session, 'stepup:approve', { requestId: request.id, ownerPassword: 'not-the-owner', minutes: 5 }),
      h.core.invoke(session, 'stepup:approve', { requestId: request.id, ownerPassword: OWNER.password, minutes: 5 }),
    ]);
    assert.deepEqual([wrong.ok || wrong.error.code, meanwhile.ok || meanwhile.error.code], ['invalid-credentials', 'not-found']);
    assert.deepEqual((await h.call(session, 'stepup:pending', {})).map((r) => r.id), [request.id]);
    // A check that fails on its own (the database, say) puts it back too.
    const { auth } = (h.core as unknown as { deps: ServiceDeps }).deps;
    const confirmPassword = auth.confirmPassword.bind(auth);
    auth.confirmPassword = () => Promise.reject(new Error('disk gone'));
    await assert.rejects(h.core.invoke(session, 'stepup:approve', { requestId: request.id, ownerPassword: OWNER.password, minutes: 5 }), /disk gone/);
    auth.confirmPassword = confirmPassword;
    await h.call(session, 'stepup:approve', { requestId: request.id, ownerPassword: OWNER.password, minutes: 5 });
    assert.deepEqual(await h.call(session, 'stepup:pending', {}), []);
    assert.equal((await logged(h, ['step-up-grant'])).length, 1);
  } finally {
    await h.close();
  }
});
