import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OWNER, guardRequest, staffWithRole, startCore, type Harness } from './app-core-helpers';
import { eventually } from '../e2e/helpers/eventually';
import type { Channel } from '../../shared/ipc/contract';

const T0 = Date.UTC(2026, 0, 5, 3, 0); // a Monday
const DAY = 86_400_000;

/** A core whose clock the test moves. */
async function startAt(start = T0) {
  const time = { now: start };
  const h = await startCore({ clock: () => time.now });
  return { h, time };
}

const TRUST_CHANNELS: Array<[Channel, unknown]> = [
  ['review:get', {}],
  ['review:apply', { suggestionId: 'revoke:x' }],
  ['review:export', { format: 'csv' }],
  ['alerts:rules-get', {}],
  ['alerts:list', {}],
  ['alerts:dismiss', { ids: ['x'] }],
  ['retention:get', {}],
  ['retention:set', { keepDays: 30 }],
  ['retention:run', {}],
  ['retention:archives', {}],
  ['trust:owner-key', {}],
  ['trust:enrol', { publicKeyPem: 'x' }],
  ['policy-bundle:export', { password: OWNER.password }],
  ['policy-bundle:apply', { text: '{}' }],
  ['log-bundle:export', {}],
  ['log-bundle:import', { text: '{}' }],
  ['log-bundle:machines', {}],
  ['log-bundle:query', {}],
];

const rowCount = (h: Harness) => h.call(h.owner, 'log:count', {}).then((r) => r.count);

/** `n` blocks the host decided on its own, one minute apart. */
function blocks(h: Harness, time: { now: number }, storeId: string, userId: string, n: number) {
  for (let i = 0; i < n; i++) {
    time.now += 60_000;
    h.core.recordHostBlock({ what: 'upload', storeId, userId, url: `https://sellercentral.amazon.com/upload/${i}` });
  }
}

test('trust channels are the owner’s: staff and signed-out consoles are refused, nothing changes', async () => {
  const h = await startCore();
  try {
    const { session } = await staffWithRole(h, 'operator');
    const anonymous = h.core.newSession();
    const before = await rowCount(h);
    for (const [channel, payload] of TRUST_CHANNELS) {
      assert.equal((await h.fail(session, channel, payload)).code, 'forbidden', channel);
      assert.equal((await h.fail(anonymous, channel, payload)).code, 'not-signed-in', channel);
    }
    assert.equal(await rowCount(h), before);
  } finally {
    await h.close();
  }
});

test('access review: suggestions come from the log; applying one changes the assignment and is logged; exports land in the exports folder', async () => {
  const { h, time } = await startAt();
  try {
    const { staff, assignment } = await staffWithRole(h, 'operator');
    time.now += 31 * DAY; // a whole window without any use
    const review = await h.call(h.owner, 'review:get', {});
    const mine = review.staff.find((s) => s.staffId === staff.id);
    assert.ok(mine);
    const revoke = mine.suggestions.find((s) => s.kind === 'revoke');
    assert.ok(revoke, JSON.stringify(mine.suggestions));
    assert.equal(revoke.assignmentId, assignment.id);

    // A suggestion the review does not make is refused, with nothing changed.
    assert.equal((await h.fail(h.owner, 'review:apply', { suggestionId: 'revoke:someone-else' })).code, 'conflict');
    assert.equal((await h.call(h.owner, 'assignments:list', {})).length, 1);

    const applied = await h.call(h.owner, 'review:apply', { suggestionId: revoke.id });
    assert.equal(applied.change, 'assignment-deleted');
    assert.deepEqual(await h.call(h.owner, 'assignments:list', {}), []);
    assert.ok(h.host.events.some((e) => e.event.type === 'policy-changed'));
    const logged = await h.call(h.owner, 'log:query', { filter: { kinds: ['owner-change'] } });
    assert.ok(logged.rows.some((r) => (r.detail as { source?: string }).source === 'access-review' && (r.detail as { id?: string }).id === assignment.id));
    // Applied once: the same suggestion no longer exists.
    assert.equal((await h.fail(h.owner, 'review:apply', { suggestionId: revoke.id })).code, 'conflict');

    const csv = await h.call(h.owner, 'review:export', { format: 'csv' });
    assert.match(csv.fileName, /^shopwarden-access-review-.*\.csv$/);
    assert.equal(csv.path, join(h.dir, 'exports', csv.fileName));
    assert.match(readFileSync(csv.path, 'utf8'), /cs_operator/);
    const html = await h.call(h.owner, 'review:export', { format: 'html', timeZone: 'Asia/Shanghai' });
    assert.match(readFileSync(html.path, 'utf8'), /<html/i);
    assert.equal((await h.fail(h.owner, 'review:export', { format: 'html', timeZone: 'Mars/Olympus' })).code, 'invalid-payload');
    assert.equal((await h.fail(h.owner, 'review:export', { format: 'pdf' })).code, 'invalid-payload');
  } finally {
    await h.close();
  }
});

