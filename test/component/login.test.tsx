import { closeDom } from './helpers/dom';
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import type { PublicUser, SessionInfo } from '../../shared/ipc/contract';
import { App } from '../../renderer/app/App';
import { formatDateTime } from '../../renderer/util/format';
import { fail, FakeTransport } from './helpers/fake-transport';
import { renderConsole } from './helpers/render';

afterEach(() => cleanup());
after(() => closeDom());

const owner: PublicUser = { id: 'u-owner', username: 'boss', displayName: 'Li Wei', kind: 'owner', disabled: false };
const alice: PublicUser = { id: 'u-alice', username: '运营_张三_US', displayName: '', kind: 'staff', disabled: false };
const bob: PublicUser = { id: 'u-bob', username: '客服_李四_DE', displayName: 'Bob', kind: 'staff', disabled: false };

function loginScreen(login: (username: string, password: string) => SessionInfo) {
  return new FakeTransport()
    .on('app:status', () => ({ needsSetup: false, session: null, users: [owner, alice, bob] }))
    .on('auth:login', ({ username, password }) => login(username, password))
    .on('settings:get', () => ({ idleLockMinutes: 15 }))
    .on('catalog:platforms', () => [])
    .on('workspace:stores', () => [])
    .on('stepup:pending', () => [])
    .on('app:language', () => ({ ok: true as const }));
}

