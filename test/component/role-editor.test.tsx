import { closeDom, window as domWindow } from './helpers/dom';
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { BUILTIN_PLATFORMS } from '../../shared/catalog';
import { IpcCallError } from '../../shared/ipc/client';
import type { Role } from '../../shared/model/role';
import { roleTemplate } from '../../shared/policy/templates';
import { OwnerConsole } from '../../renderer/features/owner/OwnerConsole';
import { draftOf, RoleEditor } from '../../renderer/features/roles/RoleEditor';
import { FakeTransport } from './helpers/fake-transport';
import { renderConsole } from './helpers/render';

afterEach(() => cleanup());
after(() => closeDom());

const role: Role = {
  ...draftOf(roleTemplate('operator', BUILTIN_PLATFORMS)),
  name: 'Operator US',
  id: 'role-1',
  createdAt: 1,
  updatedAt: 1,
  rules: [{ id: 'allow-reports', action: 'allow', filter: '{seller}/reportcentral/', note: '' }],
};

const QUESTION = 'Discard your unsaved changes to this role?';
const row = (index: number) => document.querySelector<HTMLElement>(`[data-rule-index="${index}"]`)!;

function ownerConsoleOnRoles(language: 'en' | 'zh-CN' = 'en') {
  const transport = new FakeTransport()
    .on('roles:list', () => [role])
    .on('catalog:platforms', () => [...BUILTIN_PLATFORMS])
    .on('staff:list', () => []);
  renderConsole(<OwnerConsole initial="roles" />, { transport, language });
}

function editor(overrides: Partial<Parameters<typeof RoleEditor>[0]> = {}) {
  return <RoleEditor role={role} initial={draftOf(role)} platforms={BUILTIN_PLATFORMS} onCancel={() => {}} onSave={async () => {}} {...overrides} />;
}

