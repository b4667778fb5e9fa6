// The assignment dialog: what it sends back for the fields the owner did not touch.
import { closeDom } from './helpers/dom';
import { after, afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import type { PublicUser } from '../../shared/ipc/contract';
import type { Assignment } from '../../shared/model/assignment';
import type { Role } from '../../shared/model/role';
import type { Store } from '../../shared/model/store';
import { roleTemplate } from '../../shared/policy/templates';
import { AssignmentDialog } from '../../renderer/features/assignments/AssignmentDialog';
import { FakeTransport } from './helpers/fake-transport';
import { renderConsole } from './helpers/render';

afterEach(() => cleanup());
after(() => closeDom());

const NOW = Date.UTC(2026, 10, 23, 9, 0, 0);
const staff: PublicUser = { id: 'u-1', username: 'ops_anna', displayName: '', kind: 'staff', disabled: false };
const store: Store = { id: 's-1', name: 'US', platformId: 'amazon', siteId: 'us', homeUrl: 'https://sellercentral.amazon.com/home', group: '', colour: '#10b981', proxy: null, userAgent: null, acceptLanguage: null, createdAt: 1, updatedAt: 1 };
const role = (id: string, name: string): Role => ({ ...roleTemplate('operator'), id, name, createdAt: 1, updatedAt: 1 });

test('changing only the role keeps the stored start and end to the millisecond (the fields show minutes)', async () => {
  // Written through the API or a bundle: not on a whole minute.
  const existing: Assignment = { id: 'a-1', staffId: staff.id, storeId: store.id, roleId: 'r-1', validFrom: NOW + 12_345, validUntil: NOW + 86_400_000 + 54_321, scope: {}, createdAt: 1, updatedAt: 1 };
  const transport = new FakeTransport().on('assignments:upsert', (input) => ({ ...existing, ...input, validFrom: input.validFrom ?? null, validUntil: input.validUntil ?? null, scope: input.scope ?? {} }));
  renderConsole(<AssignmentDialog staff={staff} store={store} existing={existing} roles={[role('r-1', 'Operator'), role('r-2', 'Listing editor')]} onClose={() => {}} />, { transport, now: () => NOW });
  fireEvent.change(screen.getByLabelText('Role'), { target: { value: 'r-2' } });
  fireEvent.click(screen.getByRole('button', { name: 'Save' }));
  await waitFor(() => assert.equal(transport.callsTo('assignments:upsert').length, 1));
  const [sent] = transport.callsTo('assignments:upsert') as { roleId: string; validFrom: number | null; validUntil: number | null }[];
  assert.deepEqual([sent!.roleId, sent!.validFrom, sent!.validUntil], ['r-2', existing.validFrom, existing.validUntil]);
});
