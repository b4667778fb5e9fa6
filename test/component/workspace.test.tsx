import { closeDom } from './helpers/dom';
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { StepUpRequest, WorkspaceStore } from '../../shared/ipc/contract';
import { App } from '../../renderer/app/App';
import { BUILTIN_PLATFORMS } from '../../shared/catalog';
import { fail, FakeTransport } from './helpers/fake-transport';
import { renderConsole } from './helpers/render';

afterEach(() => cleanup());
after(() => closeDom());

const NOW = Date.UTC(2026, 2, 1, 9, 0, 0);
const DAY = 86_400_000;
const staff = { id: 'u-1', username: '运营_张三_US', displayName: 'Zhang San', kind: 'staff' as const, disabled: false };

function store(id: string, name: string, siteId: string, validUntil: number | null, roleName = 'Operator / 普通运营'): WorkspaceStore {
  return {
    store: { id, name, platformId: 'amazon', siteId, homeUrl: `https://sellercentral.amazon.com/home`, group: '', colour: '#10b981', userAgent: null, acceptLanguage: null, createdAt: 1, updatedAt: 1 },
    roleName,
    validUntil,
    open: false,
  };
}

const stepUp: StepUpRequest = { id: 'su-1', storeId: 's-us', userId: 'u-1', url: 'https://sellercentral.amazon.com/orders-v3/refund/123', filter: '{seller}/orders-v3/refund', at: NOW - 5000 };

function signedInStaff() {
  return new FakeTransport()
    .on('app:status', () => ({ needsSetup: false, session: { user: staff, signedInAt: NOW }, users: [staff] }))
    .on('settings:get', () => ({ idleLockMinutes: 0 }))
    .on('catalog:platforms', () => [...BUILTIN_PLATFORMS])
    .on('workspace:stores', () => [store('s-us', 'Acme US', 'us', NOW + 3 * DAY), store('s-de', 'Acme DE', 'de', null, 'Temporary / 临时/外包')])
    .on('workspace:open-store', () => ({ ok: true as const }))
    .on('workspace:close-store', () => ({ ok: true as const }))
    .on('workspace:navigate', () => ({ ok: true as const }))
    .on('workspace:show-console', () => ({ ok: true as const }))
    .on('stepup:pending', () => []);
}