test('an expiring assignment needs a choice: renew to a later end, or end it', async () => {
  const { h, time } = await startAt();
  try {
    const { assignment } = await staffWithRole(h, 'operator', { validUntil: T0 + 3 * DAY });
    time.now += DAY;
    const suggestion = (await h.call(h.owner, 'review:get', {})).staff.flatMap((s) => s.suggestions).find((s) => s.kind === 'expiring');
    assert.ok(suggestion);
    assert.equal((await h.fail(h.owner, 'review:apply', { suggestionId: suggestion.id })).code, 'invalid-payload');
    assert.equal((await h.fail(h.owner, 'review:apply', { suggestionId: suggestion.id, choice: { action: 'renew', validUntil: T0 } })).code, 'invalid-payload');
    assert.equal((await h.call(h.owner, 'assignments:list', {}))[0]?.validUntil, T0 + 3 * DAY, 'unchanged after refusals');
    const renewed = await h.call(h.owner, 'review:apply', { suggestionId: suggestion.id, choice: { action: 'renew', validUntil: T0 + 90 * DAY } });
    assert.equal(renewed.change, 'assignment-renewed');
    assert.equal((await h.call(h.owner, 'assignments:list', {}))[0]?.validUntil, T0 + 90 * DAY);
    assert.equal(renewed.assignmentId, assignment.id);
  } finally {
    await h.close();
  }
});

test('alerts: N blocks within M minutes raise an alert for the owner with the rows behind it; dismissing hides it', async () => {
  const { h, time } = await startAt();
  try {
    const { staff, store } = await staffWithRole(h, 'operator');
    const rules = await h.call(h.owner, 'alerts:rules-get', {});
    const saved = await h.call(h.owner, 'alerts:rules-set', { ...rules, blockBurst: { enabled: true, blocks: 3, withinMinutes: 5 } });
    assert.equal(saved.blockBurst.blocks, 3);
    blocks(h, time, store.id, staff.id, 3);
    const { alerts, undismissed } = await h.call(h.owner, 'alerts:list', {});
    assert.equal(undismissed, 1);
    const [alert] = alerts;
    assert.ok(alert);
    assert.equal(alert.rule, 'block-burst');
    assert.equal(alert.staffId, staff.id);
    assert.equal(alert.suspended, false);
    assert.deepEqual(
      alert.rows.map((r) => [r.kind, r.actorId]),
      [
        ['block', staff.id],
        ['block', staff.id],
        ['block', staff.id],
      ],
    );
    const ownerId = (await h.call(h.owner, 'app:status', {})).session!.user.id;
    const raised = h.host.events.filter((e) => e.event.type === 'alert-raised');
    assert.deepEqual(
      raised.map((e) => e.userId),
      [ownerId],
      'told to the owner’s consoles only',
    );

    assert.deepEqual(await h.call(h.owner, 'alerts:dismiss', { ids: [alert.id, 'block-burst:999999'] }), { dismissed: 1 });
    assert.equal((await h.call(h.owner, 'alerts:list', {})).alerts.length, 0);
    assert.equal((await h.call(h.owner, 'alerts:list', { includeDismissed: true })).alerts[0]?.dismissed, true);

    // Bad rules are refused and the stored ones stay.
    for (const bad of [
      { ...saved, blockBurst: { enabled: true, blocks: 1, withinMinutes: 5 } },
      { ...saved, outsideHours: { ...saved.outsideHours, timeZone: 'Nowhere/Special' } },
      { ...saved, outsideHours: { ...saved.outsideHours, start: '09:00', end: '09:00' } },
      { ...saved, autoSuspend: ['everything'] },
    ]) {
      assert.equal((await h.fail(h.owner, 'alerts:rules-set', bad)).code, 'invalid-payload');
    }
    assert.deepEqual(await h.call(h.owner, 'alerts:rules-get', {}), saved);
  } finally {
    await h.close();
  }
});

