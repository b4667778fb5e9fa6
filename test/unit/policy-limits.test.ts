// Limits that keep compile() and decide() bounded whatever the owner's data or a page's URL:
// placeholder expansion caps (a rule over them fails closed with a problem) and long queries
// (indexed; absurdly long ones refused as invalid-url).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_PLATFORMS } from '../../shared/catalog';
import type { Assignment, Scope } from '../../shared/model/assignment';
import type { GuardRequest } from '../../shared/model/decision';
import { Role, type RoleInput } from '../../shared/model/role';
import type { Store } from '../../shared/model/store';
import type { User } from '../../shared/model/staff';
import { compile, MAX_EXPANSIONS_PER_FILTER, MAX_EXPANSIONS_PER_PROFILE, type CompiledPolicy } from '../../shared/policy/compile';
import { decide } from '../../shared/policy/decide';
import { countExpansions } from '../../shared/policy/placeholders';
import { MAX_QUERY_TOKENS, parseRequestUrl } from '../../shared/policy/request-url';
import { roleTemplate } from '../../shared/policy/templates';
import { storeRecord } from './policy-test-helpers';

const T0 = 1_700_000_000_000;
const SELLER = 'https://sellercentral.amazon.com';

const user = (id: string, kind: User['kind'] = 'staff'): User => ({ id, username: id, displayName: id, kind, disabled: false, createdAt: T0, updatedAt: T0 });
const store: Store = storeRecord({ id: 's1', platformId: 'amazon', siteId: 'us', homeUrl: `${SELLER}/home` }, T0);
const role = (id: string, input: Partial<RoleInput>): Role => Role.parse({ name: id, ...input, id, createdAt: T0, updatedAt: T0 });
const assign = (staffId: string, roleId: string, scope: Scope = {}): Assignment => ({
  id: `a-${staffId}`,
  staffId,
  storeId: 's1',
  roleId,
  validFrom: null,
  validUntil: null,
  scope,
  createdAt: T0,
  updatedAt: T0,
});

function policy(roles: Role[], assignments: Assignment[]): CompiledPolicy {
  return compile({ platforms: BUILTIN_PLATFORMS, stores: [store], users: [user('owner', 'owner'), user('amy'), user('ben'), user('cy')], roles, assignments, grants: [] });
}

function expect(p: CompiledPolicy, url: string, method: string, allowed: boolean, reason: string, userId = 'amy') {
  const request: GuardRequest = { storeId: 's1', userId, url, method, resourceType: 'xhr', isMainFrame: false };
  const d = decide(request, p, T0);
  assert.deepEqual([d.allowed, d.reason], [allowed, reason], `${method} ${url.slice(0, 120)}…: ${JSON.stringify(d)}`);
  return d;
}