describe('staff workspace', () => {
  test('assigned stores with platform, site, role and when access ends; opening one adds a tab', async () => {
    const transport = signedInStaff();
    renderConsole(<App />, { transport, now: () => NOW });
    const us = await screen.findByRole('listitem', { name: 'Acme US' });
    assert.ok(within(us).getByText('Amazon Seller Central · United States'));
    // A built-in role (stored as "English / 中文") reads in the interface language.
    assert.ok(within(us).getByText('Operator'));
    assert.ok(within(us).getByText('Access ends in 3 days'));
    assert.ok(within(screen.getByRole('listitem', { name: 'Acme DE' })).getByText('No end date'));

    fireEvent.click(within(us).getByRole('button', { name: 'Open' }));
    await waitFor(() => assert.deepEqual(transport.callsTo('workspace:open-store'), [{ storeId: 's-us' }]));
    const strip = screen.getByRole('navigation', { name: 'Open stores' });
    assert.ok(await within(strip).findByRole('button', { name: 'Acme US · United States' }));
    // Clicking the tab brings the store to the front again; × closes it.
    fireEvent.click(within(strip).getByRole('button', { name: 'Close Acme US · United States' }));
    await waitFor(() => assert.deepEqual(transport.callsTo('workspace:close-store'), [{ storeId: 's-us' }]));
    await waitFor(() => assert.ok(within(strip).getByText('No store open')));
  });

  test('the store in front gets browser buttons and its address; back/forward follow its history', async () => {
    const transport = signedInStaff();
    renderConsole(<App />, { transport, now: () => NOW });
    fireEvent.click(within(await screen.findByRole('listitem', { name: 'Acme US' })).getByRole('button', { name: 'Open' }));
    const bar = await screen.findByRole('toolbar', { name: 'Browser buttons of Acme US · United States' });
    const button = (name: string) => within(bar).getByRole('button', { name }) as HTMLButtonElement;
    assert.deepEqual([button('Back').disabled, button('Forward').disabled, button('Reload').disabled], [true, true, false]);
    act(() => transport.emit({ type: 'store-location', storeId: 's-us', url: 'https://sellercentral.amazon.com/orders-v3', title: 'Orders', canGoBack: true, canGoForward: false }));
    assert.equal((within(bar).getByLabelText('Address of the page in front') as HTMLInputElement).value, 'https://sellercentral.amazon.com/orders-v3');
    assert.equal(button('Back').disabled, false);
    fireEvent.click(button('Back'));
    fireEvent.click(button('Store home page'));
    await waitFor(() =>
      assert.deepEqual(transport.callsTo('workspace:navigate'), [
        { storeId: 's-us', action: 'back' },
        { storeId: 's-us', action: 'home' },
      ]),
    );
    // Another store opened comes to the front; closing it brings the first one back.
    fireEvent.click(within(screen.getByRole('listitem', { name: 'Acme DE' })).getByRole('button', { name: 'Open' }));
    assert.ok(await screen.findByRole('toolbar', { name: 'Browser buttons of Acme DE · Germany' }));
    fireEvent.click(screen.getByRole('button', { name: 'Close Acme DE · Germany' }));
    assert.ok(await screen.findByRole('toolbar', { name: 'Browser buttons of Acme US · United States' }));
  });

  test('in Electron, where store tabs cover the console, a button brings the console back', async () => {
    const transport = signedInStaff();
    renderConsole(<App />, { transport, now: () => NOW, host: 'electron' });
    fireEvent.click(within(await screen.findByRole('listitem', { name: 'Acme US' })).getByRole('button', { name: 'Open' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Back to the console' }));
    await waitFor(() => assert.equal(transport.callsTo('workspace:show-console').length, 1));
  });

  test('a reloaded console gets the tabs of the stores the host still has open', async () => {
    const transport = signedInStaff().on('workspace:stores', () => [{ ...store('s-us', 'Acme US', 'us', NOW + 3 * DAY), open: true }, store('s-de', 'Acme DE', 'de', null)]);
    renderConsole(<App />, { transport, now: () => NOW });
    const strip = await screen.findByRole('navigation', { name: 'Open stores' });
    assert.ok(await within(strip).findByRole('button', { name: 'Acme US · United States' }));
    assert.equal(within(strip).queryByRole('button', { name: 'Acme DE · Germany' }), null);
    assert.ok(screen.getByRole('toolbar', { name: 'Browser buttons of Acme US · United States' }));
  });

  test('an open store’s tab follows the owner renaming it', async () => {
    let name = 'Acme US';
    const transport = signedInStaff().on('workspace:stores', () => [{ ...store('s-us', name, 'us', NOW + 3 * DAY), open: true }]);
    renderConsole(<App />, { transport, now: () => NOW });
    const strip = await screen.findByRole('navigation', { name: 'Open stores' });
    assert.ok(await within(strip).findByRole('button', { name: 'Acme US · United States' }));
    name = 'Acme US main';
    act(() => transport.emit({ type: 'policy-changed' }));
    assert.ok(await within(strip).findByRole('button', { name: 'Acme US main · United States' }));
  });

  test('a store the app closes (access ended) leaves its tab and says why', async () => {
    const transport = signedInStaff();
    renderConsole(<App />, { transport, now: () => NOW });
    fireEvent.click(within(await screen.findByRole('listitem', { name: 'Acme US' })).getByRole('button', { name: 'Open' }));
    const strip = screen.getByRole('navigation', { name: 'Open stores' });
    await within(strip).findByRole('button', { name: 'Acme US · United States' });
    act(() => transport.emit({ type: 'store-closed', storeId: 's-us', reason: 'expired' }));
    assert.ok(await screen.findByText('Your access to Acme US has ended; its window was closed.'));
    assert.ok(within(strip).getByText('No store open'));
  });

  test('an open that the service refuses shows the reason on the card', async () => {
    const transport = signedInStaff().on('workspace:open-store', () => fail('forbidden', 'you are not assigned to this store, or your access has ended'));
    renderConsole(<App />, { transport, now: () => NOW });
    const us = await screen.findByRole('listitem', { name: 'Acme US' });
    fireEvent.click(within(us).getByRole('button', { name: 'Open' }));
    assert.match((await within(us).findByRole('alert')).textContent ?? '', /You are not allowed to do this/);
  });

  test('a step-up request opens a dialog; the owner approves with a password for the minutes chosen', async () => {
    const transport = signedInStaff().on('stepup:approve', (req) => {
      if (req.ownerPassword !== 'owner secret 1') fail('invalid-credentials');
      return { until: NOW + (req.minutes ?? 15) * 60_000 };
    });
    renderConsole(<App />, { transport, now: () => NOW });
    await screen.findByRole('listitem', { name: 'Acme US' });
    act(() => transport.emit({ type: 'step-up-needed', request: stepUp }));
    const dialog = await screen.findByRole('dialog', { name: 'Owner approval needed' });
    assert.ok(within(dialog).getByText(stepUp.url));
    assert.ok(document.activeElement === within(dialog).getByLabelText('Owner’s password'), 'focus should be there');
    fireEvent.change(within(dialog).getByLabelText('Owner’s password'), { target: { value: 'nope' } });
    fireEvent.change(within(dialog).getByLabelText('Allow for'), { target: { value: '30' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Approve' }));
    // The dialog has no user name field: the message names the owner password.
    assert.equal((await within(dialog).findByRole('alert')).textContent, 'The owner password is not correct.');
    fireEvent.change(within(dialog).getByLabelText('Owner’s password'), { target: { value: 'owner secret 1' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Approve' }));
    assert.ok(await within(dialog).findByText(/^Approved until/));
    assert.deepEqual(transport.callsTo('stepup:approve').at(-1), { requestId: 'su-1', ownerPassword: 'owner secret 1', minutes: 30 });
  });

  test('step-up: a wrong owner password in Chinese; a locked owner account says until when', async () => {
    const lockedUntil = NOW + 10 * 60_000;
    let attempts = 0;
    const transport = signedInStaff()
      .on('stepup:pending', () => [stepUp])
      .on('stepup:approve', () => (++attempts === 1 ? fail('invalid-credentials') : fail('locked', 'locked', [{ path: 'lockedUntil', message: String(lockedUntil) }])));
    const { i18n } = renderConsole(<App />, { transport, now: () => NOW, language: 'zh-CN' });
    const dialog = await screen.findByRole('dialog', { name: '需要店主批准' });
    fireEvent.change(within(dialog).getByLabelText('店主密码'), { target: { value: 'nope' } });
    fireEvent.click(within(dialog).getByRole('button', { name: '批准' }));
    assert.equal((await within(dialog).findByRole('alert')).textContent, '店主密码不正确。');
    act(() => void i18n.changeLanguage('en'));
    fireEvent.change(within(dialog).getByLabelText('Owner’s password'), { target: { value: 'nope again' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Approve' }));
    await waitFor(() => assert.match(within(dialog).getByRole('alert').textContent ?? '', /^Too many wrong passwords: this account is locked until /));
  });

  test('pending requests are listed on load; refusing one calls stepup:dismiss', async () => {
    const transport = signedInStaff()
      .on('stepup:pending', () => [stepUp])
      .on('stepup:dismiss', () => ({ ok: true as const }));
    renderConsole(<App />, { transport, now: () => NOW });
    const dialog = await screen.findByRole('dialog', { name: 'Owner approval needed' });
    // Escape closes it for later; the request stays listed.
    fireEvent.keyDown(dialog, { key: 'Escape' });
    await waitFor(() => assert.ok(screen.queryByRole('dialog') === null, 'the element should be gone'));
    const pending = screen.getByRole('region', { name: 'Waiting for the owner’s approval' });
    fireEvent.click(within(pending).getByRole('button', { name: 'Review' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Refuse' }));
    await waitFor(() => assert.deepEqual(transport.callsTo('stepup:dismiss'), [{ requestId: 'su-1' }]));
    await waitFor(() => assert.ok(screen.queryByRole('dialog') === null, 'the element should be gone'));
  });
});