test('automatic suspension: the alert disables the staff member, closes their stores and signs them out, logged', async () => {
  const { h, time } = await startAt();
  try {
    const { staff, store, session } = await staffWithRole(h, 'operator');
    await h.call(session, 'workspace:open-store', { storeId: store.id });
    const rules = await h.call(h.owner, 'alerts:rules-get', {});
    await h.call(h.owner, 'alerts:rules-set', { ...rules, blockBurst: { enabled: true, blocks: 3, withinMinutes: 5 }, autoSuspend: ['block-burst'] });
    blocks(h, time, store.id, staff.id, 3);
    await h.call(h.owner, 'log:verify', {}); // a flush: the rules see the blocks at once
    assert.equal((await h.call(h.owner, 'staff:list', {})).find((s) => s.id === staff.id)?.disabled, true);
    assert.ok(h.host.closed.some((c) => c.userId === staff.id && c.reason === 'disabled'));
    assert.equal((await h.fail(session, 'workspace:stores', {})).code, 'not-signed-in');
    assert.ok(h.host.events.some((e) => e.event.type === 'signed-out' && e.userId === staff.id));
    const [alert] = (await h.call(h.owner, 'alerts:list', {})).alerts;
    assert.equal(alert?.suspended, true);
    const changes = await h.call(h.owner, 'log:query', { filter: { kinds: ['owner-change'] } });
    const suspension = changes.rows.find((r) => (r.detail as { source?: string }).source === 'alert');
    assert.ok(suspension);
    assert.equal(suspension.actorId, null);
    assert.equal((suspension.detail as { alertId?: string }).alertId, alert?.id);
    assert.equal((await h.call(h.owner, 'log:verify', {})).intact, true);
  } finally {
    await h.close();
  }
});

test('retention: keep N days, run now, the archive is listed; bad settings refused', async () => {
  const { h, time } = await startAt();
  try {
    assert.deepEqual(await h.call(h.owner, 'retention:get', {}), { keepDays: 180 });
    await staffWithRole(h, 'operator');
    assert.equal((await h.fail(h.owner, 'retention:set', { keepDays: 0 })).code, 'invalid-payload');
    assert.equal((await h.fail(h.owner, 'retention:set', { keepDays: 2.5 })).code, 'invalid-payload');
    assert.deepEqual(await h.call(h.owner, 'retention:set', { keepDays: 1 }), { keepDays: 1 });
    const nothing = await h.call(h.owner, 'retention:run', {});
    assert.equal(nothing.cut, false);
    time.now += 2 * DAY;
    await h.call(h.owner, 'settings:update', { idleLockMinutes: 10 }); // one newer row
    const run = await h.call(h.owner, 'retention:run', {});
    assert.ok(run.cut, JSON.stringify(run));
    assert.match(run.fileName, /\.jsonl\.gz$/);
    const { folder, archives } = await h.call(h.owner, 'retention:archives', {});
    assert.equal(folder, join(h.dir, 'archives'));
    assert.deepEqual(
      archives.map((a) => [a.archiveName, a.present, a.throughId]),
      [[run.fileName, true, run.throughId]],
    );
    assert.ok(existsSync(join(folder, run.fileName)));
    assert.equal((await h.call(h.owner, 'log:verify', {})).intact, true);
  } finally {
    await h.close();
  }
});

test('retention asked for while a large export reads waits for it: the export has every row it counted, the cut follows', { timeout: 120_000 }, async () => {
  const { h, time } = await startAt();
  try {
    const { store, staff } = await staffWithRole(h, 'operator');
    // Enough rows for the export to read them in slices on worker threads (several connections).
    for (let i = 0; i < 60_000; i++) h.core.guard(guardRequest(store.id, staff.id, `https://sellercentral.amazon.com/orders-v3/order/${i}`));
    await h.call(h.owner, 'retention:set', { keepDays: 1 });
    time.now += 2 * DAY;
    const before = (await h.call(h.owner, 'log:count', { filter: {} }));
    assert.equal(before.capped, true, 'more rows than log:count counts');
    const exporting = h.call(h.owner, 'log:export', { filter: {}, format: 'jsonl' });
    // The export is reading (its first progress report) when the owner asks for the cut.
    await eventually(() => h.host.events.some((e) => e.event.type === 'log-export-progress'), 'the export under way');
    const cutting = h.call(h.owner, 'retention:run', {});
    const finished: string[] = [];
    const [exported, cut] = await Promise.all([exporting.finally(() => finished.push('export')), cutting.finally(() => finished.push('cut'))]);
    assert.deepEqual(finished, ['export', 'cut'], 'the cut waited for the export');
    const lines = readFileSync(exported.path, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, exported.rows);
    assert.ok(exported.rows > 60_000, `${exported.rows} rows exported`);
    assert.deepEqual(lines.map((line) => (JSON.parse(line) as { id: number }).id), Array.from({ length: exported.rows }, (_, i) => i + 1), 'every row, in order, none missing');
    assert.ok(cut.cut, JSON.stringify(cut));
    assert.ok(cut.throughId >= 60_000, 'the cut then removed the old rows');
    assert.equal((await h.call(h.owner, 'log:verify', {})).intact, true);
  } finally {
    await h.close();
  }
});

