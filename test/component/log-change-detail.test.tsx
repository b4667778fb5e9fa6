import { closeDom } from './helpers/dom';
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, screen, within } from '@testing-library/react';
import type { AuditEvent } from '../../shared/model/audit';
import { LogDetail } from '../../renderer/features/log/LogDetail';
import type { UiLanguage } from '../../renderer/i18n';
import { formatLogTime } from '../../renderer/util/format';
import { renderConsole } from './helpers/render';
import { LOG_NAMES, OPERATOR_ROLE } from './helpers/owner-changes';

afterEach(() => cleanup());
after(() => closeDom());

// The log's detail panel for owner-change rows as the core logs them (service/deps.ts logChange):
// what changed as a table of translated fields, the record by name, the raw entity collapsed.

const names = LOG_NAMES;
const role = OPERATOR_ROLE;
const added = { id: 'rule-2', action: 'allow', filter: '{seller}/reports', note: '' };
// The new rule goes first: matched by id, the existing rule is not shown as changed.
const updated = { ...role, levels: { ...role.levels, payments: 'view' }, switches: { ...role.switches, downloads: true }, rules: [added, ...role.rules], updatedAt: 2 };
const store = { id: 's-1', name: 'Mugs US', platformId: 'amazon', homeUrl: 'https://sellercentral.amazon.com/home', group: 'US', proxy: null, createdAt: 5, updatedAt: 5 };

function changeRow(detail: Record<string, unknown>, storeId: string | null = null): AuditEvent {
  return { id: 42, ts: Date.UTC(2026, 2, 1, 9), kind: 'owner-change', actorId: 'u-owner', storeId, url: null, method: null, module: null, decision: null, reason: null, ruleId: null, detail, prevHash: '0'.repeat(64), hash: '1'.repeat(64) };
}

/** Renders the panel; its change table's rows as [field, before, after] text. */
function show(language: UiLanguage, detail: Record<string, unknown>) {
  renderConsole(<LogDetail row={changeRow(detail)} names={names} onClose={() => {}} />, { language });
  const panel = screen.getByRole('complementary');
  const table = within(panel).queryByRole('table');
  const rows = table
    ? within(table)
        .getAllByRole('row')
        .slice(1)
        .map((row) => Array.from(row.children).map((cell) => cell.textContent))
    : [];
  return { panel, rows };
}

/** The value of the panel's fact `term` (a <dt>/<dd> pair). */
function fact(panel: HTMLElement, term: string): string | null {
  const dt = Array.from(panel.querySelectorAll('dt')).find((el) => el.textContent === term);
  return dt?.nextElementSibling?.textContent ?? null;
}

