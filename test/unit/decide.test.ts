import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Platform } from '../../shared/catalog/schema';
import { Role, type RoleInput } from '../../shared/model/role';
import type { Assignment } from '../../shared/model/assignment';
import type { GuardRequest } from '../../shared/model/decision';
import type { User } from '../../shared/model/staff';
import type { Store } from '../../shared/model/store';
import { compile, type CompiledPolicy } from '../../shared/policy/compile';
import { decide } from '../../shared/policy/decide';
import type { PolicyState, StepUpGrant } from '../../shared/policy/state';
import { storeRecord } from './policy-test-helpers';

// A small platform whose every filter is known, so each clause of decide() can be aimed at.
const platform = Platform.parse({
  id: 'shop',
  name: { en: 'Shop', zh: '店' },
  sites: [
    { id: 'us', name: { en: 'US', zh: '美国' }, hosts: { seller: ['seller.example.com'] }, homeUrl: 'https://seller.example.com/home', locale: 'en-US' },
  ],
  modules: [
    { id: 'orders', name: { en: 'Orders', zh: '订单' }, filters: ['{seller}/orders'], readOnlyPost: ['{seller}/orders/search'] },
    { id: 'refunds', name: { en: 'Refunds', zh: '退款' }, filters: ['{seller}/orders/refund'], stepUp: true },
    { id: 'payments', name: { en: 'Payments', zh: '资金' }, filters: ['{seller}/payments'], sensitive: true },
  ],
  baseline: ['cdn.example.net'],
});

const T0 = 1_700_000_000_000;
const HOUR = 3_600_000;

const user = (id: string, kind: User['kind'] = 'staff', disabled = false): User => ({
  id,
  username: id,
  displayName: id,
  kind,
  disabled,
  createdAt: T0,
  updatedAt: T0,
});

const store = (id: string): Store => storeRecord({ id, platformId: 'shop', siteId: 'us', homeUrl: 'https://seller.example.com/home' }, T0);

const role = (id: string, input: Partial<RoleInput>): Role => Role.parse({ name: id, ...input, id, createdAt: T0, updatedAt: T0 });

const assign = (staffId: string, roleId: string, extra: Partial<Assignment> = {}): Assignment => ({
  id: `a-${staffId}-${roleId}`,
  staffId,
  storeId: 's1',
  roleId,
  validFrom: null,
  validUntil: null,
  scope: {},
  createdAt: T0,
  updatedAt: T0,
  ...extra,
});

function policy(roles: Role[], assignments: Assignment[], more: Partial<PolicyState> = {}): CompiledPolicy {
  return compile({
    platforms: [platform],
    stores: [store('s1'), store('s2')],
    users: [user('owner', 'owner'), user('amy'), user('ben'), user('gone', 'staff', true)],
    roles,
    assignments,
    grants: [],
    ...more,
  });
}

const req = (url: string, over: Partial<GuardRequest> = {}): GuardRequest => ({
  storeId: 's1',
  userId: 'amy',
  url,
  method: 'GET',
  resourceType: 'mainFrame',
  isMainFrame: true,
  ...over,
});

const ORDERS_VIEW = role('orders-view', { levels: { orders: 'view', refunds: 'edit' }, otherLevel: 'view' });
const base = policy([ORDERS_VIEW], [assign('amy', 'orders-view'), assign('gone', 'orders-view')]);

function expect(p: CompiledPolicy, request: GuardRequest, allowed: boolean, reason: string, now = T0) {
  const d = decide(request, p, now);
  assert.equal(d.allowed, allowed, `${request.method} ${request.url}: ${JSON.stringify(d)}`);
  assert.equal(d.reason, reason, `${request.method} ${request.url}: ${JSON.stringify(d)}`);
  return d;
}

test('the owner may do everything in every store, even with no assignment', () => {
  expect(base, req('https://seller.example.com/payments/withdraw', { userId: 'owner', method: 'POST' }), true, 'owner');
  expect(base, req('https://seller.example.com/orders', { userId: 'owner', storeId: 's2' }), true, 'owner');
});

test('staff without an assignment for the store, or disabled, are blocked', () => {
  expect(base, req('https://seller.example.com/orders', { userId: 'ben' }), false, 'no-assignment');
  expect(base, req('https://seller.example.com/orders', { storeId: 's2' }), false, 'no-assignment');
  expect(base, req('https://seller.example.com/orders', { userId: 'gone' }), false, 'staff-disabled');
  expect(base, req('https://seller.example.com/orders', { storeId: 'nope' }), false, 'unknown-store');
});