describe('role editor: unsaved changes', () => {
  test('leaving through the sidebar with unsaved edits asks first; keep editing keeps them, discard leaves', async () => {
    ownerConsoleOnRoles();
    fireEvent.click(await screen.findByRole('button', { name: 'Edit Operator US' }));
    const name = screen.getByLabelText('Role name') as HTMLInputElement;
    fireEvent.change(name, { target: { value: 'Operator US (night shift)' } });
    const sidebar = screen.getByRole('navigation', { name: 'Owner console' });

    fireEvent.click(within(sidebar).getByRole('button', { name: 'Staff' }));
    const ask = await screen.findByRole('alertdialog', { name: QUESTION });
    assert.ok(document.activeElement === within(ask).getByRole('button', { name: 'Keep editing' }), 'the safe choice has the focus');
    fireEvent.click(within(ask).getByRole('button', { name: 'Keep editing' }));
    await waitFor(() => assert.ok(screen.queryByRole('alertdialog') === null, 'the dialog should be gone'));
    assert.equal((screen.getByLabelText('Role name') as HTMLInputElement).value, 'Operator US (night shift)');

    fireEvent.click(within(sidebar).getByRole('button', { name: 'Staff' }));
    fireEvent.click(within(await screen.findByRole('alertdialog', { name: QUESTION })).getByRole('button', { name: 'Discard' }));
    await waitFor(() => assert.equal(within(sidebar).getByRole('button', { name: 'Staff' }).getAttribute('aria-current'), 'page'));
    assert.ok(screen.queryByLabelText('Role name') === null, 'the editor should be gone');
    assert.ok((document.activeElement as HTMLElement | null)?.hasAttribute('data-page-title'), 'the staff page title has the focus');
    assert.ok(screen.queryByRole('alertdialog') === null, 'the dialog should be gone');
  });

  test('an editor without edits is left at once', async () => {
    ownerConsoleOnRoles();
    fireEvent.click(await screen.findByRole('button', { name: 'Edit Operator US' }));
    const sidebar = screen.getByRole('navigation', { name: 'Owner console' });
    fireEvent.click(within(sidebar).getByRole('button', { name: 'Staff' }));
    assert.ok(screen.queryByRole('alertdialog') === null, 'the dialog should be gone');
    assert.equal(within(sidebar).getByRole('button', { name: 'Staff' }).getAttribute('aria-current'), 'page');
  });

  test('Cancel with unsaved edits asks first; without edits it cancels at once', async () => {
    let cancelled = 0;
    renderConsole(editor({ onCancel: () => cancelled++ }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    assert.equal(cancelled, 1);

    fireEvent.click(screen.getByRole('button', { name: 'Add rule' }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    const ask = await screen.findByRole('alertdialog', { name: QUESTION });
    assert.equal(cancelled, 1);
    fireEvent.click(within(ask).getByRole('button', { name: 'Keep editing' }));
    await waitFor(() => assert.ok(screen.queryByRole('alertdialog') === null, 'the dialog should be gone'));
    assert.equal(document.querySelectorAll('[data-rule-index]').length, 2, 'the added rule is still there');

    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    fireEvent.click(within(await screen.findByRole('alertdialog', { name: QUESTION })).getByRole('button', { name: 'Discard' }));
    await waitFor(() => assert.equal(cancelled, 2));
  });

  test('in Chinese too', async () => {
    ownerConsoleOnRoles('zh-CN');
    fireEvent.click(await screen.findByRole('button', { name: '编辑 Operator US' }));
    fireEvent.change(screen.getByLabelText('角色名称'), { target: { value: 'Operator US 2' } });
    fireEvent.click(within(screen.getByRole('navigation', { name: '店主控制台' })).getByRole('button', { name: '员工' }));
    const ask = await screen.findByRole('alertdialog', { name: '放弃对此角色未保存的修改？' });
    assert.ok(within(ask).getByRole('button', { name: '放弃修改' }));
    assert.ok(within(ask).getByRole('button', { name: '继续编辑' }));
  });
});

describe('role editor: a refused save takes the owner to the problem', () => {
  const scrolled: Element[] = [];
  const proto = domWindow.HTMLElement.prototype as unknown as { scrollIntoView: (options?: unknown) => void };
  const original = proto.scrollIntoView;
  proto.scrollIntoView = function (this: Element) {
    scrolled.push(this);
  };
  after(() => {
    proto.scrollIntoView = original;
  });
  afterEach(() => {
    scrolled.length = 0;
  });

  test('a bad rule typed far below: focus and scroll move to it, and what was typed stays', () => {
    renderConsole(editor({ role: null, onSave: async () => assert.fail('must not be sent') }));
    fireEvent.click(screen.getByRole('button', { name: 'Add rule' }));
    const filter = within(row(1)).getByLabelText('URL filter') as HTMLInputElement;
    fireEvent.change(filter, { target: { value: 'http://[bad' } });
    const create = screen.getByRole('button', { name: 'Create role' });
    create.focus();
    fireEvent.click(create);
    assert.ok(screen.getByText('Fix the marked problems first.'));
    assert.ok(document.activeElement === filter, 'focus should be on the marked filter');
    assert.ok(scrolled.length === 1 && scrolled[0] === filter, 'the marked filter should be scrolled into view');
    assert.equal(filter.value, 'http://[bad');
  });

  test('the first marked field wins (the role name above the rules)', () => {
    renderConsole(editor({ role: null }));
    fireEvent.change(screen.getByLabelText('Role name'), { target: { value: '  ' } });
    fireEvent.change(within(row(0)).getByLabelText('URL filter'), { target: { value: 'http://[bad' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create role' }));
    assert.ok(document.activeElement === screen.getByLabelText('Role name'), 'focus should be on the role name');
  });

  test('a problem the service reports: focus moves to the row it names', async () => {
    renderConsole(
      editor({
        onSave: async () => {
          throw new IpcCallError('roles:update', { code: 'invalid-payload', message: 'the role has 1 problem(s)', issues: [{ path: 'patch.rules.0.filter', message: 'the service refuses this filter' }] });
        },
      }),
    );
    fireEvent.change(within(row(0)).getByLabelText('URL filter'), { target: { value: '{seller}/reportcentral/v2/' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const filter = within(row(0)).getByLabelText('URL filter');
    await waitFor(() => assert.ok(document.activeElement === filter, 'focus should be on the refused filter'));
    assert.ok(scrolled.length === 1 && scrolled[0] === filter, 'the marked filter should be scrolled into view');
  });
});
