import { test } from 'node:test';
import assert from 'node:assert/strict';
import amazonJson from '../../shared/catalog/amazon-seller-central.json';
import taobaoJson from '../../shared/catalog/taobao.json';
import {
  BUILTIN_PLATFORMS,
  expandSiteFilters,
  getPlatform,
  getSite,
  parseCustomPlatform,
  platformProblems,
  translateFilterBetweenSites,
} from '../../shared/catalog';
import { Platform, type CatalogSite } from '../../shared/catalog/schema';
import { FilterIndex } from '../../shared/policy/filter-index';
import { parseRequestUrl } from '../../shared/policy/request-url';
import { parseUrlFilter } from '../../shared/policy/url-filter';

function platform(id: string): Platform {
  const found = getPlatform(id);
  assert.ok(found, `platform ${id} should be built in`);
  return found;
}

function site(platformId: string, siteId: string): CatalogSite {
  const found = getSite(platform(platformId), siteId);
  assert.ok(found, `site ${platformId}/${siteId} should exist`);
  return found;
}

/** Every filter list of a platform: module filters, read-only POSTs and the baseline. */
function allFilters(p: Platform): string[] {
  return [...p.modules.flatMap((m) => [...m.filters, ...m.readOnlyPost]), ...p.baseline];
}

/** The module whose expanded filter is most specific for `url` (as the guard picks it), or null. */
function moduleOf(p: Platform, s: CatalogSite, url: string): string | null {
  const index = new FilterIndex<string>();
  for (const m of p.modules)
    for (const text of expandSiteFilters(m.filters, s)) {
      const parsed = parseUrlFilter(text);
      assert.ok(parsed.ok, text);
      index.add(parsed.filter, m.id);
    }
  const request = parseRequestUrl(url);
  assert.ok(request, url);
  return index.mostSpecific(request)?.values[0] ?? null;
}

const minimalPlatform = () => ({
  id: 'my-shop',
  name: { en: 'My shop', zh: '我的店' },
  sites: [
    { id: 'main', name: { en: 'Main', zh: '主站' }, hosts: { admin: ['admin.myshop.example'], pay: ['pay.myshop.example'] }, homeUrl: 'https://admin.myshop.example/', locale: 'en' },
    { id: 'eu', name: { en: 'EU', zh: '欧洲' }, hosts: { admin: ['eu-admin.myshop.example'], pay: ['pay.myshop.example'] }, homeUrl: 'https://eu-admin.myshop.example/', locale: 'en' },
  ],
  modules: [
    { id: 'orders', name: { en: 'Orders', zh: '订单' }, filters: ['{admin}/orders'], readOnlyPost: ['{admin}/orders/search'] },
    { id: 'payments', name: { en: 'Payments', zh: '付款' }, filters: ['{pay}'], sensitive: true },
  ],
  baseline: ['cdn.myshop.example'],
});

test('both shipped JSON files pass the Platform schema and the extra checks', () => {
  for (const [file, json] of [['amazon-seller-central.json', amazonJson], ['taobao.json', taobaoJson]] as const) {
    const parsed = Platform.safeParse(json);
    assert.ok(parsed.success, `${file}: ${parsed.error?.message}`);
    assert.deepEqual(platformProblems(parsed.data), [], file);
  }
  assert.deepEqual(
    BUILTIN_PLATFORMS.map((p) => p.id),
    ['amazon', 'taobao'],
  );
  assert.ok(Object.isFrozen(BUILTIN_PLATFORMS[0]!.modules[0]!.filters), 'built-ins are frozen');
});

