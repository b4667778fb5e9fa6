// The signed-bundles section of the Audit page (F25, F26): each form shows the outcome of its
// own last attempt — a success, the core's refusal with its reason, or an error — and forgets the
// previous one when tried again.
import { closeDom } from './helpers/dom';
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { LogImportResult, TrustStatus } from '../../shared/ipc/trust';
import { BundlesPanel } from '../../renderer/features/audit/BundlesPanel';
import { OwnerConsole } from '../../renderer/features/owner/OwnerConsole';
import { fail, FakeTransport } from './helpers/fake-transport';
import { renderConsole } from './helpers/render';

afterEach(() => cleanup());
after(() => closeDom());

const FINGERPRINT = '0123456789abcdef'.repeat(4);
const STATUS: TrustStatus = {
  ownerKey: null,
  enrolledOwnerKey: null,
  pinnedOwnerKey: null,
  appliedPolicy: null,
  management: { managed: false },
  machine: { machineId: 'm-self', name: 'Owner PC', fingerprint: 'ff'.repeat(32), shortFingerprint: 'ffff ffff ffff ffff' },
};

function bundlesBackend(importAnswers: LogImportResult[], status: TrustStatus = STATUS) {
  const machines: Array<{ machineId: string; name: string; fingerprint: string; lastId: number | null; rowCount: number }> = [];
  return new FakeTransport()
    .on('trust:owner-key', () => status)
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

  test('a machine whose owner key an administrator pinned shows that key and its file, whether it is managed, and offers no enrolment', async () => {
    const pinned: TrustStatus = {
      ...STATUS,
      pinnedOwnerKey: { publicKeyPem: 'PEM', fingerprint: FINGERPRINT, shortFingerprint: '0123 4567 89ab cdef', file: '/etc/shopwarden/owner-key.pem' },
      management: { managed: true, keySource: 'pinned-file', keyFile: '/etc/shopwarden/owner-key.pem', version: null, problem: 'no policy bundle signed with the owner key has been applied on this machine yet' },
    };
    renderConsole(<BundlesPanel />, { transport: bundlesBackend([], pinned) });
    assert.ok(await screen.findByText('Owner key pinned by an administrator'));
    assert.ok(screen.getByText(/· \/etc\/shopwarden\/owner-key\.pem/));
    assert.ok(screen.getByText('Managed, but no valid signed policy: staff have no access'));
    assert.ok(screen.getByText(/is pinned in \/etc\/shopwarden\/owner-key\.pem/));
    assert.equal(screen.queryByRole('form', { name: 'Enrol the owner key' }), null);
    assert.equal(screen.queryByText('Enrolled owner key'), null);
    assert.ok(screen.getByRole('form', { name: 'Apply a policy bundle' }), 'bundles can still be applied');
  });
});

describe('owner console on a managed machine', () => {
  const managed = (problem: string | null): TrustStatus => ({
    ...STATUS,
    appliedPolicy: problem ? null : { version: 4, appliedAt: 1 },
    management: { managed: true, keySource: 'enrolled', keyFile: null, version: problem ? null : 4, problem },
  });
  const backend = (status: TrustStatus) => bundlesBackend([], status).on('stores:list', () => []).on('policy:problems', () => []);

  test('the policy sections say where the policy comes from; other sections do not', async () => {
    renderConsole(<OwnerConsole />, { transport: backend(managed(null)) });
    assert.ok(await screen.findByText('Managed computer: policy version 4 from the owner’s signed bundle'));
    fireEvent.click(screen.getByRole('button', { name: 'Operation log' }));
    await waitFor(() => assert.equal(screen.queryByText('Managed computer: policy version 4 from the owner’s signed bundle'), null));
    fireEvent.click(screen.getByRole('button', { name: 'Roles' }));
    assert.ok(await screen.findByText('Managed computer: policy version 4 from the owner’s signed bundle'));
  });

  test('with no valid signed policy, the console says staff have no access, and why', async () => {
    renderConsole(<OwnerConsole />, { transport: backend(managed('the policy bundle kept on this machine does not verify (bad-signature)')) });
    assert.ok(await screen.findByText('Staff have no access on this computer'));
    assert.ok(screen.getByText('the policy bundle kept on this machine does not verify (bad-signature)'));
  });

  test('an unmanaged machine shows no banner', async () => {
    const transport = backend(STATUS);
    renderConsole(<OwnerConsole />, { transport });
    await waitFor(() => assert.ok(transport.callsTo('trust:owner-key').length > 0));
    await screen.findByText('No stores yet');
    assert.equal(screen.queryByText(/Managed computer/), null);
    assert.equal(screen.queryByText('Staff have no access on this computer'), null);
  });
});