test('policy bundle: the owner exports (key created on first use, password checked); an enrolled staff machine applies only newer bundles signed by it', async () => {
  const owner = await startCore();
  const staffMachine = await startCore();
  try {
    const { store } = await staffWithRole(owner, 'operator');
    assert.equal((await owner.call(owner.owner, 'trust:owner-key', {})).ownerKey, null);
    assert.equal((await owner.fail(owner.owner, 'policy-bundle:export', { password: 'wrong-password-9' })).code, 'invalid-credentials');
    assert.equal((await owner.call(owner.owner, 'trust:owner-key', {})).ownerKey, null, 'no key made with a wrong password');
    const failed = (await owner.call(owner.owner, 'log:query', { filter: { kinds: ['login-failed'] } })).rows;
    assert.deepEqual(failed.map((r) => [r.actorId, r.reason, r.detail.channel]), [[owner.owner.user!.id, 'invalid-credentials', 'policy-bundle:export']], 'the wrong password is logged');

    const first = await owner.call(owner.owner, 'policy-bundle:export', { password: OWNER.password });
    assert.equal(first.version, 1);
    assert.deepEqual(first.counts, { stores: 1, staff: 1, roles: 8, assignments: 1 });
    const text = readFileSync(first.path, 'utf8');
    const status = await owner.call(owner.owner, 'trust:owner-key', {});
    assert.ok(status.ownerKey);
    assert.equal(status.ownerKey.shortFingerprint.replace(/ /g, ''), status.ownerKey.fingerprint.slice(0, 16));

    // Not enrolled yet: refused, nothing changed.
    const refused = await staffMachine.call(staffMachine.owner, 'policy-bundle:apply', { text });
    assert.deepEqual([refused.ok, !refused.ok && refused.code], [false, 'not-enrolled']);
    assert.deepEqual(await staffMachine.call(staffMachine.owner, 'stores:list', {}), []);

    assert.equal((await staffMachine.fail(staffMachine.owner, 'trust:enrol', { publicKeyPem: 'not a key' })).code, 'invalid-payload');
    assert.equal((await staffMachine.call(staffMachine.owner, 'trust:owner-key', {})).enrolledOwnerKey, null);
    const enrolled = await staffMachine.call(staffMachine.owner, 'trust:enrol', { publicKeyPem: status.ownerKey.publicKeyPem });
    assert.equal(enrolled.fingerprint, status.ownerKey.fingerprint);

    const tampered = text.replace(store.name, 'US elsewhere');
    const bad = await staffMachine.call(staffMachine.owner, 'policy-bundle:apply', { text: tampered });
    assert.deepEqual([bad.ok, !bad.ok && bad.code], [false, 'bad-signature']);
    assert.deepEqual(await staffMachine.call(staffMachine.owner, 'stores:list', {}), []);

    const applied = await staffMachine.call(staffMachine.owner, 'policy-bundle:apply', { text });
    assert.ok(applied.ok, JSON.stringify(applied));
    assert.equal((await staffMachine.call(staffMachine.owner, 'stores:list', {}))[0]?.name, store.name);
    assert.equal((await staffMachine.call(staffMachine.owner, 'trust:owner-key', {})).appliedPolicy?.version, 1);
    const replay = await staffMachine.call(staffMachine.owner, 'policy-bundle:apply', { text });
    assert.deepEqual([replay.ok, !replay.ok && replay.code], [false, 'stale-version']);

    // The owner changes their password: the key follows it.
    await owner.call(owner.owner, 'auth:change-password', { current: OWNER.password, next: 'another-password-2' });
    assert.equal((await owner.fail(owner.owner, 'policy-bundle:export', { password: OWNER.password })).code, 'invalid-credentials');
    const second = await owner.call(owner.owner, 'policy-bundle:export', { password: 'another-password-2' });
    assert.equal(second.version, 2);
    const newer = await staffMachine.call(staffMachine.owner, 'policy-bundle:apply', { text: readFileSync(second.path, 'utf8') });
    assert.ok(newer.ok);
  } finally {
    await owner.close();
    await staffMachine.close();
  }
});