const values = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(8, '0')}`);

test('countExpansions is the product of the value counts, 0 when a name has none', () => {
  const lookup = (name: string) => ({ a: ['1', '2', '3'], b: ['x', 'y'], none: [] })[name];
  assert.equal(countExpansions('h/{a}?b={b}&again={a}', lookup), 6);
  assert.equal(countExpansions('h/{a}?n={none}', lookup), 0);
  assert.equal(countExpansions('h/{a}?u={undefined}', lookup), 0);
  assert.equal(countExpansions('h/plain', lookup), 1);
});

test('a rule that expands past the per-filter cap blocks its subject with a problem naming it; others are unaffected', () => {
  const pairs = role('pairs', { levels: { listings: 'view' }, rules: [{ id: 'asin-sku', action: 'allow', filter: '{seller}/abis/listing/edit?asin={asin}&sku={sku}' }] });
  const triples = role('triples', { levels: { listings: 'view' }, rules: [{ id: 'three', action: 'block', filter: '{seller}/abis/{kind}/edit?asin={asin}&sku={sku}' }] });
  const scope = { asin: values('B', 1000), sku: values('S', 1000), kind: values('K', 1000) };
  // 1,000,000 filters took half a minute and 1.7 GB; 10^9 ran the process out of memory.
  const p = policy([pairs, triples, role('viewer', { levels: { listings: 'view' } })], [assign('amy', 'pairs', scope), assign('ben', 'triples', scope), assign('cy', 'viewer', scope)]);
  expect(p, `${SELLER}/abis/listing/edit?asin=B00000001&sku=S00000002`, 'POST', false, 'error');
  expect(p, `${SELLER}/abis/listing/edit?asin=B00000001`, 'GET', false, 'error', 'ben');
  assert.equal(p.problems.length, 2, p.problems.join('\n'));
  assert.match(p.problems[0] ?? '', /^assignment a-amy: role "pairs", rule asin-sku: .*1,000,000 filters.*\{asin\}: 1,000 × \{sku\}: 1,000.*more than the 10,000 allowed/);
  assert.match(p.problems[1] ?? '', /^assignment a-ben: role "triples", rule three: .*1,000,000,000 filters/);
  expect(p, `${SELLER}/abis/listing/edit?asin=B00000001`, 'GET', true, 'module-view', 'cy');
});

test('a rule just under the per-filter cap compiles and decides', () => {
  const side = Math.floor(Math.sqrt(MAX_EXPANSIONS_PER_FILTER));
  const r = role('pairs', { levels: { listings: 'view' }, rules: [{ id: 'asin-sku', action: 'allow', filter: '{seller}/abis/listing/edit?asin={asin}&sku={sku}' }] });
  const p = policy([r], [assign('amy', 'pairs', { asin: values('B', side), sku: values('S', side) })]);
  assert.deepEqual(p.problems, []);
  expect(p, `${SELLER}/abis/listing/edit?asin=B00000007&sku=S00000099`, 'POST', true, 'rule-allow');
  expect(p, `${SELLER}/abis/listing/edit?asin=B00000007&sku=S00000100`, 'POST', false, 'module-view-mutation');
});

test('a role whose filters together expand past the per-profile cap blocks its subject with a problem', () => {
  // Each rule is 1,000 filters (1,000 ASINs at a one-host site); step-up pages count too.
  const perRule = 1000;
  const rules = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, action: 'allow' as const, filter: `{seller}/abis/p${i}?asin={asin}` }));
  const n = MAX_EXPANSIONS_PER_PROFILE / perRule;
  const over = role('many', { levels: { listings: 'view' }, rules: rules(n), stepUp: ['{seller}/abis/step?asin={asin}'] });
  const p = policy([over], [assign('amy', 'many', { asin: values('B', perRule) })]);
  expect(p, `${SELLER}/abis/p1?asin=B00000001`, 'POST', false, 'error');
  assert.equal(p.problems.length, 1);
  assert.match(p.problems[0] ?? '', /^assignment a-amy: role "many": .*51,000 filters.*more than the 50,000 allowed.*largest: rule r0 \(1,000\)/);
  // The same role with fewer values is fine.
  const fewer = policy([over], [assign('amy', 'many', { asin: values('B', 10) })]);
  assert.deepEqual(fewer.problems, []);
  expect(fewer, `${SELLER}/abis/p1?asin=B00000001`, 'POST', true, 'rule-allow');
});

test('a URL with thousands of query tokens is decided as before (Temporary template, 1,000 ASINs)', () => {
  const asins = values('B0', 1000);
  const p = policy([role('temp', roleTemplate('temporary'))], [assign('amy', 'temp', { asin: asins })]);
  const edit = `${SELLER}/abis/listing/edit?`;
  const junk = 'z&'.repeat(MAX_QUERY_TOKENS - asins.length - 1);
  // Every ASIN of the scope at once: the allow rule needs every `asin` to match, so none does.
  expect(p, edit + junk + asins.map((a) => `asin=${a}`).join('&'), 'POST', false, 'module-view-mutation');
  expect(p, `${edit + junk}asin=${asins[500]}`, 'POST', true, 'rule-allow');
  expect(p, `${edit + junk}asin=${asins[500]}&asin=B0ZZZ99999`, 'POST', false, 'module-view-mutation');
  expect(p, `${edit + junk}asin=B0ZZZ99999`, 'POST', false, 'module-view-mutation');
  const distinctJunk = Array.from({ length: MAX_QUERY_TOKENS - 1 }, (_, i) => `z${i}&`).join('');
  expect(p, `${edit + distinctJunk}asin=${asins[1]}`, 'POST', true, 'rule-allow');
  expect(p, `${edit + distinctJunk}asin=${asins[1]}x`, 'POST', false, 'module-view-mutation');
});

test('a URL with more than MAX_QUERY_TOKENS query tokens is refused as invalid-url, for everyone', () => {
  const asins = values('B0', 1000);
  const p = policy([role('temp', roleTemplate('temporary'))], [assign('amy', 'temp', { asin: asins })]);
  // The reviewer's URL: 300,000 junk tokens, then 1,000 `asin=` (616 KB); it took 2.8 s to decide.
  const reviewers = `${SELLER}/abis/listing/edit?${'z&'.repeat(300_000)}${asins.map((a) => `asin=${a}`).join('&')}`;
  expect(p, reviewers, 'POST', false, 'invalid-url');
  expect(p, reviewers, 'GET', false, 'invalid-url', 'owner');
  const at = `${SELLER}/abis?${'z&'.repeat(MAX_QUERY_TOKENS - 1)}z`;
  assert.equal(parseRequestUrl(at)?.query.length, MAX_QUERY_TOKENS);
  assert.equal(parseRequestUrl(`${at}&z`), null);
  // Empty tokens are not tokens.
  assert.equal(parseRequestUrl(`${at}&&&`)?.query.length, MAX_QUERY_TOKENS);
  // The URL parser's path (not the canonical pattern) counts the same way.
  assert.equal(parseRequestUrl(`${at.replace('sellercentral', 'SellerCentral')}&z`), null);
});