test('the required sites exist with their Seller Central hosts', () => {
  const expected: Record<string, string> = {
    us: 'sellercentral.amazon.com',
    uk: 'sellercentral.amazon.co.uk',
    de: 'sellercentral.amazon.de',
    eu: 'sellercentral-europe.amazon.com',
    ca: 'sellercentral.amazon.ca',
    fr: 'sellercentral.amazon.fr',
    it: 'sellercentral.amazon.it',
    es: 'sellercentral.amazon.es',
  };
  for (const [id, host] of Object.entries(expected)) assert.equal(site('amazon', id).hosts.seller![0], host, `${id}: its own host first`);
  assert.deepEqual(site('amazon', 'jp').hosts.seller, ['sellercentral.amazon.co.jp', 'sellercentral-japan.amazon.com']);
  assert.deepEqual(site('amazon', 'de').hosts.ads, ['advertising.amazon.de']);
  assert.ok(site('taobao', 'taobao').hosts.pay!.includes('alipay.com'));
  assert.ok(getSite(platform('taobao'), 'tmall'));
  assert.equal(getPlatform('nope'), undefined);
  assert.equal(getSite(platform('amazon'), 'nope'), undefined);
});

test('a European account is guarded on every host it is served on: the unified site lists each EU Seller Central host, each EU country site the European one', () => {
  const eu = site('amazon', 'eu').hosts;
  for (const country of ['uk', 'de', 'fr', 'it', 'es']) {
    const own = site('amazon', country).hosts;
    assert.deepEqual(own.seller, [expectedSellerHost(country), 'sellercentral-europe.amazon.com'], country);
    assert.ok(eu.seller!.includes(own.seller![0]!), `eu lists ${own.seller![0]}`);
    assert.ok(eu.login!.includes(own.login![0]!), `eu lists ${own.login![0]}`);
  }
});

function expectedSellerHost(country: string): string {
  return `sellercentral.amazon.${country === 'uk' ? 'co.uk' : country}`;
}

test('every site of a platform defines the same host keys', () => {
  for (const p of BUILTIN_PLATFORMS) {
    const keys = Object.keys(p.sites[0]!.hosts).sort();
    for (const s of p.sites) assert.deepEqual(Object.keys(s.hosts).sort(), keys, `${p.id}/${s.id}`);
  }
});

test('every module has names and a description in both languages', () => {
  for (const p of BUILTIN_PLATFORMS)
    for (const m of p.modules) {
      assert.ok(m.name.en && m.name.zh && m.description?.en && m.description.zh, `${p.id}/${m.id}`);
      assert.match(m.name.zh, /\p{Script=Han}/u, `${p.id}/${m.id} zh name`);
    }
});

test('the sensitive modules are the ones the guide keeps for the owner', () => {
  const sensitive = (id: string) => platform(id).modules.filter((m) => m.sensitive).map((m) => m.id).sort();
  assert.deepEqual(sensitive('amazon'), ['account', 'close-account', 'login-security', 'payments', 'tax', 'user-permissions']);
  assert.deepEqual(sensitive('taobao'), ['account', 'login-security', 'payments', 'user-permissions']);
  for (const p of BUILTIN_PLATFORMS) assert.equal(p.modules.find((m) => m.id === 'login-security')?.stepUp, true, p.id);
});

test('the module ids the platforms share cover the day-to-day work', () => {
  const ids = (id: string) => new Set(platform(id).modules.map((m) => m.id));
  const shared = ['listings', 'orders', 'shipping', 'returns', 'promotions', 'advertising', 'messages', 'reports', 'payments', 'user-permissions', 'account', 'login-security'];
  for (const id of shared) {
    assert.ok(ids('amazon').has(id), `amazon lacks ${id}`);
    assert.ok(ids('taobao').has(id), `taobao lacks ${id}`);
  }
});

