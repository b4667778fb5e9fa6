import { closeDom } from './helpers/dom';
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, screen, within } from '@testing-library/react';
import { ChangeTable } from '../../renderer/features/log/ChangeTable';
import type { UiLanguage } from '../../renderer/i18n';
import { renderConsole } from './helpers/render';
import { LOG_NAMES, OPERATOR_ROLE } from './helpers/owner-changes';

afterEach(() => cleanup());
after(() => closeDom());

// Owner-change rows as the core logs them (service/deps.ts logChange): entity, action, id, before, after.
const names = LOG_NAMES;
const role = OPERATOR_ROLE;

/** The rendered table's rows as [field, before, after] text. */
function rows(language: UiLanguage, detail: Record<string, unknown>) {
  renderConsole(<ChangeTable detail={detail} names={names} />, { language });
  const table = screen.getByRole('table');
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => Array.from(row.children).map((cell) => cell.textContent));
}

describe('owner change, field by field', () => {
  test('a role update: levels by module name and in words, a switch as Yes/No, an added rule by its filter; nothing unchanged', () => {
    const added = { id: 'rule-2', action: 'allow', filter: '{seller}/reports', note: '' };
    const after = { ...role, levels: { ...role.levels, payments: 'view' }, switches: { ...role.switches, downloads: true }, rules: [...role.rules, added], updatedAt: 2 };
    assert.deepEqual(rows('en', { entity: 'role', action: 'update', id: 'r-1', before: role, after }), [
      ['Module level › Payments', 'None', 'View'],
      ['Custom rule › {seller}/reports', '(none)', JSON.stringify(added)],
      ['Switch › Downloads', 'No', 'Yes'],
    ]);
    assert.ok(screen.getByRole('heading', { name: /What changed · Role changed · Fields changed: 3/ }));
  });

  test('an assignment created: names for people and stores, times as dates, every field against nothing', () => {
    const assignment = { id: 'a-1', staffId: 'u-7', storeId: 's-1', roleId: 'r-1', validFrom: null, validUntil: Date.UTC(2026, 11, 31, 16, 0), scope: {}, createdAt: 5, updatedAt: 5 };
    const table = rows('en', { entity: 'assignment', action: 'create', id: 'a-1', before: null, after: assignment });
    assert.deepEqual(table.slice(0, 3), [
      ['Staff member', '(none)', 'Wang Lei (OPS_Wang_US)'],
      ['Store', '(none)', 'Mugs US'],
      ['Role', '(none)', 'Operator US'],
    ]);
    const until = table.find(([field]) => field === 'Valid until')!;
    assert.match(until[2]!, /2026/);
    assert.ok(!table.some(([field]) => field === 'createdAt' || field === 'updatedAt'), 'bookkeeping is left out');
  });

  test('a store deleted, in Chinese; a change that changed nothing says so', () => {
    const store = { id: 's-1', name: 'Mugs US', homeUrl: 'https://sellercentral.amazon.com/home', proxy: null };
    assert.deepEqual(rows('zh-CN', { entity: 'store', action: 'delete', id: 's-1', before: store, after: null }), [
      ['名称', 'Mugs US', '（无）'],
      ['首页', 'https://sellercentral.amazon.com/home', '（无）'],
    ]);
    cleanup();
    renderConsole(<ChangeTable detail={{ entity: 'role', action: 'update', before: role, after: { ...role, updatedAt: 3 } }} names={names} />, { language: 'en' });
    assert.ok(screen.getByText('No field changed.'));
    assert.equal(screen.queryByRole('table'), null);
  });
});