test('an assignment applies only inside its window (from inclusive, until exclusive)', () => {
  const p = policy([ORDERS_VIEW], [assign('amy', 'orders-view', { validFrom: T0, validUntil: T0 + HOUR })]);
  const r = req('https://seller.example.com/orders');
  expect(p, r, false, 'assignment-not-started', T0 - 1);
  expect(p, r, true, 'module-view', T0);
  expect(p, r, true, 'module-view', T0 + HOUR - 1);
  expect(p, r, false, 'assignment-expired', T0 + HOUR);
});

test('non-web schemes are blocked; data: and blob: only as sub-resources; about:blank passes', () => {
  for (const url of ['file:///etc/passwd', 'chrome://settings', 'devtools://devtools/bundled/inspector.html', 'javascript:alert(1)', 'chrome-extension://abc/x.html', 'ftp://seller.example.com/x'])
    expect(base, req(url), false, 'scheme-blocked');
  // The scheme settles it before the rest is read; spellings the URL parser reads as a scheme too.
  for (const url of ['chrome://[bad', 'FILE:///C:/x', ' javascript:alert(1)', 'java\nscript:alert(1)', 'about:config']) expect(base, req(url), false, 'scheme-blocked');
  for (const url of ['HTTPS://seller.example.com/orders', 'ht\ttps://seller.example.com/orders']) expect(base, req(url), true, 'module-view');
  expect(base, req('data:text/html,<h1>hi</h1>'), false, 'scheme-blocked');
  expect(base, req('blob:https://seller.example.com/1234'), false, 'scheme-blocked');
  expect(base, req('data:image/png;base64,AAAA', { resourceType: 'image', isMainFrame: false }), true, 'internal-page');
  expect(base, req('about:blank'), true, 'internal-page');
  for (const url of ['', 'not a url', 'https://', 'https://exa mple.com/', 'http://[::1/x']) expect(base, req(url), false, 'invalid-url');
});

test('View allows safe methods and blocks mutations, except the module’s read-only POSTs', () => {
  for (const method of ['GET', 'HEAD', 'OPTIONS', 'get']) expect(base, req('https://seller.example.com/orders/123', { method }), true, 'module-view');
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) expect(base, req('https://seller.example.com/orders/123', { method }), false, 'module-view-mutation');
  const d = expect(base, req('https://seller.example.com/orders/search?q=1', { method: 'POST', resourceType: 'xhr', isMainFrame: false }), true, 'module-view-readonly-post');
  assert.equal(d.module, 'orders');
  assert.equal(d.level, 'view');
  assert.equal(d.ruleId, 'module:orders');
});

test('a module not listed in the role is None; other URLs follow otherLevel', () => {
  const d = expect(base, req('https://seller.example.com/payments'), false, 'module-none');
  assert.deepEqual([d.module, d.level], ['payments', 'none']);
  expect(base, req('https://seller.example.com/dashboard'), true, 'other-view');
  expect(base, req('https://seller.example.com/dashboard', { method: 'POST' }), false, 'other-view-mutation');
  const closed = policy([role('closed', { otherLevel: 'none' })], [assign('amy', 'closed')]);
  expect(closed, req('https://seller.example.com/dashboard'), false, 'other-none');
  const open = policy([role('open', { otherLevel: 'edit' })], [assign('amy', 'open')]);
  expect(open, req('https://seller.example.com/dashboard', { method: 'DELETE' }), true, 'other-edit');
});

test('the most specific module filter wins: refund pages are their own module inside orders', () => {
  const edit = policy([role('r', { levels: { orders: 'none', refunds: 'edit' } })], [assign('amy', 'r')]);
  const d = expect(edit, req('https://seller.example.com/orders/refund/9', { method: 'POST' }), false, 'step-up-required');
  assert.equal(d.module, 'refunds');
  expect(edit, req('https://seller.example.com/orders/9'), false, 'module-none');
});

test('the baseline lets static assets through for safe methods only', () => {
  const closed = policy([role('closed', { otherLevel: 'none' })], [assign('amy', 'closed')]);
  expect(closed, req('https://static.cdn.example.net/app.js', { resourceType: 'script', isMainFrame: false }), true, 'baseline');
  expect(closed, req('https://cdn.example.net/upload', { method: 'POST', resourceType: 'xhr', isMainFrame: false }), false, 'other-none');
});

