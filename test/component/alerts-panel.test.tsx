// The alerts section of the Audit page (F24): each alert with the log rows behind it, dismissing,
// a new alert arriving through the host's event, and the rules form showing the service's refusal.
import { closeDom } from './helpers/dom';
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { AlertRules, AlertWithRows } from '../../shared/ipc/trust';
import type { AuditEvent } from '../../shared/model/audit';
import { AlertsPanel } from '../../renderer/features/audit/AlertsPanel';
import { routeEvent } from '../../renderer/state';
import { fail, FakeTransport } from './helpers/fake-transport';
import { renderConsole } from './helpers/render';

afterEach(() => cleanup());
after(() => closeDom());

const T0 = Date.UTC(2026, 0, 5, 2, 0);
const hash = (n: number) => n.toString(16).padStart(64, '0');

function block(id: number): AuditEvent {
  return {
    id,
    ts: T0 + id * 60_000,
    kind: 'block',
    actorId: 'u-li',
    storeId: 's-us',
    url: `https://sellercentral.amazon.com/payments/${id}`,
    method: 'GET',
    module: 'payments',
    decision: 'blocked',
    reason: 'module-none',
    ruleId: null,
    detail: {},
    prevHash: hash(id - 1),
    hash: hash(id),
  };
}

function alertOf(id: number, dismissed = false): AlertWithRows {
  const rows = [block(id - 2), block(id - 1), block(id)];
  return {
    id: `block-burst:${id}`,
    rule: 'block-burst',
    staffId: 'u-li',
    storeId: 's-us',
    at: rows[2]!.ts,
    rowIds: rows.map((r) => r.id),
    facts: { rule: 'block-burst', blocks: 3, withinMinutes: 5 },
    suspended: false,
    dismissed,
    rows,
  };
}

/** One alert of each rule, as the core words nothing: the console builds the sentence. */
function alertsOfEachRule(): AlertWithRows[] {
  const login: AuditEvent = { ...block(40), kind: 'login', storeId: null, url: null, method: null, module: null, decision: null, reason: null };
  const denied: AuditEvent = { ...block(41), kind: 'step-up-deny', reason: 'owner-password-invalid-credentials' };
  const base = { staffId: 'u-li', storeId: null, suspended: false, dismissed: false };
  return [
    { ...base, id: 'step-up-denied:41', rule: 'step-up-denied', at: denied.ts, rowIds: [41], facts: { rule: 'step-up-denied', reason: 'owner-password-invalid-credentials' }, rows: [denied] },
    { ...base, id: 'outside-hours:40', rule: 'outside-hours', at: login.ts, rowIds: [40], facts: { rule: 'outside-hours', kind: 'login', date: '2026-01-05', time: '22:30', timeZone: 'Asia/Shanghai' }, rows: [login] },
    alertOf(12),
  ];
}

const RULES: AlertRules = {
  blockBurst: { enabled: true, blocks: 3, withinMinutes: 5 },
  outsideHours: { enabled: false, timeZone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5], start: '08:00', end: '20:00' },
  stepUpDenied: { enabled: true, includeDismissed: false },
  autoSuspend: [],
};

function alertsBackend() {
  let alerts = [alertOf(12)];
  const transport = new FakeTransport()
    .on('alerts:list', (req) => {
      const shown = alerts.filter((a) => req.includeDismissed || !a.dismissed);
      return { alerts: shown, undismissed: alerts.filter((a) => !a.dismissed).length };
    })
    .on('alerts:dismiss', (req) => {
      alerts = alerts.map((a) => (req.ids.includes(a.id) ? { ...a, dismissed: true } : a));
      return { dismissed: req.ids.length };
    })
    .on('alerts:rules-get', () => RULES)
    .on('alerts:rules-set', (rules) => {
      if (rules.blockBurst.blocks < 2) fail('invalid-payload', 'invalid request for alerts:rules-set', [{ path: 'blockBurst.blocks', message: 'Too small: expected number to be >=2' }]);
      return rules;
    });
  return { transport, add: (a: AlertWithRows) => (alerts = [a, ...alerts]) };
}

function listing(alerts: AlertWithRows[]) {
  return new FakeTransport().on('alerts:list', () => ({ alerts, undismissed: alerts.length })).on('alerts:rules-get', () => RULES);
}

const names = (id: string | null) => (id === 'u-li' ? 'Li' : id === 's-us' ? 'Amazon US' : (id ?? '—'));

