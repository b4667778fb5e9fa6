import { closeDom } from './helpers/dom';
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { BUILTIN_PLATFORMS } from '../../shared/catalog';
import { IpcCallError } from '../../shared/ipc/client';
import type { CustomRule, Role } from '../../shared/model/role';
import { parseUrlFilter } from '../../shared/policy/url-filter';
import { RulesEditor } from '../../renderer/features/roles/RulesEditor';
import { draftOf, RoleEditor } from '../../renderer/features/roles/RoleEditor';
import { filterProblem } from '../../shared/policy/filter-problem';
import { roleTemplate } from '../../shared/policy/templates';
import { RolesPage } from '../../renderer/features/roles/RolesPage';
import { fail, FakeTransport } from './helpers/fake-transport';
import { renderConsole } from './helpers/render';

afterEach(() => cleanup());
after(() => closeDom());

function Harness({ initial }: { initial: CustomRule[] }) {
  const [rules, setRules] = useState(initial);
  return <RulesEditor rules={rules} onChange={setRules} platforms={BUILTIN_PLATFORMS} />;
}

const row = (index: number) => document.querySelector<HTMLElement>(`[data-rule-index="${index}"]`)!;

describe('rule editor', () => {
  test('a wildcard host is reported inline with the parser’s own words, as it is typed', () => {
    renderConsole(<Harness initial={[{ id: 'r1', action: 'block', filter: '', note: '' }]} />);
    const input = within(row(0)).getByLabelText('URL filter');
    fireEvent.change(input, { target: { value: '*.example.com' } });
    const expected = parseUrlFilter('*.example.com');
    assert.equal(expected.ok, false);
    const alert = within(row(0)).getByRole('alert');
    assert.equal(alert.textContent, `Not a valid filter: ${(expected as { error: string }).error}`);
    assert.equal(input.getAttribute('aria-invalid'), 'true');
    assert.equal(input.getAttribute('aria-describedby'), alert.id);
    // Fixed: the error goes away.
    fireEvent.change(input, { target: { value: 'example.com' } });
    assert.ok(within(row(0)).queryByRole('alert') === null, 'the element should be gone');
  });

  test('a rule id the service would refuse is said in the console’s language as it is typed', () => {
    renderConsole(<Harness initial={[{ id: 'r1', action: 'block', filter: 'example.com', note: '' }]} />);
    const input = within(row(0)).getByLabelText('Rule id');
    fireEvent.change(input, { target: { value: 'no spaces' } });
    assert.equal(within(row(0)).getByRole('alert').textContent, '1 to 64 letters, digits, "-" or "_".');
    fireEvent.change(input, { target: { value: 'no-spaces' } });
    assert.equal(within(row(0)).queryByRole('alert'), null);
  });

  test('site placeholders ({seller}) and scope placeholders ({asin}) are valid; unknown site keys are not hidden', () => {
    assert.equal(filterProblem('{seller}/abis/listing/edit?asin={asin}', BUILTIN_PLATFORMS), null);
    assert.equal(filterProblem('{seller}/payments/', BUILTIN_PLATFORMS), null);
    assert.match(filterProblem('{seller}/*', BUILTIN_PLATFORMS) ?? '', /\*/);
  });

  test('rows can be added and removed; methods narrow a rule', () => {
    renderConsole(<Harness initial={[]} />);
    assert.ok(screen.getByText('No custom rules: module levels decide.'));
    fireEvent.click(screen.getByRole('button', { name: 'Add rule' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add rule' }));
    assert.equal(document.querySelectorAll('[data-rule-index]').length, 2);
    assert.equal((within(row(1)).getByLabelText('Rule id') as HTMLInputElement).value, 'rule-2');
    fireEvent.click(within(row(0)).getByRole('checkbox', { name: 'POST' }));
    assert.equal((within(row(0)).getByRole('checkbox', { name: 'POST' }) as HTMLInputElement).checked, true);
    fireEvent.click(screen.getByRole('button', { name: 'Remove rule 1' }));
    assert.equal(document.querySelectorAll('[data-rule-index]').length, 1);
  });

  test('a save with a bad filter is not sent; problems the service reports appear at the row they name', async () => {
    const template = roleTemplate('operator');
    const role: Role = { ...draftOf(template), id: 'role-1', createdAt: 1, updatedAt: 1, rules: [
      { id: 'allow-reports', action: 'allow', filter: '{seller}/reportcentral/', note: '' },
      { id: 'block-refunds', action: 'block', filter: '{seller}/orders-v3/refund', methods: ['POST'], note: '' },
    ] };
    const saved: unknown[] = [];
    renderConsole(
      <RoleEditor
        role={role}
        initial={draftOf(role)}
        platforms={BUILTIN_PLATFORMS}
        onCancel={() => {}}
        onSave={async (draft) => {
          saved.push(draft);
          // What roles:update answers for a filter the service refuses (paths relative to the patch).
          throw new IpcCallError('roles:update', {
            code: 'invalid-payload',
            message: 'the role has 1 problem(s)',
            issues: [{ path: 'patch.rules.1.filter', message: 'the service refuses this filter' }],
          });
        }}
      />,
    );
    // A bad filter in the first row: nothing is sent.
    const first = within(row(0)).getByLabelText('URL filter');
    fireEvent.change(first, { target: { value: '*.example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    assert.equal(saved.length, 0);
    assert.ok(screen.getByText('Fix the marked problems first.'));
    // Fixed; the service now refuses the second row's filter.
    fireEvent.change(first, { target: { value: '{seller}/reportcentral/' } });
    fireEvent.change(within(row(1)).getByLabelText('URL filter'), { target: { value: '{seller}/orders-v3/refund/' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => assert.equal(saved.length, 1));
    const alert = await within(row(1)).findByRole('alert');
    assert.equal(alert.textContent, 'the service refuses this filter');
    assert.ok(within(row(0)).queryByRole('alert') === null, 'the element should be gone');
    assert.ok(screen.getByText(/ShopWarden did not save the role: 1 problem/));
    // Editing that row clears the service's (now stale) message.
    fireEvent.change(within(row(1)).getByLabelText('URL filter'), { target: { value: '{seller}/orders-v3/refunds/' } });
    assert.ok(within(row(1)).queryByRole('alert') === null, 'the element should be gone');
  });

  test('through the roles screen: roles:create issues (rules.N.filter, stepUp.N) land on their rows', async () => {
    const transport = new FakeTransport()
      .on('roles:list', () => [])
      .on('roles:create', () =>
        fail('invalid-payload', 'the role has 2 problem(s)', [
          { path: 'rules.2.filter', message: 'no such host key here' },
          { path: 'stepUp.0', message: 'step-up filter refused' },
        ]),
      );
    renderConsole(<RolesPage />, { transport });
    fireEvent.click(await screen.findByRole('button', { name: 'New role' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('radio', { name: 'Temporary / outsourced' }));
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add page' }));
    fireEvent.change(screen.getByLabelText('Page filter 1'), { target: { value: '{seller}/tax/' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create role' }));
    await waitFor(() => assert.equal(transport.callsTo('roles:create').length, 1));
    const sent = transport.callsTo('roles:create')[0] as Role;
    assert.equal(sent.template, 'temporary');
    assert.equal(sent.rules.length, 4);
    assert.deepEqual(sent.stepUp, ['{seller}/tax/']);
    assert.equal((await within(row(2)).findByRole('alert')).textContent, 'no such host key here');
    assert.equal(screen.getByLabelText('Page filter 1').getAttribute('aria-invalid'), 'true');
    assert.ok(screen.getByText('step-up filter refused'));
  });
});

