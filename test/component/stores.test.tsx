import { closeDom } from './helpers/dom';
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { RequestOf } from '../../shared/ipc/contract';
import type { Store } from '../../shared/model/store';
import { StoresPage } from '../../renderer/features/stores/StoresPage';
import { storePatch } from '../../renderer/features/stores/StoreForm';
import { FakeTransport } from './helpers/fake-transport';
import { renderConsole } from './helpers/render';

afterEach(() => cleanup());
after(() => closeDom());

const base: Store = {
  id: 's-1',
  name: 'Acme DE',
  platformId: 'amazon',
  siteId: 'de',
  homeUrl: 'https://sellercentral.amazon.de/home',
  group: '',
  colour: '#3b82f6',
  proxy: { scheme: 'socks5', host: 'proxy.example', port: 1080, username: 'acme' },
  userAgent: null,
  acceptLanguage: null,
  createdAt: 1,
  updatedAt: 1,
};

function storesBackend(initial: Store[]) {
  let stores = [...initial];
  return new FakeTransport()
    .on('stores:list', () => stores)
    .on('stores:create', (input: RequestOf<'stores:create'>) => {
      const store = { ...base, proxy: null, ...input, id: `s-${stores.length + 1}` } as Store;
      stores = [...stores, store];
      return store;
    })
    .on('stores:update', ({ id, patch }) => {
      const store = { ...stores.find((s) => s.id === id)!, ...patch } as Store;
      stores = stores.map((s) => (s.id === id ? store : s));
      return store;
    })
    .on('stores:delete', ({ id }) => {
      stores = stores.filter((s) => s.id !== id);
      return { ok: true as const };
    });
}

describe('stores', () => {
  test('a new store takes its home page from the chosen site', async () => {
    const transport = storesBackend([]);
    renderConsole(<StoresPage />, { transport });
    assert.ok(await screen.findByText('No stores yet'));
    fireEvent.click(screen.getAllByRole('button', { name: 'Add store' })[0]!);
    const dialog = screen.getByRole('dialog', { name: 'Add a store' });
    fireEvent.change(within(dialog).getByLabelText('Store name'), { target: { value: 'Acme JP' } });
    fireEvent.change(within(dialog).getByLabelText('Site'), { target: { value: 'jp' } });
    assert.equal((within(dialog).getByLabelText('Home page') as HTMLInputElement).value, 'https://sellercentral.amazon.co.jp/home');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add store' }));
    await waitFor(() => assert.equal(transport.callsTo('stores:create').length, 1));
    const sent = transport.callsTo('stores:create')[0] as RequestOf<'stores:create'>;
    assert.equal(sent.name, 'Acme JP');
    assert.equal(sent.siteId, 'jp');
    assert.equal(sent.proxy, null);
    assert.ok(await screen.findByRole('rowheader', { name: /Acme JP/ }));
  });

  test('editing sends only what changed; the stored proxy password is never needed', () => {
    assert.deepEqual(storePatch(base, { ...base, name: 'Acme Germany' }), { name: 'Acme Germany' });
    assert.deepEqual(storePatch(base, { ...base }), {});
    assert.deepEqual(storePatch(base, { ...base, proxy: { ...base.proxy!, port: 1081 } }), { proxy: { ...base.proxy!, port: 1081 } });
    assert.deepEqual(storePatch(base, { ...base, proxy: { ...base.proxy!, password: '' } }), { proxy: { ...base.proxy!, password: '' } });
    assert.deepEqual(storePatch(base, { ...base, proxy: null }), { proxy: null });
  });

  test('the password field says whether the stored proxy password stays: only for the same server and user name', async () => {
    renderConsole(<StoresPage />, { transport: storesBackend([base]) });
    fireEvent.click(await screen.findByRole('button', { name: 'Edit Acme DE' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit Acme DE' });
    const keeps = () => within(dialog).queryByText('Leave empty to keep the stored password.') !== null;
    const drops = () => within(dialog).queryByText(/stored password was for another server or user name/) !== null;
    assert.deepEqual([keeps(), drops()], [true, false]);
    fireEvent.change(within(dialog).getByLabelText('Proxy host'), { target: { value: 'PROXY.example' } });
    assert.deepEqual([keeps(), drops()], [true, false], 'host names are not case-sensitive');
    for (const [label, value, back] of [
      ['Proxy host', 'other-proxy.example', 'proxy.example'],
      ['Proxy port', '1081', '1080'],
      ['Proxy user name (optional)', 'someone-else', 'acme'],
    ] as const) {
      fireEvent.change(within(dialog).getByLabelText(label), { target: { value } });
      assert.deepEqual([keeps(), drops()], [false, true], label);
      fireEvent.change(within(dialog).getByLabelText(label), { target: { value: back } });
    }
    assert.deepEqual([keeps(), drops()], [true, false]);
  });

  test('deleting asks first and says the session data is wiped', async () => {
    const transport = storesBackend([base]);
    renderConsole(<StoresPage />, { transport });
    fireEvent.click(await screen.findByRole('button', { name: 'Delete Acme DE' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete Acme DE?' });
    assert.match(dialog.textContent ?? '', /browser session on this computer is wiped/);
    assert.equal(transport.callsTo('stores:delete').length, 0);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete store and wipe its data' }));
    await waitFor(() => assert.deepEqual(transport.callsTo('stores:delete'), [{ id: 's-1' }]));
    assert.ok(await screen.findByText('No stores yet'));
  });
});