test('custom rules win over module levels, most specific first, allow winning a tie', () => {
  const r = role('r', {
    levels: { orders: 'edit', payments: 'view' },
    rules: [
      { id: 'no-order-export', action: 'block', filter: 'seller.example.com/orders/export' },
      { id: 'export-csv-ok', action: 'allow', filter: 'seller.example.com/orders/export?format=csv' },
      { id: 'statement-block', action: 'block', filter: 'seller.example.com/payments/statement' },
      { id: 'statement-allow', action: 'allow', filter: 'seller.example.com/payments/statement' },
      { id: 'no-delete', action: 'block', filter: 'seller.example.com/orders', methods: ['DELETE'] },
    ],
  });
  const p = policy([r], [assign('amy', 'r')]);
  let d = expect(p, req('https://seller.example.com/orders/export/all'), false, 'rule-block');
  assert.deepEqual([d.ruleId, d.module, d.level], ['no-order-export', 'orders', 'edit']);
  d = expect(p, req('https://seller.example.com/orders/export/all?format=csv'), true, 'rule-allow');
  assert.equal(d.ruleId, 'export-csv-ok');
  // Chrome's URLAllowlist reading: a repeated key must match at every occurrence.
  expect(p, req('https://seller.example.com/orders/export/all?format=csv&format=xlsx'), false, 'rule-block');
  d = expect(p, req('https://seller.example.com/payments/statement'), true, 'rule-allow');
  assert.equal(d.ruleId, 'statement-allow');
  expect(p, req('https://seller.example.com/orders/5', { method: 'DELETE' }), false, 'rule-block');
  expect(p, req('https://seller.example.com/orders/5', { method: 'PUT' }), true, 'module-edit');
});

test('allow rules expand the assignment scope; without values they grant nothing', () => {
  const r = role('temp', { levels: { orders: 'view' }, rules: [{ id: 'own-asins', action: 'allow', filter: '{seller}/orders/edit?asin={asin}' }] });
  const p = policy([r], [assign('amy', 'temp', { scope: { asin: ['B01', 'B02'] } }), assign('ben', 'temp')]);
  expect(p, req('https://seller.example.com/orders/edit?asin=B02', { method: 'POST' }), true, 'rule-allow');
  expect(p, req('https://seller.example.com/orders/edit?asin=B03', { method: 'POST' }), false, 'module-view-mutation');
  expect(p, req('https://seller.example.com/orders/edit?asin=B01&asin=B03', { method: 'POST' }), false, 'module-view-mutation');
  expect(p, req('https://seller.example.com/orders/edit?asin=B01', { method: 'POST', userId: 'ben' }), false, 'module-view-mutation');
  assert.deepEqual(p.problems, []);
});

test('a block rule whose placeholder has no values fails closed with a problem to fix', () => {
  const r = role('r', { levels: { orders: 'edit' }, rules: [{ id: 'b', action: 'block', filter: '{seller}/orders?asin={asin}' }] });
  const p = policy([r], [assign('amy', 'r')]);
  expect(p, req('https://seller.example.com/orders'), false, 'error');
  assert.match(p.problems[0] ?? '', /\{asin\}/);
});

test('step-up pages need a live owner grant for that page', () => {
  const r = role('r', { levels: { orders: 'edit', refunds: 'edit' }, stepUp: ['seller.example.com/orders/cancel'] });
  const url = 'https://seller.example.com/orders/refund/77';
  const grant: StepUpGrant = { userId: 'amy', storeId: 's1', filter: 'seller.example.com/orders/refund', until: T0 + HOUR };
  const without = policy([r], [assign('amy', 'r')]);
  const d = expect(without, req(url), false, 'step-up-required');
  assert.equal(d.filter, 'seller.example.com/orders/refund');
  expect(without, req('https://seller.example.com/orders/cancel/1'), false, 'step-up-required');
  const withGrant = policy([r], [assign('amy', 'r')], { grants: [grant] });
  expect(withGrant, req(url), true, 'step-up-granted');
  expect(withGrant, req(url), false, 'step-up-required', T0 + HOUR);
  expect(withGrant, req('https://seller.example.com/orders/cancel/1'), false, 'step-up-required');
  expect(withGrant, req(url, { userId: 'ben' }), false, 'no-assignment');
});