describe('alerts panel', () => {
  test('an alert shows who, what and the log rows behind it; Dismiss hides it', async () => {
    const { transport } = alertsBackend();
    renderConsole(<AlertsPanel names={names} />, { transport });
    const list = await screen.findByRole('list', { name: 'Alerts, newest first' });
    const item = within(list).getByRole('listitem', { name: 'Many blocks in a short time: Li' });
    assert.ok(within(item).getByText('Log rows behind this alert: 3'));
    const rows = within(item).getByRole('table', { name: 'Log rows behind the alert Many blocks in a short time for Li' });
    assert.equal(within(rows).getAllByRole('row').length, 4, 'a header and the three blocks');
    assert.ok(within(rows).getByText('https://sellercentral.amazon.com/payments/12'));
    assert.equal(within(rows).getAllByText('Amazon US').length, 3);

    fireEvent.click(within(item).getByRole('button', { name: 'Dismiss the alert Many blocks in a short time for Li' }));
    assert.ok(await screen.findByText('No alerts.'));
    assert.deepEqual(transport.callsTo('alerts:dismiss'), [{ ids: ['block-burst:12'] }]);

    fireEvent.click(screen.getByLabelText('Show dismissed alerts'));
    assert.ok(await screen.findByRole('listitem', { name: 'Many blocks in a short time: Li' }));
  });

  test('a new alert pushed by the host counts for the nav badge and appears in the open list', async () => {
    const { transport, add } = alertsBackend();
    const { services } = renderConsole(<AlertsPanel names={names} />, { transport });
    services.client.onEvent((event) => routeEvent(services.stores, event));
    await screen.findByRole('listitem', { name: 'Many blocks in a short time: Li' });
    assert.equal(services.stores.audit.getState().undismissed, 1);

    const fresh = alertOf(30);
    add(fresh);
    const { rows: _rows, ...info } = fresh;
    act(() => transport.emit({ type: 'alert-raised', alert: info }));
    await waitFor(() => assert.equal(screen.getAllByRole('listitem', { name: 'Many blocks in a short time: Li' }).length, 2));
    assert.equal(services.stores.audit.getState().undismissed, 2);
  });

  test('each alert reads as a sentence in English, from its facts, with reason codes in words', async () => {
    renderConsole(<AlertsPanel names={names} />, { transport: listing(alertsOfEachRule()) });
    const list = await screen.findByRole('list', { name: 'Alerts, newest first' });
    assert.ok(within(list).getByText('A step-up approval was denied: The owner’s password was wrong.'));
    assert.ok(within(list).getByText('Activity outside working hours: Sign-in on Jan 5, 2026 at 22:30 (Asia/Shanghai).'));
    assert.ok(within(list).getByText('3 blocked requests within 5 minutes.'));
    const text = list.textContent ?? '';
    for (const code of ['owner-password-invalid-credentials', 'module-none']) assert.ok(!text.includes(code), `no code ${code} in: ${text}`);
  });

  test('each alert reads as a sentence in Chinese, with no English and no codes', async () => {
    renderConsole(<AlertsPanel names={names} />, { transport: listing(alertsOfEachRule()), language: 'zh-CN' });
    const list = await screen.findByRole('list', { name: '告警，最新的在前' });
    assert.ok(within(list).getByText('二次验证审批被拒绝：店主密码错误。'));
    assert.ok(within(list).getByText('非工作时间活动：2026年1月5日 22:30（Asia/Shanghai）登录。'));
    assert.ok(within(list).getByText('5 分钟内有 3 次请求被拦截。'));
    const text = list.textContent ?? '';
    for (const code of ['owner-password-invalid-credentials', 'module-none', 'denied', 'blocked', 'login']) assert.ok(!text.includes(code), `no ${code} in: ${text}`);
  });

  test('an alert stored by an older version, without facts, still shows its stored sentence', async () => {
    const { facts: _facts, ...older } = alertOf(12);
    renderConsole(<AlertsPanel names={names} />, { transport: listing([{ ...older, message: '3 blocked requests within 5 minutes' }]) });
    assert.ok(await screen.findByText('3 blocked requests within 5 minutes'));
  });

  test('the rules form shows the service’s refusal next to the field and keeps the stored rules', async () => {
    const { transport } = alertsBackend();
    renderConsole(<AlertsPanel names={names} />, { transport });
    const form = await screen.findByRole('form', { name: 'Alert rules' });
    fireEvent.change(within(form).getByLabelText('Number of blocks'), { target: { value: '1' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save rules' }));
    assert.ok(await within(form).findByText('Too small: expected number to be >=2'));
    fireEvent.change(within(form).getByLabelText('Number of blocks'), { target: { value: '4' } });
    fireEvent.click(within(within(form).getByRole('group', { name: 'Suspend the staff member automatically' })).getByLabelText('Many blocks in a short time'));
    fireEvent.click(within(form).getByRole('button', { name: 'Save rules' }));
    assert.ok(await within(form).findByText('Saved.'));
    const sent = transport.callsTo('alerts:rules-set').at(-1) as AlertRules;
    assert.equal(sent.blockBurst.blocks, 4);
    assert.deepEqual(sent.autoSuspend, ['block-burst']);
    fireEvent.change(within(form).getByLabelText('Number of blocks'), { target: { value: '5' } });
    assert.equal(within(form).queryByText('Saved.'), null, 'edited since: not saved');
  });
});