test('every catalogue filter expands to parseable filters for every site, with no placeholder left', () => {
  for (const p of BUILTIN_PLATFORMS)
    for (const s of p.sites)
      for (const filter of allFilters(p)) {
        const expanded = expandSiteFilters([filter], s);
        // One filter per host of each key it names.
        const names = [...filter.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
        const expectedCount = names.reduce((n, key) => n * s.hosts[key]!.length, 1);
        assert.equal(expanded.length, expectedCount, `${p.id}/${s.id} ${filter}`);
        for (const text of expanded) {
          assert.ok(!text.includes('{') && !text.includes('}'), `${p.id}/${s.id}: ${text}`);
          const parsed = parseUrlFilter(text);
          assert.ok(parsed.ok, `${p.id}/${s.id}: ${text}: ${parsed.ok ? '' : parsed.error}`);
        }
      }
});

test('expandSiteFilters: one filter per host, extra values, and a clear error for an unknown key', () => {
  const jp = site('amazon', 'jp');
  assert.deepEqual(expandSiteFilters(['{seller}/orders-v3', 'm.media-amazon.com'], jp), [
    'sellercentral.amazon.co.jp/orders-v3',
    'sellercentral-japan.amazon.com/orders-v3',
    'm.media-amazon.com',
  ]);
  assert.deepEqual(expandSiteFilters(['{seller}/abis/listing/edit?asin={asin}'], site('amazon', 'us'), { asin: ['B0A', 'B0B'] }), [
    'sellercentral.amazon.com/abis/listing/edit?asin=B0A',
    'sellercentral.amazon.com/abis/listing/edit?asin=B0B',
  ]);
  // An extra value with no entries makes the filter stand for nothing.
  assert.deepEqual(expandSiteFilters(['{seller}/x?asin={asin}'], jp, { asin: [] }), []);
  assert.throws(() => expandSiteFilters(['{sellr}/orders'], site('amazon', 'us')), /\{sellr\}.*site "us".*\{seller\}, \{ads\}, \{login\}/);
  // Object.prototype names are not host keys.
  assert.throws(() => expandSiteFilters(['{constructor}/x'], site('amazon', 'us')), /\{constructor\}/);
});

test('catalogue filters put the fake seller pages in the right modules', () => {
  const amazon = platform('amazon');
  const us = site('amazon', 'us');
  const cases: [string, string | null][] = [
    ['https://sellercentral.amazon.com/orders-v3/order/111-1234567-1234567', 'orders'],
    ['https://sellercentral.amazon.com/orders-v3/refund/111-1234567-1234567', 'returns'],
    ['https://sellercentral.amazon.com/inventory', 'inventory'],
    ['https://sellercentral.amazon.com/abis/listing/edit?sku=MUG-RED-01', 'listings'],
    ['https://sellercentral.amazon.com/listing/reports', 'reports'],
    ['https://sellercentral.amazon.com/payments/dashboard', 'payments'],
    ['https://sellercentral.amazon.com/gp/account-manager/home.html', 'user-permissions'],
    ['https://sellercentral.amazon.com/sw/AccountInfo', 'account'],
    ['https://sellercentral.amazon.com/sw/AccountInfo/CloseAccount', 'close-account'],
    ['ws://sellercentral.amazon.com/messaging/ws', 'messages'],
    ['https://sellercentral.amazon.com/returns/list', 'returns'],
    ['https://sellercentral.amazon.com/reports/download/report.csv', 'reports'],
    ['https://advertising.amazon.com/cm/campaigns', 'advertising'],
    ['https://sellercentral.amazon.com/cm/campaigns', 'advertising'],
    ['https://www.amazon.com/ap/signin', 'login-security'],
    ['https://sellercentral.amazon.com/ap/signin', 'login-security'],
    ['https://sellercentral.amazon.com/tax/nexus/settings', 'tax'],
    ['https://sellercentral.amazon.com/taxonomy', null],
    ['https://sellercentral.amazon.com/home', null],
    ['https://m.media-amazon.com/images/G/01/sc-logo.png', null],
  ];
  for (const [url, expected] of cases) assert.equal(moduleOf(amazon, us, url), expected, url);
  assert.equal(moduleOf(amazon, site('amazon', 'de'), 'https://sellercentral.amazon.de/orders-v3'), 'orders');
  assert.equal(moduleOf(amazon, site('amazon', 'de'), 'https://sellercentral.amazon.com/orders-v3'), null, 'the DE store does not cover the US host');

  const taobao = platform('taobao');
  const tb = site('taobao', 'taobao');
  const taobaoCases: [string, string | null][] = [
    ['https://myseller.taobao.com/goods/edit?id=610000000001', 'listings'],
    ['https://trade.taobao.com/trade/itemlist', 'orders'],
    ['https://sycm.taobao.com/portal/home.htm', 'reports'],
    ['https://www.alipay.com/withdraw', 'payments'],
    ['https://b.alipay.com/page/home', 'payments'],
    ['https://login.taobao.com/member/login.jhtml', 'login-security'],
    ['https://zizhanghao.taobao.com/subaccount/list.htm', 'user-permissions'],
    ['https://refund2.taobao.com/dispute/list.htm', 'returns'],
    ['https://wuliu.taobao.com/user/consign.htm', 'shipping'],
    ['https://myseller.taobao.com/home', null],
    ['https://g.alicdn.com/css/qn.css', null],
  ];
  for (const [url, expected] of taobaoCases) assert.equal(moduleOf(taobao, tb, url), expected, url);
});

test('translateFilterBetweenSites round-trips US → DE → US for every catalogue filter', () => {
  const amazon = platform('amazon');
  const [us, de] = [site('amazon', 'us'), site('amazon', 'de')];
  for (const filter of allFilters(amazon)) {
    const onUs = expandSiteFilters([filter], us);
    const onDe = expandSiteFilters([filter], de);
    onUs.forEach((text, i) => {
      const translated = translateFilterBetweenSites(text, us, de);
      // The US filter becomes exactly what the catalogue gives DE, and comes back unchanged.
      assert.equal(translated, onDe[i], text);
      assert.equal(translateFilterBetweenSites(translated, de, us), text);
    });
  }
});

test('translateFilterBetweenSites keeps scheme, user info, port, subdomain, path and query', () => {
  const [us, de, jp] = [site('amazon', 'us'), site('amazon', 'de'), site('amazon', 'jp')];
  assert.equal(
    translateFilterBetweenSites('https://SellerCentral.Amazon.com:443/orders-v3?a=1', us, de),
    'https://sellercentral.amazon.de:443/orders-v3?a=1',
  );
  assert.equal(translateFilterBetweenSites('.sellercentral.amazon.com/home', us, de), '.sellercentral.amazon.de/home');
  assert.equal(translateFilterBetweenSites('x.advertising.amazon.com/cm', us, de), 'x.advertising.amazon.de/cm');
  assert.equal(translateFilterBetweenSites('www.amazon.com/ap/signin', us, jp), 'www.amazon.co.jp/ap/signin');
  // JP's second Seller Central host has no US counterpart at that position: the first host is used.
  assert.equal(translateFilterBetweenSites('sellercentral-japan.amazon.com/orders-v3', jp, us), 'sellercentral.amazon.com/orders-v3');
  // Hosts no site lists, placeholders and '*' stay as written.
  for (const unchanged of ['m.media-amazon.com/images', '{seller}/orders-v3', '*', 'https://example.com/sellercentral.amazon.com', 'amazon.com'])
    assert.equal(translateFilterBetweenSites(unchanged, us, de), unchanged);
  // A site missing the key cannot take the filter.
  const broken: CatalogSite = { ...de, hosts: { seller: ['sellercentral.amazon.de'] } };
  assert.throws(() => translateFilterBetweenSites('advertising.amazon.com/cm', us, broken), /site "de" has no \{ads\} hosts/);
});

test('translation between Taobao and Tmall maps the sign-in host', () => {
  const [tb, tm] = [site('taobao', 'taobao'), site('taobao', 'tmall')];
  assert.equal(translateFilterBetweenSites('login.taobao.com/member', tb, tm), 'login.tmall.com/member');
  assert.equal(translateFilterBetweenSites('login.tmall.com/member', tm, tb), 'login.taobao.com/member');
  assert.equal(translateFilterBetweenSites('trade.taobao.com/trade', tb, tm), 'trade.taobao.com/trade');
  // Position matters: the n-th host of a key maps to the n-th host of the same key.
  assert.equal(translateFilterBetweenSites('member1.taobao.com/member', tb, tm), 'member1.taobao.com/member');
  assert.equal(translateFilterBetweenSites('refund2.tmall.com', tm, tb), 'refund2.taobao.com');
});

test('a valid custom platform is accepted and marked custom (as a value or as JSON text)', () => {
  const result = parseCustomPlatform(minimalPlatform());
  assert.ok(result.ok, result.ok ? '' : result.errors.join('\n'));
  assert.equal(result.platform.custom, true);
  assert.deepEqual(result.platform.modules[1]!.readOnlyPost, []);
  const fromText = parseCustomPlatform(JSON.stringify(minimalPlatform()));
  assert.ok(fromText.ok);
  assert.deepEqual(fromText.platform, result.platform);
});

function errorsOf(json: unknown): string[] {
  const result = parseCustomPlatform(json);
  assert.equal(result.ok, false, 'should be rejected');
  return result.ok ? [] : result.errors;
}

test('custom platform errors say where and what', () => {
  const p = minimalPlatform();
  const duplicate = { ...p, modules: [...p.modules, { ...p.modules[0]!, name: { en: 'Again', zh: '再次' } }] };
  assert.deepEqual(errorsOf(duplicate), ['modules[2].id: duplicate module "orders"']);

  const missingKey = { ...p, sites: [p.sites[0]!, { ...p.sites[1]!, hosts: { admin: ['eu-admin.myshop.example'] } }] };
  assert.deepEqual(errorsOf(missingKey), ['sites[1].hosts: site "eu" must define the host keys admin,pay']);

  const unknownKey = { ...p, modules: [{ ...p.modules[0]!, filters: ['{amdin}/orders'] }, p.modules[1]!] };
  assert.deepEqual(errorsOf(unknownKey), ['modules[0] "orders" filters: "{amdin}/orders" uses {amdin}, which is not a host key (the sites define {admin}, {pay})']);

  const badFilter = { ...p, baseline: ['cdn.myshop.example/img/*'] };
  assert.match(errorsOf(badFilter)[0]!, /^baseline: "cdn\.myshop\.example\/img\/\*" is invalid for site "main".*'\*' in a path/);

  const badHost = { ...p, sites: [{ ...p.sites[0]!, hosts: { admin: ['https://admin.myshop.example/'], pay: ['pay.myshop.example'] } }, p.sites[1]!] };
  assert.match(errorsOf(badHost)[0]!, /^sites\[0\] "main" hosts\.admin: "https:\/\/admin\.myshop\.example\/" is not a host name/);

  assert.match(errorsOf({ ...p, modules: [{ ...p.modules[0]!, filters: ['{Admin}/x'] }] })[0]!, /outside a placeholder/);
  assert.deepEqual(errorsOf({ ...p, id: 'amazon' }), ['id: "amazon" is the id of a built-in platform; choose another id']);
  assert.deepEqual(errorsOf({ ...p, sites: [p.sites[0]!, { ...p.sites[1]!, id: 'main' }] }), ['sites[1]: duplicate site "main"']);

  const structural = errorsOf({ ...p, modules: [{ id: 'Orders!', name: { en: 'x' }, filters: [] }] });
  assert.ok(structural.some((e) => e.startsWith('modules[0].id: must be lower-case')), structural.join('\n'));
  assert.ok(structural.some((e) => e.startsWith('modules[0].name.zh:')), structural.join('\n'));
  assert.ok(structural.some((e) => e.startsWith('modules[0].filters:')), structural.join('\n'));

  assert.match(errorsOf('{"id": ')[0]!, /^not valid JSON/);
  assert.equal(errorsOf(null).length, 1);
  // Several independent mistakes are all reported at once.
  assert.equal(errorsOf({ ...duplicate, id: 'amazon' }).length, 2);
});