test('the most specific step-up page wins, whether the role or the catalogue has it: a grant for a broad page does not open a narrower one', () => {
  // The role asks approval for all of /orders; the catalogue's refund page is narrower.
  const r = role('r', { levels: { orders: 'edit', refunds: 'edit' }, stepUp: ['seller.example.com/orders'] });
  const broad: StepUpGrant = { userId: 'amy', storeId: 's1', filter: 'seller.example.com/orders', until: T0 + HOUR };
  const p = policy([r], [assign('amy', 'r')], { grants: [broad] });
  expect(p, req('https://seller.example.com/orders/list'), true, 'step-up-granted');
  const refund = expect(p, req('https://seller.example.com/orders/refund/77', { method: 'POST' }), false, 'step-up-required');
  assert.equal(refund.filter, 'seller.example.com/orders/refund', 'the owner is asked about the refund page itself');
  // And the other way round: a role page narrower than the catalogue's is the one asked about.
  const narrow = role('n', { levels: { orders: 'edit', refunds: 'edit' }, stepUp: ['seller.example.com/orders/refund/big'] });
  const q = policy([narrow], [assign('amy', 'n')]);
  assert.equal(expect(q, req('https://seller.example.com/orders/refund/big/1'), false, 'step-up-required').filter, 'seller.example.com/orders/refund/big');
  assert.equal(expect(q, req('https://seller.example.com/orders/refund/1'), false, 'step-up-required').filter, 'seller.example.com/orders/refund');
});

test('downloads follow the role’s switch', () => {
  const download = req('https://seller.example.com/orders/report.csv', { resourceType: 'download', isMainFrame: false });
  expect(base, download, false, 'download-disabled');
  const r = role('dl', { levels: { orders: 'view' }, switches: { downloads: true, uploads: false, devtools: false, printing: false } });
  expect(policy([r], [assign('amy', 'dl')]), download, true, 'module-view');
});

test('a role whose rules cannot be compiled blocks its holders and names the problem; others are unaffected', () => {
  const broken = role('broken', { levels: { orders: 'edit' }, rules: [{ id: 'bad', action: 'block', filter: '*.example.com' }] });
  const p = policy([broken, ORDERS_VIEW], [assign('amy', 'broken'), assign('ben', 'orders-view')]);
  expect(p, req('https://seller.example.com/orders'), false, 'error');
  expect(p, req('https://seller.example.com/orders', { userId: 'ben' }), true, 'module-view');
  assert.equal(p.problems.length, 1);
  assert.match(p.problems[0] ?? '', /broken.*bad.*\*\.example\.com/);
  const dangling = policy([], [assign('amy', 'missing-role')]);
  expect(dangling, req('https://seller.example.com/orders'), false, 'error');
  assert.match(dangling.problems[0] ?? '', /role not found/);
});

test('decide never throws: a corrupted policy or request is a block with reason "error"', () => {
  const corrupted = { ...base, subjects: null } as unknown as CompiledPolicy;
  expect(corrupted, req('https://seller.example.com/orders'), false, 'error');
  expect({} as CompiledPolicy, req('https://seller.example.com/orders'), false, 'error');
  const badRequest = { ...req('https://seller.example.com/orders'), method: undefined } as unknown as GuardRequest;
  expect(base, badRequest, false, 'error');
  const d = decide(null as unknown as GuardRequest, base, T0);
  assert.deepEqual([d.allowed, d.reason], [false, 'error']);
});

test('look-alike URLs do not borrow another host’s rights', () => {
  const r = role('r', { levels: { orders: 'edit' }, otherLevel: 'none' });
  const p = policy([r], [assign('amy', 'r')]);
  expect(p, req('https://seller.example.com@evil.example/orders', { method: 'POST' }), false, 'other-none');
  expect(p, req('https://seller.example.com.evil.example/orders', { method: 'POST' }), false, 'other-none');
  expect(p, req('https://SELLER.EXAMPLE.COM./orders', { method: 'POST' }), true, 'module-edit');
  expect(p, req('https://seller.example.com/x/../orders', { method: 'POST' }), true, 'module-edit');
  expect(p, req('https://seller.example.com/%6Frders', { method: 'POST' }), true, 'module-edit');
});

