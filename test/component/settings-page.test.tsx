// The settings page (F27): the idle-lock form says when it saved, forgets that once edited again,
// and shows a refusal next to the field.
import { closeDom } from './helpers/dom';
import { after, afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import type { AppSettings } from '../../shared/ipc/contract';
import { SettingsPage } from '../../renderer/features/settings/SettingsPage';
import { fail, FakeTransport } from './helpers/fake-transport';
import { renderConsole } from './helpers/render';

afterEach(() => cleanup());
after(() => closeDom());

test('saving the idle lock says so until the value is edited again; a refusal shows next to the field', async () => {
  let stored: AppSettings = { idleLockMinutes: 15 };
  const transport = new FakeTransport().on('settings:update', (patch) => {
    if (patch.idleLockMinutes === 13) fail('invalid-payload', 'refused', [{ path: 'idleLockMinutes', message: 'Not thirteen' }]);
    stored = { ...stored, ...patch };
    return stored;
  });
  const { services } = renderConsole(<SettingsPage />, { transport });
  act(() => services.stores.session.setState({ settings: stored }));
  const field = screen.getByLabelText('Lock the console after this many minutes without activity') as HTMLInputElement;
  await waitFor(() => assert.equal(field.value, '15'));
  // Emptied to type another number: it stays empty (it was refilled with the stored value).
  fireEvent.change(field, { target: { value: '' } });
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(field.value, '');
  assert.equal((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled, true);

  fireEvent.change(field, { target: { value: '30' } });
  fireEvent.click(screen.getByRole('button', { name: 'Save' }));
  assert.ok(await screen.findByText('Saved.'));
  assert.deepEqual(stored, { idleLockMinutes: 30 });
  fireEvent.change(field, { target: { value: '13' } });
  assert.equal(screen.queryByText('Saved.'), null, 'edited since: not saved');

  fireEvent.click(screen.getByRole('button', { name: 'Save' }));
  assert.ok(await screen.findByText('Not thirteen'));
  assert.deepEqual(stored, { idleLockMinutes: 30 });
  fireEvent.change(field, { target: { value: '481' } });
  assert.ok(screen.getByText('A whole number from 0 to 480.'));
  assert.equal((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled, true);
});
