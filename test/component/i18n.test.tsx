import { closeDom, window as domWindow } from './helpers/dom';
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { App } from '../../renderer/app/App';
import { en } from '../../renderer/i18n/en';
import { zh } from '../../renderer/i18n/zh';
import { detectLanguage, messageKeys, persistLanguage } from '../../renderer/i18n';
import { AuditKind } from '../../shared/model/audit';
import { DecisionReason } from '../../shared/model/decision';
import { ErrorCode } from '../../shared/ipc/result';
import { FakeTransport } from './helpers/fake-transport';
import { renderConsole } from './helpers/render';

afterEach(() => cleanup());
after(() => closeDom());

function lookup(messages: object, key: string): string {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], messages) as string;
}
const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('interface languages', () => {
  test('every key exists in both English and Chinese, with the same placeholders, and no text is empty', () => {
    const enKeys = messageKeys(en).sort();
    const zhKeys = messageKeys(zh).sort();
    assert.deepEqual(
      enKeys.filter((k) => !zhKeys.includes(k)),
      [],
      'keys missing in zh',
    );
    assert.deepEqual(
      zhKeys.filter((k) => !enKeys.includes(k)),
      [],
      'keys missing in en',
    );
    for (const key of enKeys) {
      assert.notEqual(lookup(en, key).trim(), '', `en ${key} is empty`);
      assert.notEqual(lookup(zh, key).trim(), '', `zh ${key} is empty`);
      assert.deepEqual(placeholders(lookup(zh, key)), placeholders(lookup(en, key)), `placeholders of ${key}`);
    }
  });

  test('every code the contract and the model define has a text: error codes, decision reasons, log kinds', () => {
    for (const code of ErrorCode.options) assert.ok(lookup(en, `errors.${code}`), `errors.${code}`);
    for (const reason of DecisionReason.options) assert.ok(lookup(en, `reason.${reason}`), `reason.${reason}`);
    for (const kind of AuditKind.options) assert.ok(lookup(en, `kind.${kind}`), `kind.${kind}`);
    // Reasons the core writes on log rows besides decisions (sign-in failures, closes, policy errors…).
    const logged = ['invalid-credentials', 'locked', 'disabled', 'expired', 'revoked', 'deleted', 'closed', 'open-failed', 'role-changed', 'another-user-signed-in', 'console-closed', 'password-changed', 'dismissed'];
    const policyErrors = ['clock-rolled-back', 'policy-tampered', 'policy-unsigned', 'store-data-wipe-failed', 'owner-key-reseal-failed'];
    const bundleRefusals = ['malformed', 'not-enrolled', 'wrong-key', 'bad-signature', 'stale-version', 'invalid-payload', 'conflict'].map((code) => `policy-bundle-${code}`);
    for (const reason of [...logged, ...policyErrors, ...bundleRefusals]) assert.ok(lookup(en, `reason.${reason}`), `reason.${reason}`);
  });

  test('the language follows the host’s hint, then the saved choice, then the system', () => {
    assert.equal(detectLanguage({ search: '?lang=zh', stored: 'en', preferred: ['en-US'] }), 'zh-CN');
    assert.equal(detectLanguage({ search: '', stored: 'zh-CN', preferred: ['en-US'] }), 'zh-CN');
    assert.equal(detectLanguage({ search: '', stored: null, preferred: ['fr-FR', 'zh-TW', 'en'] }), 'zh-CN');
    assert.equal(detectLanguage({ search: '', stored: null, preferred: ['de-DE'] }), 'en');
  });

  test('switching the language changes the interface at once and is remembered', async () => {
    const transport = new FakeTransport().on('app:status', () => ({ needsSetup: false, session: null, users: [] }));
    const { i18n } = renderConsole(<App />, { transport });
    assert.ok(await screen.findByRole('heading', { name: 'Sign in' }));
    i18n.on('languageChanged', (lng) => persistLanguage(lng === 'zh-CN' ? 'zh-CN' : 'en', domWindow as unknown as Window));
    await act(async () => {
      fireEvent.change(screen.getByRole('combobox', { name: 'Language' }), { target: { value: 'zh-CN' } });
    });
    assert.ok(screen.getByRole('heading', { name: '登录' }));
    assert.ok(screen.getByRole('button', { name: '登录' }));
    assert.equal(document.documentElement.lang, 'zh-CN');
    assert.equal(new URL(domWindow.location.href).searchParams.get('lang'), 'zh');
    assert.equal(domWindow.localStorage.getItem('shopwarden.language'), 'zh-CN');
    await act(async () => {
      fireEvent.change(screen.getByRole('combobox', { name: '语言' }), { target: { value: 'en' } });
    });
    assert.ok(screen.getByRole('heading', { name: 'Sign in' }));
  });
});
