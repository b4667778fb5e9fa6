// The signed-bundles section of the Audit page (F25, F26): each form shows the outcome of its
// own last attempt — a success, the core's refusal with its reason, or an error — and forgets the
// previous one when tried again.
import { closeDom } from './helpers/dom';
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { LogImportResult, TrustStatus } from '../../shared/ipc/trust';
import { BundlesPanel } from '../../renderer/features/audit/BundlesPanel';
import { fail, FakeTransport } from './helpers/fake-transport';
import { renderConsole } from './helpers/render';

afterEach(() => cleanup());
after(() => closeDom());

const FINGERPRINT = '0123456789abcdef'.repeat(4);
const STATUS: TrustStatus = {
  ownerKey: null,
  enrolledOwnerKey: null,
  appliedPolicy: null,
  machine: { machineId: 'm-self', name: 'Owner PC', fingerprint: 'ff'.repeat(32), shortFingerprint: 'ffff ffff ffff ffff' },
};

function bundlesBackend(importAnswers: LogImportResult[]) {
  const machines: Array<{ machineId: string; name: string; fingerprint: string; lastId: number | null; rowCount: number }> = [];
  return new FakeTransport()
    .on('trust:owner-key', () => STATUS)
    .on('log-bundle:machines', () => [...machines])
    .on('log-bundle:import', () => {
      const answer = importAnswers.shift()!;
      if (answer.ok) machines.push({ machineId: answer.machineId, name: answer.machineName, fingerprint: answer.fingerprint, lastId: answer.throughId, rowCount: answer.imported });
      return answer;
    })
    .on('policy-bundle:export', (req) => {
      if (req.password !== 'right password') fail('invalid-credentials', 'wrong password');
      return { path: '/data/exports/policy-v3.json', fileName: 'policy-v3.json', version: 3, counts: { stores: 2, staff: 3, roles: 7, assignments: 4 } };
    });
}

const imported: LogImportResult = { ok: true, machineId: 'm-1', machineName: 'Front desk PC', fingerprint: FINGERPRINT, trustedNow: true, imported: 12, duplicates: 0, fromId: 1, throughId: 12, message: 'imported' };
const replayed: LogImportResult = { ok: false, code: 'replay', reason: 'rows 1–12 of "Front desk PC" were imported before' };

describe('signed bundles panel', () => {
  test('a log import shows what came in and the new machine’s key in groups of four; a second, refused import replaces it with the reason', async () => {
    renderConsole(<BundlesPanel />, { transport: bundlesBackend([imported, replayed]) });
    const form = await screen.findByRole('form', { name: 'Import a log bundle from a staff machine' });
    const importText = async () => {
      fireEvent.change(within(form).getByLabelText('Log bundle (paste or choose a file)'), { target: { value: '{"bundle":1}' } });
      fireEvent.click(within(form).getByRole('button', { name: 'Check and import' }));
    };
    await importText();
    assert.ok(await screen.findByText('Imported from Front desk PC: 12 new rows, 0 already here.'));
    assert.ok(screen.getByText(/its key 0123 4567 89ab cdef is trusted from now on/));
    const table = await screen.findByRole('table', { name: 'Staff machines' });
    assert.ok(within(table).getByText('0123 4567 89ab cdef'));

    await importText();
    assert.ok(await screen.findByText('Already imported'));
    assert.ok(screen.getByText('rows 1–12 of "Front desk PC" were imported before'));
    assert.equal(screen.queryByText(/Imported from Front desk PC/), null, 'the earlier success is gone');
  });

  test('a policy export with a wrong password shows the error; with the right one, where the file went, and the error is gone', async () => {
    const transport = bundlesBackend([]);
    renderConsole(<BundlesPanel />, { transport });
    const form = await screen.findByRole('form', { name: 'Export the policy bundle' });
    const password = within(form).getByLabelText('Your password');
    fireEvent.change(password, { target: { value: 'wrong' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Sign and export' }));
    assert.ok(await within(form).findByText('Wrong user name or password.'));
    assert.equal((password as HTMLInputElement).value, 'wrong', 'kept for another try');

    fireEvent.change(password, { target: { value: 'right password' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Sign and export' }));
    assert.ok(await within(form).findByText('Policy bundle version 3 written to /data/exports/policy-v3.json'));
    await waitFor(() => assert.equal(within(form).queryByText('Wrong user name or password.'), null));
    assert.equal((password as HTMLInputElement).value, '', 'the password is not kept');
    assert.deepEqual(transport.callsTo('policy-bundle:export'), [{ password: 'wrong' }, { password: 'right password' }]);
  });
});
