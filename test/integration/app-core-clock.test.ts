import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { guardRequest, staffWithRole, startCore } from './app-core-helpers';
import { monotonicClock } from '../../electron/core/app/monotonic-clock';

const T0 = Date.UTC(2026, 10, 22, 9);
const HOUR = 3_600_000;

test('the clock never runs backwards, and says so once when the system clock was set back', () => {
  let wall = T0;
  let stored: number | null = null;
  const rollbacks: number[] = [];
  const mono = monotonicClock(() => wall, { read: () => stored, write: (ms) => (stored = ms) }, () => 0);
  mono.onRollback((ms) => rollbacks.push(ms));
  assert.equal(mono.clock(), T0);
  wall = T0 + HOUR;
  assert.equal(mono.clock(), T0 + HOUR);
  assert.equal(stored, T0 + HOUR);
  wall = T0 + HOUR - 30_000; // an NTP-sized correction: time stands still, no alarm
  assert.equal(mono.clock(), T0 + HOUR);
  wall = T0;
  assert.equal(mono.clock(), T0 + HOUR);
  assert.equal(mono.clock(), T0 + HOUR);
  assert.deepEqual(rollbacks, [HOUR]);
  wall = T0 + 2 * HOUR;
  assert.equal(mono.clock(), T0 + 2 * HOUR);
  // A new launch starts from the stored mark.
  const next = monotonicClock(() => T0, { read: () => stored, write: () => {} }, () => 0);
  assert.equal(next.clock(), T0 + 2 * HOUR);
});

test('while the system clock is behind, time goes on from the mark at the pace nobody can set', () => {
  let wall = T0;
  let sinceStart = 0;
  const rollbacks: number[] = [];
  const mono = monotonicClock(() => wall, { read: () => null, write: () => {} }, () => sinceStart);
  mono.onRollback((ms) => rollbacks.push(ms));
  assert.equal(mono.clock(), T0);
  wall = T0 - 7 * 24 * HOUR; // set back a week
  sinceStart += 1000;
  assert.equal(mono.clock(), T0 + 1000);
  wall += 2 * HOUR;
  sinceStart += 2 * HOUR;
  assert.equal(mono.clock(), T0 + 1000 + 2 * HOUR, 'two real hours later, two hours later');
  assert.deepEqual(rollbacks, [7 * 24 * HOUR + 1000]);
  wall = T0 + 3 * HOUR; // corrected again: the wall clock is ahead of the mark and wins
  sinceStart += 60_000;
  assert.equal(mono.clock(), T0 + 3 * HOUR);
});

test('a clock set back mid-session still ends an assignment after the real time it had left', async () => {
  let wall = T0;
  let sinceStart = 0;
  const h = await startCore({ clock: () => wall, elapsed: () => sinceStart });
  try {
    const { store, staff } = await staffWithRole(h, 'operator', { validUntil: T0 + HOUR });
    const url = 'https://sellercentral.amazon.com/orders-v3';
    assert.equal(h.core.guard(guardRequest(store.id, staff.id, url)).allowed, true);
    wall = T0 - 7 * 24 * HOUR; // the staff member sets the date back a week
    assert.equal(h.core.guard(guardRequest(store.id, staff.id, url)).allowed, true);
    wall += 2 * HOUR; // two real hours pass
    sinceStart += 2 * HOUR;
    assert.equal(h.core.guard(guardRequest(store.id, staff.id, url)).reason, 'assignment-expired');
  } finally {
    await h.close();
  }
});

test('setting the computer’s date back does not revive an expired assignment, across a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shopwarden-clock-'));
  let wall = T0;
  try {
    const first = await startCore({ dir, clock: () => wall });
    const { store, staff } = await staffWithRole(first, 'operator', { validUntil: T0 + HOUR });
    const url = 'https://sellercentral.amazon.com/orders-v3';
    assert.equal(first.core.guard(guardRequest(store.id, staff.id, url)).allowed, true);
    wall = T0 + 2 * HOUR;
    assert.equal(first.core.guard(guardRequest(store.id, staff.id, url)).reason, 'assignment-expired');
    await first.close();

    wall = T0; // the staff member sets the date back and restarts the app
    const second = await startCore({ dir, clock: () => wall, setUp: false });
    assert.equal(second.core.guard(guardRequest(store.id, staff.id, url)).reason, 'assignment-expired');
    await second.call(second.owner, 'auth:login', { username: 'boss', password: 'owner-password-1' });
    const alarms = (await second.call(second.owner, 'log:query', { filter: { kinds: ['policy-error'] } })).rows;
    assert.equal(alarms[0]?.reason, 'clock-rolled-back');
    assert.equal(alarms[0]?.detail.behindMs, 2 * HOUR);
    await second.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
