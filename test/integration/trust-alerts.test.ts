import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlertEngine, evaluateAlerts } from '../../electron/core/trust/alerts';
import { defaultAlertRules, loadAlertRules, saveAlertRules, type AlertRules } from '../../electron/core/trust/alert-rules';
import { applySuspension } from '../../electron/core/trust/alert-suspension';
import { withinWorkingHours, localTime } from '../../electron/core/trust/local-time';
import { addStaff } from './db-test-helpers';
import { event, openTrustDb } from '../fixtures/trust/helpers';
import { AlertWatch } from '../../electron/core/app/alert-watch';
import type { AlertInfo } from '../../shared/ipc/trust';

const MIN = 60_000;
/** Monday 6 January 2025, 10:00 in Shanghai (UTC+8). */
const MON_10 = Date.UTC(2025, 0, 6, 2, 0);

function rules(patch: Partial<AlertRules> = {}): AlertRules {
  const base = defaultAlertRules('Asia/Shanghai');
  return {
    ...base,
    blockBurst: { enabled: true, blocks: 3, withinMinutes: 5 },
    outsideHours: { enabled: true, timeZone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' },
    ...patch,
  };
}

const block = (ts: number, actorId: string) => event(ts, { kind: 'block', actorId, decision: 'blocked', reason: 'module-none', module: 'payments' });

test('block bursts: N blocks within M minutes per staff member, with the rows behind the alert', () => {
  const t = openTrustDb();
  const ids = t.write([
    block(MON_10, 'a'),
    block(MON_10 + 3 * MIN, 'b'),
    block(MON_10 + 1 * MIN, 'a'),
    block(MON_10 + 6 * MIN, 'b'),
    block(MON_10 + 2 * MIN, 'a'),
    block(MON_10 + 3 * MIN, 'a'),
    block(MON_10 + 9 * MIN, 'b'),
  ]);
  const batch = evaluateAlerts(t.db, rules({ outsideHours: { ...rules().outsideHours, enabled: false } }));
  assert.deepEqual(
    batch.alerts.map((a) => [a.rule, a.staffId, a.rowIds]),
    [['block-burst', 'a', [ids[0], ids[2], ids[4]]]],
  );
  assert.equal(batch.alerts[0]!.id, `block-burst:${ids[4]}`);
  assert.deepEqual(batch.alerts[0]!.facts, { rule: 'block-burst', blocks: 3, withinMinutes: 5 }, 'the console words the alert from these');
  assert.deepEqual(batch.actions, []);
});

test('outside working hours: once per person and local day, in the configured time zone; the owner is not watched', () => {
  const t = openTrustDb();
  const ids = t.write([
    event(MON_10, { actorId: 'a' }), // Monday 10:00 local: fine
    event(MON_10 + 10 * 60 * MIN, { actorId: 'a', kind: 'login', storeId: null }), // Monday 20:00 local
    event(MON_10 + 11 * 60 * MIN, { actorId: 'a' }), // Monday 21:00: same day, not repeated
    event(MON_10 + 11 * 60 * MIN, { actorId: 'owner' }),
    event(MON_10 + 5 * 24 * 60 * MIN, { actorId: 'a' }), // Saturday 10:00
    event(MON_10 - 2 * 60 * MIN, { actorId: 'b', kind: 'owner-change' }), // not an activity kind
  ]);
  const batch = evaluateAlerts(t.db, rules(), {}, { isStaff: (id) => id !== 'owner' });
  assert.deepEqual(
    batch.alerts.map((a) => [a.rule, a.staffId, a.rowIds]),
    [
      ['outside-hours', 'a', [ids[1]]],
      ['outside-hours', 'a', [ids[4]]],
    ],
  );
  assert.deepEqual(batch.alerts[0]!.facts, { rule: 'outside-hours', kind: 'login', date: '2025-01-06', time: '20:00', timeZone: 'Asia/Shanghai' });
});

test('working hours across midnight (a night shift)', () => {
  const days = [1, 2, 3, 4, 5];
  const at = (iso: string) => localTime(Date.parse(iso), 'UTC');
  assert.equal(withinWorkingHours(at('2025-01-07T02:00:00Z'), days, 22 * 60, 6 * 60), true, 'Tuesday 02:00 belongs to Monday night');
  assert.equal(withinWorkingHours(at('2025-01-06T02:00:00Z'), days, 22 * 60, 6 * 60), false, 'Monday 02:00 belongs to Sunday night');
  assert.equal(withinWorkingHours(at('2025-01-10T23:00:00Z'), days, 22 * 60, 6 * 60), true, 'Friday 23:00');
  assert.equal(withinWorkingHours(at('2025-01-11T23:00:00Z'), days, 22 * 60, 6 * 60), false, 'Saturday 23:00');
  assert.equal(withinWorkingHours(at('2025-01-07T12:00:00Z'), days, 22 * 60, 6 * 60), false, 'midday');
});

test('denied step-ups raise an alert; the staff member dismissing their own request does not, unless asked', () => {
  const t = openTrustDb();
  const deny = (reason: string) => event(MON_10, { kind: 'step-up-deny', actorId: 'a', decision: 'blocked', reason });
  const ids = t.write([deny('owner-password-wrong'), deny('dismissed')]);
  const quiet = rules({ outsideHours: { ...rules().outsideHours, enabled: false } });
  assert.deepEqual(evaluateAlerts(t.db, quiet).alerts.map((a) => [a.rule, a.rowIds, a.facts]), [['step-up-denied', [ids[0]], { rule: 'step-up-denied', reason: 'owner-password-wrong' }]]);
  const all = evaluateAlerts(t.db, { ...quiet, stepUpDenied: { enabled: true, includeDismissed: true } });
  assert.deepEqual(
    all.alerts.map((a) => a.facts),
    [
      { rule: 'step-up-denied', reason: 'owner-password-wrong' },
      { rule: 'step-up-denied', reason: 'dismissed' },
    ],
  );
  assert.deepEqual(evaluateAlerts(t.db, quiet, { afterId: ids[0] }).alerts, []);
});

test('incremental polling raises exactly what a range evaluation does; a restarted engine repeats nothing', () => {
  const t = openTrustDb();
  const events = [];
  for (let i = 0; i < 40; i++) {
    const actor = `s${i % 3}`;
    events.push(i % 4 === 0 ? event(MON_10 + i * 13 * MIN, { actorId: actor }) : block(MON_10 + i * 13 * MIN, actor));
  }
  t.write(events);
  const r = rules({ blockBurst: { enabled: true, blocks: 3, withinMinutes: 90 } });
  const whole = evaluateAlerts(t.db, r);
  assert.ok(whole.alerts.length >= 4, `scenario should raise several alerts, got ${whole.alerts.length}`);

  const engine = new AlertEngine(r);
  const polled = [];
  for (let i = 0; i < 40; i++) polled.push(...engine.poll(t.db, 3).alerts);
  assert.deepEqual(polled, whole.alerts);

  // Restart half-way: the new engine warms up on the previous day's rows and continues.
  const half = new AlertEngine(r);
  const firstHalf = half.poll(t.db, 20).alerts;
  assert.equal(half.lastSeenId, 20);
  const restarted = new AlertEngine(r, { lastSeenId: half.lastSeenId });
  restarted.warmUp(t.db);
  const secondHalf = restarted.poll(t.db).alerts;
  assert.deepEqual([...firstHalf, ...secondHalf], whole.alerts);
});

test('automatic suspension: the action names the staff member; applying it suspends them here once and logs it', () => {
  const t = openTrustDb();
  const alice = addStaff(t.repos, 'alice');
  t.write([block(MON_10, alice.id), block(MON_10 + MIN, alice.id), block(MON_10 + 2 * MIN, alice.id)]);
  const batch = evaluateAlerts(t.db, rules({ autoSuspend: ['block-burst'], outsideHours: { ...rules().outsideHours, enabled: false } }));
  assert.deepEqual(batch.actions, [{ type: 'suspend-staff', staffId: alice.id, alertId: batch.alerts[0]!.id, rule: 'block-burst' }]);

  const result = applySuspension(t.deps, batch.actions[0]!);
  assert.deepEqual(result, { suspended: true, userId: alice.id });
  assert.ok(t.repos.suspensions.has(alice.id));
  assert.equal(t.repos.users.get(alice.id)?.disabled, false, 'kept apart from the policy’s own switch');
  assert.deepEqual(applySuspension(t.deps, batch.actions[0]!), { suspended: false, reason: 'already-disabled' });
  assert.deepEqual(applySuspension(t.deps, { ...batch.actions[0]!, staffId: 'nobody' }), { suspended: false, reason: 'not-found' });
  t.writer.flush();
  const row = t.db.prepare("SELECT actor_id AS actorId, detail FROM audit_log WHERE kind = 'owner-change'").get() as { actorId: string | null; detail: string };
  assert.equal(row.actorId, null);
  const detail = JSON.parse(row.detail) as Record<string, unknown>;
  assert.equal(detail.source, 'alert');
  assert.equal(detail.alertId, batch.alerts[0]!.id);
  assert.deepEqual([(detail.before as { disabled: boolean }).disabled, (detail.after as { disabled: boolean }).disabled], [false, true]);
});

test('rules are validated and kept in settings', () => {
  const t = openTrustDb();
  assert.equal(loadAlertRules(t.repos.settings).blockBurst.blocks, 10);
  assert.throws(() => saveAlertRules(t.repos.settings, { ...rules(), outsideHours: { ...rules().outsideHours, timeZone: 'Mars/Olympus' } }), /time zone/);
  assert.throws(() => saveAlertRules(t.repos.settings, { ...rules(), outsideHours: { ...rules().outsideHours, start: '25:00' } }), /08:30/);
  saveAlertRules(t.repos.settings, rules({ autoSuspend: ['step-up-denied'] }));
  assert.deepEqual(loadAlertRules(t.repos.settings).autoSuspend, ['step-up-denied']);
});

test('the watch stores each alert’s facts and raises them for the console; an alert stored before facts existed stays readable', () => {
  const t = openTrustDb();
  const alice = addStaff(t.repos, 'alice');
  const [denyId] = t.write([event(MON_10 - MIN, { kind: 'step-up-deny', actorId: alice.id, decision: 'blocked', reason: 'owner-password-invalid-credentials' })]);
  // As an older version stored it: an English sentence, no facts.
  const older = { id: `step-up-denied:${denyId}`, rule: 'step-up-denied', staffId: alice.id, storeId: 'store-1', at: MON_10 - MIN, rowIds: [denyId], message: 'a step-up approval was denied (owner-password-invalid-credentials)', suspended: false, dismissed: false };
  t.repos.settings.set('trust.alerts.state', { lastSeenId: denyId, alerts: [older] });
  saveAlertRules(t.repos.settings, rules({ outsideHours: { ...rules().outsideHours, enabled: false } }));
  const raised: AlertInfo[] = [];
  const watch = new AlertWatch({
    db: t.db,
    repos: t.repos,
    suspend: () => false,
    raised: (alert) => raised.push(alert),
    onError: (error) => {
      throw error;
    },
  });

  const [, , lastBlock] = t.write([block(MON_10, alice.id), block(MON_10 + MIN, alice.id), block(MON_10 + 2 * MIN, alice.id)]);
  watch.poll();
  const burst = { rule: 'block-burst', blocks: 3, withinMinutes: 5 };
  assert.deepEqual(raised.map((a) => [a.id, a.facts]), [[`block-burst:${lastBlock}`, burst]], 'the alert-raised event carries the facts');
  assert.deepEqual(
    watch.list(false).alerts.map((a) => [a.id, a.facts, a.message]),
    [
      [`block-burst:${lastBlock}`, burst, undefined],
      [older.id, undefined, older.message],
    ],
  );
});