describe('owner change in the log detail panel', () => {
  test('a role update, in English: a level, a switch and a rule added by id; the record by name; raw data collapsed', () => {
    const { panel, rows } = show('en', { entity: 'role', action: 'update', id: 'r-1', before: role, after: updated });
    assert.deepEqual(rows, [
      ['Module level › Payments', 'None', 'View'],
      ['Custom rule › {seller}/reports', '(none)', JSON.stringify(added)],
      ['Switch › Downloads', 'No', 'Yes'],
    ]);
    assert.equal(fact(panel, 'Record'), 'Role “Operator US”');
    assert.ok(within(panel).getByRole('heading', { name: /Role changed · Fields changed: 3/ }));
    // The raw entity (ids, epoch times) is there, but folded away; no JSON outside it.
    const raw = panel.querySelector('details.raw-change') as HTMLDetailsElement;
    assert.equal(raw.open, false);
    assert.equal(raw.querySelector('summary')?.textContent, 'Raw data');
    assert.match(within(raw).getByLabelText('Before').textContent ?? '', /"updatedAt": 1/);
    assert.match(within(raw).getByLabelText('After').textContent ?? '', /"rule-2"/);
    assert.match(within(raw).getByLabelText('Details').textContent ?? '', /"entity": "role"/);
    assert.equal(panel.querySelectorAll('pre').length, raw.querySelectorAll('pre').length);
    // The rule added is marked as added, the others as changed.
    assert.deepEqual(
      Array.from(panel.querySelectorAll('tbody tr')).map((tr) => tr.className),
      ['change-changed', 'change-added', 'change-changed'],
    );
  });

  test('the same role update, in Chinese', () => {
    const { panel, rows } = show('zh-CN', { entity: 'role', action: 'update', id: 'r-1', before: role, after: updated });
    assert.deepEqual(rows, [
      ['模块权限 › Payments', '无权限', '查看'],
      ['自定义规则 › {seller}/reports', '（无）', JSON.stringify(added)],
      ['开关 › 下载', '否', '是'],
    ]);
    assert.equal(fact(panel, '对象'), '角色“Operator US”');
    assert.equal(panel.querySelector('details.raw-change summary')?.textContent, '原始数据');
  });

  for (const [language, expected] of [
    ['en', { rows: [['Name', '(none)', 'Mugs US'], ['Platform', '(none)', 'amazon'], ['Home page', '(none)', 'https://sellercentral.amazon.com/home'], ['Group', '(none)', 'US']], record: ['Record', 'Store “Mugs US”'] }],
    ['zh-CN', { rows: [['名称', '（无）', 'Mugs US'], ['平台', '（无）', 'amazon'], ['首页', '（无）', 'https://sellercentral.amazon.com/home'], ['分组', '（无）', 'US']], record: ['对象', '店铺“Mugs US”'] }],
  ] as const) {
    test(`a store created (nothing before), in ${language}: each set field against none, bookkeeping left out`, () => {
      const { panel, rows } = show(language, { entity: 'store', action: 'create', id: 's-1', before: null, after: store });
      assert.deepEqual(rows, expected.rows);
      assert.equal(fact(panel, expected.record[0]), expected.record[1]);
      assert.ok(Array.from(panel.querySelectorAll('tbody tr')).every((tr) => tr.className === 'change-added'));
    });
  }

  for (const [language, expected] of [
    ['en', { rows: [['Staff member', 'Wang Lei (OPS_Wang_US)', '(none)'], ['Store', 'Mugs US', '(none)'], ['Role', 'Operator US', '(none)']], record: 'Assignment “Wang Lei (OPS_Wang_US) · Mugs US”', until: 'Valid until' }],
    ['zh-CN', { rows: [['员工', 'Wang Lei (OPS_Wang_US)', '（无）'], ['店铺', 'Mugs US', '（无）'], ['角色', 'Operator US', '（无）']], record: '权限分配“Wang Lei (OPS_Wang_US) · Mugs US”', until: '到期时间' }],
  ] as const) {
    test(`an assignment deleted (nothing after), in ${language}: names for ids, the end date as a date`, () => {
      const until = Date.UTC(2026, 11, 31, 16, 0);
      const assignment = { id: 'a-1', staffId: 'u-7', storeId: 's-1', roleId: 'r-1', validFrom: null, validUntil: until, scope: {}, createdAt: 5, updatedAt: 5 };
      const { panel, rows } = show(language, { entity: 'assignment', action: 'delete', id: 'a-1', before: assignment, after: null });
      assert.deepEqual(rows.slice(0, 3), expected.rows);
      assert.deepEqual(rows[3], [expected.until, formatLogTime(until, language), rows[0]![2]]);
      assert.equal(rows.length, 4, 'unset fields (validFrom, scope) and bookkeeping are left out');
      assert.ok(Object.values(panel.querySelectorAll('dd')).some((dd) => dd.textContent === expected.record));
      assert.ok(Array.from(panel.querySelectorAll('tbody tr')).every((tr) => tr.className === 'change-removed'));
    });
  }

  test('settings, a password reset and alert rules: their own labels; the record needs no second name', () => {
    let shown = show('en', { entity: 'settings', action: 'update', id: 'console', before: { idleLockMinutes: 15 }, after: { idleLockMinutes: 30 } });
    assert.deepEqual(shown.rows, [['Lock after idle (minutes)', '15', '30']]);
    assert.equal(fact(shown.panel, 'Record'), 'Settings “console”');
    cleanup();
    shown = show('zh-CN', { entity: 'staff', action: 'update', id: 'u-7', before: null, after: { passwordReset: true } });
    assert.deepEqual(shown.rows, [['重置密码', '（无）', '是']]);
    assert.equal(fact(shown.panel, '对象'), '员工“Wang Lei (OPS_Wang_US)”');
    cleanup();
    const rules = { blockBurst: { enabled: true, blocks: 5, withinMinutes: 10 }, autoSuspend: [] };
    shown = show('en', { entity: 'alert-rules', action: 'update', id: 'alert-rules', before: rules, after: { ...rules, blockBurst: { ...rules.blockBurst, blocks: 8 } } });
    assert.deepEqual(shown.rows, [['Bursts of blocks › Blocks', '5', '8']]);
    assert.equal(fact(shown.panel, 'Record'), 'Alert rules');
  });

  test('a side the log stored reduced is not compared field by field; odd keys and long values stay readable', () => {
    const omitted = { omitted: { chars: 2_400_000, sha256: 'ab'.repeat(32) } };
    let shown = show('en', { entity: 'role', action: 'update', id: 'r-1', before: role, after: omitted, detailReduced: { limit: 1_000_000, chars: 3_000_000, sha256: 'cd'.repeat(32) } });
    assert.deepEqual(shown.rows, []);
    assert.ok(within(shown.panel).getByText(/too large to log in full/));
    cleanup();
    const long = 'x'.repeat(5000);
    // Keys named like Object's own (a "__proto__" key is data in parsed JSON) are shown as they are.
    const before = JSON.parse('{"constructor": 1, "__proto__": {"x": 1}, "toString": "a", "description": ""}') as unknown;
    const afterValue = JSON.parse(`{"constructor": 2, "__proto__": {"x": 2}, "toString": "b", "description": "${long}"}`) as unknown;
    shown = show('en', { entity: 'constructor', action: 'toString', id: 'r-1', before, after: afterValue });
    assert.deepEqual(
      shown.rows.map(([field]) => field),
      ['constructor', '__proto__ › x', 'toString', 'Description'],
    );
    assert.ok(within(shown.panel).getByRole('heading', { name: /constructor toString/ }));
    const cell = shown.rows[3]![2]!;
    assert.ok(cell.length < 1000 && cell.endsWith('…'), 'a long value is cut; the raw data has it whole');
  });

  test('a reason code named like an Object property is shown as the code', () => {
    renderConsole(<LogDetail row={{ ...changeRow({}), kind: 'block', decision: 'blocked', reason: 'constructor' }} names={names} onClose={() => {}} />, { language: 'en' });
    assert.equal(fact(screen.getByRole('complementary'), 'Reason'), 'constructor');
  });
});
