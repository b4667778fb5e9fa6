// The form dialogs built on ui/FormDialog: add staff, reset a password (checked as the service
// checks it, then a success notice), and the service's refusal shown in the form.
import { closeDom } from './helpers/dom';
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { PublicUser } from '../../shared/ipc/contract';
import { StaffPage } from '../../renderer/features/staff/StaffPage';
import { fail, FakeTransport } from './helpers/fake-transport';
import { renderConsole } from './helpers/render';

afterEach(() => cleanup());
after(() => closeDom());

const li: PublicUser = { id: 'u-2', username: 'CS_Li_US', displayName: 'Li', kind: 'staff', disabled: false };

function staffBackend() {
  let users: PublicUser[] = [li];
  return new FakeTransport()
    .on('staff:list', () => users)
    .on('staff:create', (input) => {
      if (users.some((u) => u.username === input.username)) fail('conflict', 'a user with this name already exists', [{ path: 'username', message: 'already taken' }]); // as the core words it
      const user = { id: `u-${users.length + 2}`, username: input.username, displayName: input.displayName ?? '', kind: 'staff' as const, disabled: false };
      users = [...users, user];
      return user;
    })
    .on('staff:reset-password', () => ({ ok: true as const }));
}

describe('form dialogs', () => {
  test('reset password: too short and mismatched are caught before sending; then a success notice and Close', async () => {
    const transport = staffBackend();
    renderConsole(<StaffPage />, { transport });
    fireEvent.click(await screen.findByRole('button', { name: 'Reset the password of CS_Li_US' }));
    const dialog = screen.getByRole('dialog', { name: 'Reset the password of CS_Li_US' });
    fireEvent.change(within(dialog).getByLabelText('New password'), { target: { value: 'short' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reset password' }));
    assert.ok(await within(dialog).findByText('At least 10 characters.'));
    fireEvent.change(within(dialog).getByLabelText('New password'), { target: { value: 'a-good-new-password' } });
    fireEvent.change(within(dialog).getByLabelText('Repeat the new password'), { target: { value: 'a-good-new-passwort' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reset password' }));
    assert.ok(await within(dialog).findByText('The two passwords differ.'));
    assert.deepEqual(transport.callsTo('staff:reset-password'), []);
    fireEvent.change(within(dialog).getByLabelText('Repeat the new password'), { target: { value: 'a-good-new-password' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reset password' }));
    assert.ok(await within(dialog).findByText('The password has been reset.'));
    assert.deepEqual(transport.callsTo('staff:reset-password'), [{ id: 'u-2', password: 'a-good-new-password' }]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => assert.equal(screen.queryByRole('dialog'), null));
  });

  test('add staff: the service refusing the name shows on its field and the dialog stays open; a new name closes it', async () => {
    const transport = staffBackend();
    renderConsole(<StaffPage />, { transport });
    fireEvent.click((await screen.findAllByRole('button', { name: 'Add staff member' }))[0]!);
    const dialog = screen.getByRole('dialog', { name: 'Add a staff member' });
    fireEvent.change(within(dialog).getByLabelText('User name'), { target: { value: 'CS_Li_US' } });
    fireEvent.change(within(dialog).getByLabelText('Initial password'), { target: { value: 'initial-password-1' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add staff member' }));
    assert.ok(await within(dialog).findByText('Already taken by another account.'), 'the service’s fixed words in the console’s language');
    fireEvent.change(within(dialog).getByLabelText('User name'), { target: { value: 'OPS_Wang_US' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add staff member' }));
    await waitFor(() => assert.equal(transport.callsTo('staff:create').length, 2, JSON.stringify(transport.calls) + dialog.textContent));
    await waitFor(() => assert.equal(screen.queryByRole('dialog'), null, dialog.textContent ?? ''));
    assert.ok(await screen.findByText('OPS_Wang_US'));
  });
});