test('log bundle: a staff machine exports its log signed; the owner imports it once and reads it under that machine’s name', async () => {
  const owner = await startCore();
  const staffMachine = await startCore();
  try {
    await staffWithRole(staffMachine, 'operator');
    const exported = await staffMachine.call(staffMachine.owner, 'log-bundle:export', { machineName: 'front-desk' });
    assert.ok(exported.rows > 0);
    assert.equal(exported.more, false);
    const text = readFileSync(exported.path, 'utf8');

    const malformed = await owner.call(owner.owner, 'log-bundle:import', { text: 'not json' });
    assert.deepEqual([malformed.ok, !malformed.ok && malformed.code], [false, 'malformed']);
    const forged = await owner.call(owner.owner, 'log-bundle:import', { text: text.replace('"front-desk"', '"back-office"') });
    assert.deepEqual([forged.ok, !forged.ok && forged.code], [false, 'bad-signature']);
    assert.deepEqual(await owner.call(owner.owner, 'log-bundle:machines', {}), []);

    const imported = await owner.call(owner.owner, 'log-bundle:import', { text });
    assert.ok(imported.ok, JSON.stringify(imported));
    assert.equal(imported.trustedNow, true);
    assert.equal(imported.imported, exported.rows);
    const machines = await owner.call(owner.owner, 'log-bundle:machines', {});
    assert.deepEqual(
      machines.map((m) => [m.name, m.rowCount]),
      [['front-desk', exported.rows]],
    );
    const page = await owner.call(owner.owner, 'log-bundle:query', { machineId: machines[0]!.machineId });
    assert.equal(page.rows.length, exported.rows);
    assert.ok(page.rows.every((r) => r.machineName === 'front-desk'));
    const again = await owner.call(owner.owner, 'log-bundle:import', { text });
    assert.deepEqual([again.ok, !again.ok && again.code], [false, 'replay']);

    // Nothing new to export is a clear refusal.
    await staffMachine.call(staffMachine.owner, 'log:verify', {});
    const next = await staffMachine.call(staffMachine.owner, 'log-bundle:export', {});
    assert.equal(next.fromId, exported.throughId + 1, 'continues after the last export');
  } finally {
    await owner.close();
    await staffMachine.close();
  }
});

test('alerts survive a restart, are not raised twice, and rows written before the restart are not skipped', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'shopwarden-alerts-'));
  const time = { now: T0 };
  try {
    const first = await startCore({ dir, clock: () => time.now });
    const { staff, store } = await staffWithRole(first, 'operator');
    const rules = await first.call(first.owner, 'alerts:rules-get', {});
    await first.call(first.owner, 'alerts:rules-set', { ...rules, blockBurst: { enabled: true, blocks: 3, withinMinutes: 5 } });
    blocks(first, time, store.id, staff.id, 3);
    assert.equal((await first.call(first.owner, 'alerts:list', {})).alerts.length, 1);
    blocks(first, time, store.id, staff.id, 2); // two of the next burst, committed at close
    await first.close();

    const second = await startCore({ dir, clock: () => time.now, setUp: false });
    await second.call(second.owner, 'auth:login', OWNER);
    blocks(second, time, store.id, staff.id, 1); // the third, after the restart
    const { alerts } = await second.call(second.owner, 'alerts:list', {});
    assert.equal(alerts.length, 2, JSON.stringify(alerts.map((a) => a.id)));
    assert.equal(alerts[0]!.rows.length, 3);
    await second.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('retention also runs on its own schedule, with no actor, and leaves a verifiable log', async () => {
  const time = { now: T0 };
  const h = await startCore({ clock: () => time.now, retention: { firstAfterMs: 400, everyMs: 60_000 } });
  try {
    await staffWithRole(h, 'operator');
    time.now += 200 * DAY; // past the default 180 days
    await h.call(h.owner, 'settings:update', { idleLockMinutes: 10 }); // one newer row to keep
    let archives: Awaited<ReturnType<typeof listArchives>> = [];
    const listArchives = async () => (await h.call(h.owner, 'retention:archives', {})).archives;
    const deadline = Date.now() + 10_000;
    while ((archives = await listArchives()).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(archives.length, 1, 'the scheduled run cut the old rows');
    assert.equal(archives[0]!.present, true);
    const runs = (await h.call(h.owner, 'log:query', { filter: { kinds: ['owner-change'] }, limit: 50 })).rows.filter((r) => (r.detail as { source?: string }).source === 'retention');
    assert.ok(runs.length >= 1 && runs.every((r) => r.actorId === null), JSON.stringify(runs.map((r) => [r.actorId, r.detail])));
    assert.equal((await h.call(h.owner, 'log:verify', {})).intact, true);
  } finally {
    await h.close();
  }
});
