// The blocked page both hosts show (electron/core/pages): content, escaping, languages, and the
// Electron host's data: URL adapter.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { blockedPageUrl } from '../../electron/main/blocked-page';
import { blockedPageStatus, catalogModuleName, reasonText, renderBlockedPage } from '../../electron/core/pages/blocked-page';
import { BUILTIN_PLATFORMS } from '../../shared/catalog/builtin';
import { DecisionReason, type Decision } from '../../shared/model/decision';

const decision = (over: Partial<Decision>): Decision => ({ allowed: false, reason: 'module-none', module: null, level: null, ruleId: null, filter: null, ...over });

describe('blocked page', () => {
  const input = {
    url: 'https://sellercentral.amazon.com/payments/dashboard?access_token=SECRET&x=<b>',
    method: 'GET',
    decision: decision({ module: 'payments', level: 'none', ruleId: 'module:payments', filter: 'sellercentral.amazon.com/payments' }),
    storeName: 'Mugs <US>',
    moduleName: 'Payments',
  } as const;

  test('English: what, why, which module and rule, logged, ask the owner; secrets redacted; all escaped; no script', () => {
    const html = renderBlockedPage({ ...input, language: 'en' });
    assert.match(html, /<h1>Blocked by ShopWarden policy<\/h1>/);
    assert.match(html, /access_token=REDACTED/);
    assert.ok(!html.includes('SECRET'), 'the token is not shown');
    assert.ok(!html.includes('<b>') && html.includes('&#60;b&#62;'), 'markup from the URL is escaped');
    assert.match(html, /Mugs &#60;US&#62;/);
    assert.match(html, /Your role has no access to this module\./);
    assert.match(html, /<span id="blocked-module">Payments<\/span> — None/);
    assert.match(html, /module:payments · sellercentral\.amazon\.com\/payments/);
    assert.match(html, /recorded in the operation log/);
    assert.match(html, /ask the store owner/);
    assert.ok(!/<script/i.test(html), 'no script');
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
    assert.equal(blockedPageStatus(input.decision), 403);
  });

  test('a path decided as the server reads it says so, escaped; other pages have no such line', () => {
    const served = decision({ module: 'payments', level: 'none', filter: 'sellercentral.amazon.com/payments', servedPath: '/payments/<x>' });
    const en = renderBlockedPage({ ...input, url: 'https://sellercentral.amazon.com//payments/<x>', decision: served, language: 'en' });
    assert.match(en, /<dt>Read by the server as<\/dt><dd><code id="blocked-served-path">\/payments\/&#60;x&#62;<\/code><\/dd>/);
    assert.match(renderBlockedPage({ ...input, decision: served, language: 'zh-CN' }), /<dt>服务器实际读取的路径<\/dt>/);
    assert.ok(!renderBlockedPage({ ...input, language: 'en' }).includes('blocked-served-path'));
  });

  test('Chinese, and a step-up page with a way back', () => {
    const zh = renderBlockedPage({ ...input, language: 'zh-CN' });
    assert.match(zh, /<html lang="zh-CN">/);
    assert.match(zh, /已被 ShopWarden 策略阻止/);
    assert.match(zh, /你的角色无权访问此模块/);
    assert.match(zh, /本次访问已记录在操作日志中/);
    const stepUp = decision({ reason: 'step-up-required', module: 'returns', level: 'edit', filter: 'sellercentral.amazon.com/orders-v3/refund' });
    const html = renderBlockedPage({ ...input, url: 'https://sellercentral.amazon.com/orders-v3/refund/1', decision: stepUp, language: 'zh-CN', moduleName: '退货' });
    assert.match(html, /此页面需要店主批准/);
    assert.match(html, /<a id="retry" href="https:\/\/sellercentral\.amazon\.com\/orders-v3\/refund\/1">/);
    assert.equal(blockedPageStatus(stepUp), 428);
    const post = renderBlockedPage({ ...input, method: 'post', decision: stepUp, language: 'en', moduleName: null });
    assert.ok(!post.includes('id="retry"'), 'a POST is not replayed by a link');
    assert.match(post, /<code id="blocked-url">POST /);
  });
});


test('every decision reason has words in both languages; module names come from the catalogue', () => {
  for (const reason of DecisionReason.options) for (const language of ['en', 'zh-CN'] as const) assert.ok(reasonText(reason, language).length > 0, `${reason}/${language}`);
  assert.equal(catalogModuleName(BUILTIN_PLATFORMS, 'amazon', 'payments', 'en'), BUILTIN_PLATFORMS.find((p) => p.id === 'amazon')?.modules.find((m) => m.id === 'payments')?.name.en);
  assert.equal(catalogModuleName(BUILTIN_PLATFORMS, 'amazon', 'no-such-module', 'en'), null);
  assert.equal(catalogModuleName(BUILTIN_PLATFORMS, 'no-such-platform', 'payments', 'en'), null);
});

test('Electron: the same page as a data: URL, in the UI language, naming the store and the catalogue module', () => {
  const store = { name: 'Mugs US', platformId: 'amazon' };
  const page = (lang: 'en' | 'zh', method = 'GET') =>
    Buffer.from(blockedPageUrl({ url: 'https://sellercentral.amazon.com/payments/x', method, decision: decision({ module: 'payments', level: 'none' }), lang, store }).split(',')[1]!, 'base64').toString('utf8');
  const url = blockedPageUrl({ url: 'https://a.example/', method: 'GET', decision: decision({}), lang: 'en', store: null });
  assert.match(url, /^data:text\/html;charset=utf-8;base64,/);
  assert.match(page('en'), /<h1>Blocked by ShopWarden policy<\/h1>/);
  assert.match(page('en'), /Mugs US/);
  const moduleName = catalogModuleName(BUILTIN_PLATFORMS, store.platformId, 'payments', 'zh-CN')!;
  assert.ok(page('zh').includes(`<span id="blocked-module">${moduleName}</span>`));
  assert.match(page('zh'), /<html lang="zh-CN">/);
  assert.match(page('en', 'POST'), /<code id="blocked-url">POST /);
});
