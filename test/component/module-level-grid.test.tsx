import { closeDom } from './helpers/dom';
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { BUILTIN_PLATFORMS } from '../../shared/catalog';
import type { Level } from '../../shared/model/common';
import { ModuleLevelGrid } from '../../renderer/features/roles/ModuleLevelGrid';
import { RolesPage } from '../../renderer/features/roles/RolesPage';
import type { Role } from '../../shared/model/role';
import { FakeTransport } from './helpers/fake-transport';
import { renderConsole } from './helpers/render';

afterEach(() => cleanup());
after(() => closeDom());

function Harness({ initial, onChange }: { initial: Record<string, Level>; onChange: (levels: Record<string, Level>, other: Level) => void }) {
  const [levels, setLevels] = useState(initial);
  const [other, setOther] = useState<Level>('view');
  return (
    <ModuleLevelGrid
      platforms={BUILTIN_PLATFORMS}
      levels={levels}
      otherLevel={other}
      onLevel={(id, level) => {
        const next = { ...levels, [id]: level };
        setLevels(next);
        onChange(next, other);
      }}
      onOtherLevel={(level) => {
        setOther(level);
        onChange(levels, level);
      }}
    />
  );
}

describe('module × level grid', () => {
  test('one radio group per catalogue module, None for modules the role does not list', () => {
    renderConsole(<Harness initial={{ orders: 'edit', reports: 'view' }} onChange={() => {}} />);
    const amazon = BUILTIN_PLATFORMS.find((p) => p.id === 'amazon')!;
    const rows = screen.getAllByRole('row').filter((r) => r.hasAttribute('data-module'));
    assert.equal(rows.length, amazon.modules.length);
    assert.equal((screen.getByRole('radio', { name: 'Orders: Edit' }) as HTMLInputElement).checked, true);
    assert.equal((screen.getByRole('radio', { name: 'Reports: View' }) as HTMLInputElement).checked, true);
    assert.equal((screen.getByRole('radio', { name: 'Payments: None' }) as HTMLInputElement).checked, true);
    // Sensitive modules are marked.
    const payments = rows.find((r) => r.getAttribute('data-module') === 'payments')!;
    assert.ok(within(payments).getByText('Sensitive'));
  });

  test('choosing a level reports the module id and level; other pages have their own row', () => {
    const changes: [Record<string, Level>, Level][] = [];
    renderConsole(<Harness initial={{}} onChange={(levels, other) => changes.push([levels, other])} />);
    fireEvent.click(screen.getByRole('radio', { name: 'Payments: View' }));
    assert.deepEqual(changes.at(-1), [{ payments: 'view' }, 'view']);
    assert.equal((screen.getByRole('radio', { name: 'Payments: View' }) as HTMLInputElement).checked, true);
    fireEvent.click(screen.getByRole('radio', { name: 'Other pages: None' }));
    assert.deepEqual(changes.at(-1), [{ payments: 'view' }, 'none']);
  });

  test('platform tabs switch the catalogue (arrow keys too); levels are shared by module id', () => {
    renderConsole(<Harness initial={{ orders: 'view' }} onChange={() => {}} />);
    const tabs = screen.getAllByRole('tab');
    assert.deepEqual(
      tabs.map((t) => t.textContent),
      BUILTIN_PLATFORMS.map((p) => p.name.en),
    );
    assert.equal(tabs[0]!.getAttribute('aria-selected'), 'true');
    fireEvent.keyDown(tabs[0]!, { key: 'ArrowRight' });
    assert.equal(screen.getAllByRole('tab')[1]!.getAttribute('aria-selected'), 'true');
    const taobao = BUILTIN_PLATFORMS.find((p) => p.id === 'taobao')!;
    assert.equal(screen.getAllByRole('row').filter((r) => r.hasAttribute('data-module')).length, taobao.modules.length);
    const orders = taobao.modules.find((m) => m.id === 'orders')!;
    assert.equal((screen.getByRole('radio', { name: `${orders.name.en}: View` }) as HTMLInputElement).checked, true);
  });

  test('in Chinese the modules and levels are named in Chinese', () => {
    renderConsole(<Harness initial={{ orders: 'edit' }} onChange={() => {}} />, { language: 'zh-CN' });
    const orders = BUILTIN_PLATFORMS[0]!.modules.find((m) => m.id === 'orders')!;
    assert.equal((screen.getByRole('radio', { name: `${orders.name.zh}: 编辑` }) as HTMLInputElement).checked, true);
  });

  test('the role editor sends the grid’s levels with roles:create', async () => {
    const transport = new FakeTransport()
      .on('roles:list', () => [])
      .on('policy:problems', () => [])
      .on('roles:create', (input) => ({ ...(input as Role), id: 'r1', createdAt: 1, updatedAt: 1 }) as Role);
    renderConsole(<RolesPage />, { transport });
    fireEvent.click(await screen.findByRole('button', { name: 'New role' }));
    const dialog = screen.getByRole('dialog');
    fireEvent.click(within(dialog).getByRole('radio', { name: 'Empty (nothing allowed)' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Continue' }));
    fireEvent.change(screen.getByLabelText('Role name'), { target: { value: 'Listing editor' } });
    fireEvent.click(screen.getByRole('radio', { name: 'Listings & catalogue: Edit' }));
    fireEvent.click(screen.getByRole('radio', { name: 'Orders: View' }));
    fireEvent.click(screen.getByRole('button', { name: 'Create role' }));
    await waitFor(() => assert.equal(transport.callsTo('roles:create').length, 1));
    const sent = transport.callsTo('roles:create')[0] as Role;
    assert.equal(sent.name, 'Listing editor');
    assert.deepEqual(sent.levels, { listings: 'edit', orders: 'view' });
    assert.equal(sent.otherLevel, 'none');
  });
});
