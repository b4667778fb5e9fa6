import { closeDom } from './helpers/dom';
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { BUILTIN_PLATFORMS } from '../../shared/catalog/builtin';
import type { RequestOf } from '../../shared/ipc/contract';
import type { Decision } from '../../shared/model/decision';
import type { Store } from '../../shared/model/store';
import { RuleTesterPage } from '../../renderer/features/tester/RuleTesterPage';
import { FakeTransport } from './helpers/fake-transport';
import { renderConsole } from './helpers/render';
import { storeRecord } from '../unit/policy-test-helpers';
import type { UiLanguage } from '../../renderer/i18n';

afterEach(() => cleanup());
after(() => closeDom());

const store: Store = storeRecord({ id: 's-1', name: 'Mugs US', platformId: 'amazon', siteId: 'us', homeUrl: 'https://sellercentral.amazon.com/home' }, 1);
const wang = { id: 'u-2', username: 'OPS_Wang_US', displayName: '', kind: 'staff' as const, disabled: false };

const BLOCKED: Decision = { allowed: false, reason: 'module-none', module: 'payments', level: 'none', ruleId: 'module:payments', filter: 'sellercentral.amazon.com/payments' };

/** The core's answers, as decide() gives them: //payments is decided on the server's reading. */
function backend() {
  return new FakeTransport()
    .on('stores:list', () => [store])
    .on('catalog:platforms', () => [...BUILTIN_PLATFORMS])
    .on('staff:list', () => [wang])
    .on('policy:test', (req: RequestOf<'policy:test'>) => ({
      decision: new URL(req.url).pathname.startsWith('//') ? { ...BLOCKED, servedPath: '/payments/dashboard' } : BLOCKED,
    }));
}

/** Tests `url` in the tester and returns its result panel. */
async function runTester(url: string, language: UiLanguage = 'en') {
  renderConsole(<RuleTesterPage />, { transport: backend(), language });
  fireEvent.change(await screen.findByRole('textbox', { name: 'URL' }), { target: { value: url } });
  fireEvent.click(screen.getByRole('button', { name: language === 'en' ? 'Test' : '测试' }));
  return within(await screen.findByRole('region', { name: /GET/ }));
}

describe('rule tester', () => {
  test('a path decided as the server reads it shows that reading and why', async () => {
    const result = await runTester('https://sellercentral.amazon.com//payments/dashboard');
    assert.ok(result.getByText('Read by the server as'));
    assert.ok(result.getByText('/payments/dashboard'));
    assert.ok(result.getByText(/merge repeated slashes/));
    assert.ok(result.getByText('The role has no access (None) to this module.'));
  });

  test('a path decided as sent shows no such line', async () => {
    const result = await runTester('https://sellercentral.amazon.com/payments/dashboard');
    assert.equal(result.queryByText('Read by the server as'), null);
    assert.ok(result.getByText('sellercentral.amazon.com/payments'));
  });

  test('in Chinese too', async () => {
    const result = await runTester('https://sellercentral.amazon.com//payments/dashboard', 'zh-CN');
    assert.ok(result.getByText('服务器实际读取的路径'));
  });
});