async function signIn(user: string, password: string) {
  fireEvent.change(await screen.findByLabelText('User'), { target: { value: user } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('login', () => {
  test('the picker lists who can sign in, preselecting the last user', async () => {
    renderConsole(<App />, { transport: loginScreen(() => fail('internal')), lastUser: '客服_李四_DE' });
    const picker = (await screen.findByLabelText('User')) as HTMLSelectElement;
    assert.deepEqual(
      Array.from(picker.options).map((o) => o.textContent),
      ['Li Wei (boss) — Owner', '运营_张三_US', 'Bob (客服_李四_DE)'],
    );
    assert.equal(picker.value, '客服_李四_DE');
    assert.ok(document.activeElement === screen.getByLabelText('Password'), 'focus should be there');
  });

  test('a wrong password says so and clears the field', async () => {
    const transport = loginScreen(() => fail('invalid-credentials', 'wrong user name or password'));
    renderConsole(<App />, { transport });
    await signIn('运营_张三_US', 'not the password');
    assert.equal((await screen.findByRole('alert')).textContent, 'Wrong user name or password.');
    assert.equal((screen.getByLabelText('Password') as HTMLInputElement).value, '');
    assert.deepEqual(transport.callsTo('auth:login'), [{ username: '运营_张三_US', password: 'not the password' }]);
  });

  test('a locked account says until when, in local time', async () => {
    const until = Date.UTC(2030, 4, 6, 7, 8, 9);
    renderConsole(<App />, { transport: loginScreen(() => fail('locked', 'locked', [{ path: 'lockedUntil', message: String(until) }])) });
    await signIn('运营_张三_US', 'whatever123');
    assert.equal((await screen.findByRole('alert')).textContent, `Too many wrong passwords: this account is locked until ${formatDateTime(until, 'en')}.`);
  });

  test('a disabled account is told to ask the owner; in Chinese too', async () => {
    renderConsole(<App />, { transport: loginScreen(() => fail('disabled', 'this account is disabled')), language: 'zh-CN' });
    fireEvent.change(await screen.findByLabelText('用户'), { target: { value: '客服_李四_DE' } });
    fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'whatever123' } });
    fireEvent.click(screen.getByRole('button', { name: '登录' }));
    assert.equal((await screen.findByRole('alert')).textContent, '此账号已被停用，请联系店主。');
  });

  test('staff land in their workspace, the owner in the console', async () => {
    const session = (user: PublicUser): SessionInfo => ({ user, signedInAt: 1 });
    renderConsole(<App />, { transport: loginScreen((username) => session(username === 'boss' ? owner : alice)) });
    await signIn('运营_张三_US', 'staff password');
    assert.ok(await screen.findByRole('heading', { name: 'Your stores' }));
    assert.ok(screen.getByText('No store is assigned to you right now'));
    assert.ok(screen.queryByRole('navigation', { name: 'Owner console' }) === null, 'the element should be gone');
  });

  test('first run asks for the owner account and checks the password before sending', async () => {
    const transport = new FakeTransport()
      .on('app:status', () => ({ needsSetup: true, session: null, users: [] }))
      .on('auth:setup-owner', (req) => ({ user: { ...owner, username: req.username }, signedInAt: 1 }))
      .on('settings:get', () => ({ idleLockMinutes: 15 }))
      .on('catalog:platforms', () => [])
      .on('stores:list', () => [])
      .on('workspace:stores', () => [])
      .on('policy:problems', () => []);
    renderConsole(<App />, { transport });
    fireEvent.change(await screen.findByLabelText('Owner user name'), { target: { value: 'boss' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'short' } });
    fireEvent.change(screen.getByLabelText('Repeat the password'), { target: { value: 'short' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create owner account' }));
    assert.ok(screen.getByText('At least 10 characters.'));
    assert.equal(transport.callsTo('auth:setup-owner').length, 0);
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'correct horse battery' } });
    fireEvent.change(screen.getByLabelText('Repeat the password'), { target: { value: 'correct horse battery' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create owner account' }));
    await waitFor(() => assert.equal(transport.callsTo('auth:setup-owner').length, 1));
    assert.ok(await screen.findByRole('navigation', { name: 'Owner console' }));
  });

  test('signed out by the owner (event): back to the login screen with the reason', async () => {
    const transport = loginScreen(() => ({ user: alice, signedInAt: 1 }));
    renderConsole(<App />, { transport });
    await signIn('运营_张三_US', 'staff password');
    await screen.findByRole('heading', { name: 'Your stores' });
    transport.emit({ type: 'signed-out', reason: 'disabled' });
    assert.ok(await screen.findByText('Your account was disabled by the owner.'));
    assert.ok(screen.getByRole('heading', { name: 'Sign in' }));
  });

  /** Alice signed in with a 2-minute idle lock; `clock` moves the console's time. */
  async function signedInWithIdleLock() {
    const clock = { now: 1_000_000 };
    const transport = loginScreen(() => ({ user: alice, signedInAt: clock.now }))
      .on('settings:get', () => ({ idleLockMinutes: 2 }))
      .on('auth:logout', () => ({ ok: true as const }));
    renderConsole(<App />, { transport, now: () => clock.now });
    await signIn('运营_张三_US', 'staff password');
    await screen.findByRole('heading', { name: 'Your stores' });
    return { clock, transport };
  }

  test('the console tells the host its language at start and on every switch (the host\'s blocked pages follow it)', async () => {
    const transport = loginScreen(() => fail('internal'));
    const { i18n } = renderConsole(<App />, { transport, language: 'zh-CN' });
    await waitFor(() => assert.deepEqual(transport.callsTo('app:language'), [{ language: 'zh-CN' }]));
    await act(() => i18n.changeLanguage('en'));
    await waitFor(() => assert.deepEqual(transport.callsTo('app:language'), [{ language: 'zh-CN' }, { language: 'en' }]));
  });

  test('idle lock: a warning in the last minute, then sign-out and back to login', { timeout: 15_000 }, async () => {
    const { clock, transport } = await signedInWithIdleLock();
    clock.now += 90_000;
    assert.ok(await screen.findByText('Locking in 30 s', {}, { timeout: 3000 }));
    fireEvent.click(screen.getByRole('button', { name: 'Stay signed in' }));
    assert.ok(screen.queryByText(/Locking in/) === null, 'the warning goes away');
    clock.now += 121_000;
    assert.ok(await screen.findByText('The console was locked after a period without activity. Sign in again.', {}, { timeout: 3000 }));
    assert.equal(transport.callsTo('auth:logout').length, 1);
  });

  test('idle lock: work in the person\'s store windows (the host\'s store-activity) counts as activity', { timeout: 15_000 }, async () => {
    const { clock, transport } = await signedInWithIdleLock();
    // Busy in a store window for 5 minutes, the console untouched: never locked, never warned.
    for (let minute = 0; minute < 5; minute++) {
      clock.now += 60_000;
      act(() => transport.emit({ type: 'store-activity' }));
      await new Promise((resolve) => setTimeout(resolve, 1100));
      assert.equal(screen.queryByText(/Locking in/), null);
    }
    assert.equal(transport.callsTo('auth:logout').length, 0);
    // Then away from both: locked as before.
    clock.now += 121_000;
    assert.ok(await screen.findByText('The console was locked after a period without activity. Sign in again.', {}, { timeout: 3000 }));
  });
});
