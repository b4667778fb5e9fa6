import { closeDom } from './helpers/dom';
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { ConfirmDialog } from '../../renderer/ui/ConfirmDialog';
import { StaffPage } from '../../renderer/features/staff/StaffPage';
import { FakeTransport } from './helpers/fake-transport';
import { renderConsole } from './helpers/render';

afterEach(() => cleanup());
after(() => closeDom());

function Page({ onConfirm }: { onConfirm: () => Promise<unknown> }) {
  const [open, setOpen] = useState(false);
  return (
    <div>
      <button type="button" onClick={() => setOpen(true)}>
        Delete the thing
      </button>
      {open ? (
        <ConfirmDialog title="Delete the thing?" confirmLabel="Delete" danger onConfirm={onConfirm} onClose={() => setOpen(false)}>
          <p>It cannot be undone.</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

describe('dialogs', () => {
  test('focus moves in, Tab and Shift+Tab stay inside, Escape closes and focus returns', () => {
    renderConsole(<Page onConfirm={async () => {}} />);
    const trigger = screen.getByRole('button', { name: 'Delete the thing' });
    trigger.focus();
    fireEvent.click(trigger);
    const dialog = screen.getByRole('alertdialog', { name: 'Delete the thing?' });
    assert.equal(dialog.getAttribute('aria-modal'), 'true');
    const cancel = within(dialog).getByRole('button', { name: 'Cancel' });
    const confirm = within(dialog).getByRole('button', { name: 'Delete' });
    assert.ok(document.activeElement === cancel, 'the safe choice has the focus');
    confirm.focus();
    fireEvent.keyDown(confirm, { key: 'Tab' });
    assert.ok(document.activeElement === cancel, 'Tab from the last control wraps to the first');
    fireEvent.keyDown(cancel, { key: 'Tab', shiftKey: true });
    assert.ok(document.activeElement === confirm, 'Shift+Tab from the first control wraps to the last');
    fireEvent.keyDown(confirm, { key: 'Escape' });
    assert.ok(screen.queryByRole('alertdialog') === null, 'the element should be gone');
    assert.ok(document.activeElement === trigger, 'focus should be there');
  });

  test('the action runs with a busy state; an error keeps the dialog open', async () => {
    let attempts = 0;
    renderConsole(
      <Page
        onConfirm={async () => {
          attempts++;
          if (attempts === 1) throw new Error('disk full');
        }}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Delete the thing' }));
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }));
    assert.match((await within(screen.getByRole('alertdialog')).findByRole('alert')).textContent ?? '', /disk full/);
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() => assert.ok(screen.queryByRole('alertdialog') === null, 'the element should be gone'));
    assert.equal(attempts, 2);
  });

  test('disabling a staff member asks first and says what happens', async () => {
    const alice = { id: 'u-1', username: '运营_张三_US', displayName: '', kind: 'staff' as const, disabled: false };
    const transport = new FakeTransport().on('staff:list', () => [alice]).on('staff:set-disabled', (req) => ({ ...alice, disabled: req.disabled }));
    renderConsole(<StaffPage />, { transport });
    fireEvent.click(await screen.findByRole('button', { name: 'Disable 运营_张三_US' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Disable 运营_张三_US?' });
    assert.match(dialog.textContent ?? '', /signed out and every store they have open closes immediately/);
    assert.equal(transport.callsTo('staff:set-disabled').length, 0);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Disable' }));
    await waitFor(() => assert.deepEqual(transport.callsTo('staff:set-disabled'), [{ id: 'u-1', disabled: true }]));
    assert.ok(await screen.findByText('Disabled'));
  });
});