test('a path a lenient server reads as a blocked page is blocked: merged slashes, ;parameters, encoded slashes', () => {
  // Chrome's filters match the path as sent; nginx merges slashes, servlet containers drop
  // ";..." before resolving "..", some servers decode %2F: each of these serves /payments.
  const open = policy([role('open', { levels: { orders: 'edit' }, otherLevel: 'edit' })], [assign('amy', 'open')]);
  const served = ['//payments/x', '///payments', '/%2Fpayments/x', '/%2fpayments', '/orders%2F..%2Fpayments', '/orders/..;/payments', '/;/payments', '/orders;x/..;y/payments', '/%5Cpayments', '/orders/%2E%2E%2Fpayments', '/orders/.x/../../payments'];
  for (const path of served) {
    const d = expect(open, req(`https://seller.example.com${path}`), false, 'module-none');
    assert.equal(d.module, 'payments', path);
    assert.match(d.servedPath ?? '', /^\/payments/, `${path}: the decision says which reading decided`);
  }
  assert.equal(expect(open, req('https://seller.example.com/payments/x'), false, 'module-none').servedPath, undefined, 'a path read as sent says nothing more');
  // A step-up page read that way still asks the owner, and a grant for it opens it (decided as sent then).
  const refunds = policy([role('refunds', { levels: { orders: 'edit', refunds: 'edit' } })], [assign('amy', 'refunds')]);
  expect(refunds, req('https://seller.example.com/orders//refund/7'), false, 'step-up-required');
  const grant: StepUpGrant = { userId: 'amy', storeId: 's1', filter: 'seller.example.com/orders/refund', until: T0 + HOUR };
  expect(policy([role('refunds', { levels: { orders: 'edit', refunds: 'edit' } })], [assign('amy', 'refunds')], { grants: [grant] }), req('https://seller.example.com/orders//refund/7'), true, 'module-edit');
  // Paths that read the same, or read as a page the role may use, keep their decision as sent.
  expect(open, req('https://seller.example.com/orders//list;jsessionid=1', { method: 'POST' }), true, 'module-edit');
  expect(open, req('https://seller.example.com/dashboard//x'), true, 'other-edit');
  expect(open, req('https://seller.example.com/payments%2Fx'), false, 'module-none');
  // A block as sent stays that block, whatever the other reading.
  const r = role('r', { levels: { orders: 'edit' }, otherLevel: 'edit', rules: [{ id: 'no-odd', action: 'block', filter: 'seller.example.com//orders' }] });
  assert.equal(expect(policy([r], [assign('amy', 'r')]), req('https://seller.example.com//orders'), false, 'rule-block').ruleId, 'no-odd');
});

test('an IP address is never an "other" URL: the platform’s own server by address is blocked unless a rule names it', () => {
  // otherLevel View would let any other host through; an address may be seller.example.com itself.
  for (const url of ['https://54.239.28.85/payments', 'https://[2600:9000::1]/payments', 'http://0x7f.1:8080/payments', 'https://3652000469/orders'])
    assert.deepEqual(
      [expect(base, req(url), false, 'other-none').level, expect(base, req(url, { resourceType: 'xhr', isMainFrame: false }), false, 'other-none').module],
      ['none', null],
      url,
    );
  const open = policy([role('open', { otherLevel: 'edit' })], [assign('amy', 'open')]);
  expect(open, req('http://127.0.0.1/dashboard'), false, 'other-none');
  // A custom rule (or a module filter) naming the address still decides; the owner is unaffected.
  const ruled = policy([role('ruled', { otherLevel: 'view', rules: [{ id: 'printer', action: 'allow', filter: '192.168.1.20' }] })], [assign('amy', 'ruled')]);
  expect(ruled, req('http://192.168.1.20/status'), true, 'rule-allow');
  expect(ruled, req('http://192.168.1.21/status'), false, 'other-none');
  expect(base, req('https://54.239.28.85/payments', { userId: 'owner' }), true, 'owner');
  // Host names still follow otherLevel.
  expect(base, req('https://elsewhere.example/'), true, 'other-view');
});

test('page-built (data:/blob:) downloads follow the downloads switch and the assignment too', () => {
  const blobDownload = req('blob:https://seller.example.com/7d1c', { resourceType: 'download', isMainFrame: false });
  expect(base, blobDownload, false, 'download-disabled');
  expect(base, { ...blobDownload, url: 'data:text/csv,a,b' }, false, 'download-disabled');
  expect(base, { ...blobDownload, userId: 'ben' }, false, 'no-assignment');
  expect(base, { ...blobDownload, userId: 'owner' }, true, 'owner');
  const r = role('dl', { switches: { downloads: true, uploads: false, devtools: false, printing: false } });
  expect(policy([r], [assign('amy', 'dl')]), blobDownload, true, 'internal-page');
});

test('an empty scope list does not make a block rule vanish', () => {
  const r = role('r', { levels: { orders: 'edit' }, rules: [{ id: 'b', action: 'block', filter: '{seller}/orders?asin={asin}' }] });
  const p = policy([r], [assign('amy', 'r', { scope: { asin: [] } })]);
  expect(p, req('https://seller.example.com/orders?asin=B01'), false, 'error');
  assert.match(p.problems[0] ?? '', /\{asin\}/);
});
