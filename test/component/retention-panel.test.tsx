// Log retention (F22): keep-days saved (and forgotten once edited), a run that archives shows
// where the file went, and each archive still in its folder can be shown there.
import { closeDom } from './helpers/dom';
import { after, afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ArchiveInfo, RetentionRun } from '../../shared/ipc/trust';
import { RetentionPanel } from '../../renderer/features/audit/RetentionPanel';
import { FakeTransport } from './helpers/fake-transport';
import { renderConsole } from './helpers/render';

afterEach(() => cleanup());
after(() => closeDom());

const archive = (fromId: number, throughId: number, present: boolean): ArchiveInfo => ({
  throughId,
  throughHash: 'ab'.repeat(32),
  cutoffTs: 1,
  cutAt: Date.UTC(2026, 10, 1),
  rowsRemoved: 500,
  archiveName: `shopwarden-log-${fromId}-${throughId}.jsonl.gz`,
  archiveSha256: 'cd'.repeat(32),
  present,
});

test('keep-days saves and says so until edited; a run shows its archive, and archives still there can be shown in their folder', async () => {
  let keepDays = 180;
  const archives = [archive(1, 500, false)];
  const cut: RetentionRun = { cut: true, fromId: 501, throughId: 900, rows: 400, headHash: 'ef'.repeat(32), cutoffTs: 2, fileName: 'shopwarden-log-501-900.jsonl.gz', archiveSha256: 'cd'.repeat(32) };
  const transport = new FakeTransport()
    .on('retention:get', () => ({ keepDays }))
    .on('retention:set', (req) => ({ keepDays: (keepDays = req.keepDays) }))
    .on('retention:archives', () => ({ folder: '/data/archives', archives: [...archives] }))
    .on('retention:run', () => {
      archives.push(archive(501, 900, true));
      return cut;
    })
    .on('files:reveal', () => ({ ok: true as const }));
  renderConsole(<RetentionPanel />, { transport });

  const field = (await screen.findByDisplayValue('180')) as HTMLInputElement;
  fireEvent.change(field, { target: { value: '90' } });
  fireEvent.click(screen.getByRole('button', { name: 'Save' }));
  assert.ok(await screen.findByText('Saved.'));
  assert.equal(keepDays, 90);
  fireEvent.change(field, { target: { value: '91' } });
  assert.equal(screen.queryByText('Saved.'), null);

  const table = screen.getByRole('table', { name: 'Archives' });
  assert.ok(within(table).getByText('File missing'), 'a missing archive cannot be shown');
  assert.equal(within(table).queryByRole('button'), null);

  fireEvent.click(screen.getByRole('button', { name: 'Archive and delete old rows now' }));
  fireEvent.click(within(screen.getByRole('alertdialog', { name: 'Archive and delete old rows?' })).getByRole('button', { name: 'Archive and delete old rows now' }));
  assert.ok(await screen.findByText(/400 rows archived to shopwarden-log-501-900\.jsonl\.gz/));
  const reveal = { name: 'Show shopwarden-log-501-900.jsonl.gz in its folder' };
  await waitFor(() => assert.equal(screen.getAllByRole('button', reveal).length, 2, 'next to the result and in the archives list'));
  fireEvent.click(screen.getAllByRole('button', reveal)[1]!);
  await waitFor(() => assert.deepEqual(transport.callsTo('files:reveal'), [{ folder: 'archives', fileName: 'shopwarden-log-501-900.jsonl.gz' }]));
});
