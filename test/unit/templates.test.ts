import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_PLATFORMS, expandSiteFilters, getPlatform, getSite } from '../../shared/catalog';
import { placeholderNames } from '../../shared/policy/placeholders';
import { parseUrlFilter, matchesFilter } from '../../shared/policy/url-filter';
import { parseRequestUrl } from '../../shared/policy/request-url';
import { FilterIndex } from '../../shared/policy/filter-index';
import { compile } from '../../shared/policy/compile';
import { decide } from '../../shared/policy/decide';
import {
  NEW_STAFF_DEFAULT_LEVEL,
  ROLE_TEMPLATE_NAMES,
  builtInRoleTemplates,
  readOnlyRole,
  roleTemplate,
  type RoleTemplate,
} from '../../shared/policy/templates';
import { Role, RoleInput, TemplateKey } from '../../shared/model/role';
import { Store } from '../../shared/model/store';
import { Assignment } from '../../shared/model/assignment';
import type { Decision } from '../../shared/model/decision';

const templates = builtInRoleTemplates();
const byKey = (key: TemplateKey): RoleTemplate => {
  const found = templates.find((t) => t.template === key);
  assert.ok(found, key);
  return found;
};

const allModules = BUILTIN_PLATFORMS.flatMap((p) => p.modules);
const moduleIds = new Set(allModules.map((m) => m.id));
const sensitiveIds = new Set(allModules.filter((m) => m.sensitive).map((m) => m.id));
/** Scope values the templates' rules refer to, for expanding them in tests. */
const SCOPE = { asin: ['B0TEST0001'], item_id: ['610000000001'] };

/** The module the guard would assign to `url` (most specific catalogue filter), or null. */
function moduleAt(platformId: string, siteId: string, url: string): string | null {
  const platform = getPlatform(platformId)!;
  const index = new FilterIndex<string>();
  for (const m of platform.modules)
    for (const text of expandSiteFilters(m.filters, getSite(platform, siteId)!)) {
      const parsed = parseUrlFilter(text);
      if (parsed.ok) index.add(parsed.filter, m.id);
    }
  return index.mostSpecific(parseRequestUrl(url)!)?.values[0] ?? null;
}

function levelOf(t: RoleTemplate, moduleId: string): string {
  return t.levels[moduleId] ?? 'none';
}

test('all seven templates, in the guide order, with bilingual names, are complete RoleInputs', () => {
  assert.deepEqual(
    templates.map((t) => t.template),
    TemplateKey.options,
  );
  for (const t of templates) {
    const names = ROLE_TEMPLATE_NAMES[t.template!];
    assert.equal(t.name, `${names.en} / ${names.zh}`);
    // Every field is given, so parsing adds nothing and changes nothing.
    assert.deepEqual(RoleInput.parse(t), t, t.template!);
  }
  assert.equal(byKey('super-admin').name, 'Super admin / 超级管理员');
  assert.deepEqual(roleTemplate('finance'), byKey('finance'));
});

test('every module a template names exists in a built-in catalogue', () => {
  for (const t of [...templates, readOnlyRole()])
    for (const id of Object.keys(t.levels)) assert.ok(moduleIds.has(id), `${t.name}: unknown module ${id}`);
});

test('super admin edits every module, sensitive ones included, with every switch on', () => {
  const t = byKey('super-admin');
  for (const id of moduleIds) assert.equal(levelOf(t, id), 'edit', id);
  assert.equal(t.otherLevel, 'edit');
  assert.deepEqual(t.switches, { downloads: true, uploads: true, devtools: true, printing: true });
});

test('no template but super admin edits a sensitive module; only finance may view one', () => {
  for (const t of templates) {
    if (t.template === 'super-admin') continue;
    for (const id of sensitiveIds) {
      const level = levelOf(t, id);
      assert.notEqual(level, 'edit', `${t.template} edits ${id}`);
      if (t.template !== 'finance') assert.equal(level, 'none', `${t.template} grants ${id}`);
    }
    // Allow rules must not open a sensitive module's pages either.
    for (const rule of t.rules.filter((r) => r.action === 'allow'))
      for (const [platformId, siteId] of [['amazon', 'us'], ['taobao', 'taobao']] as const) {
        const site = getSite(getPlatform(platformId)!, siteId)!;
        if (!placeholderNames(rule.filter).every((n) => n in site.hosts || n in SCOPE)) continue;
        for (const text of expandSiteFilters([rule.filter], site, SCOPE)) {
          const module = moduleAt(platformId, siteId, `https://${text}`);
          assert.ok(module === null || !sensitiveIds.has(module), `${t.template}: ${text} opens ${module}`);
        }
      }
  }
  const finance = byKey('finance');
  assert.deepEqual(
    [...sensitiveIds].filter((id) => levelOf(finance, id) !== 'none').sort(),
    ['payments', 'tax'],
  );
});

test('operations manager and operator levels follow the guide', () => {
  const manager = byKey('operations-manager');
  for (const id of ['listings', 'inventory', 'pricing', 'orders', 'advertising', 'promotions', 'reports', 'returns', 'messages'])
    assert.equal(levelOf(manager, id), 'edit', `manager ${id}`);
  for (const id of ['account', 'payments', 'user-permissions', 'close-account']) assert.equal(levelOf(manager, id), 'none', `manager ${id}`);

  const operator = byKey('operator');
  for (const id of ['listings', 'inventory', 'pricing', 'orders', 'advertising', 'promotions', 'reports', 'messages'])
    assert.equal(levelOf(operator, id), 'edit', `operator ${id}`);
  for (const id of ['account', 'payments', 'user-permissions']) assert.equal(levelOf(operator, id), 'none', `operator ${id}`);
  assert.equal(manager.otherLevel, 'view');
  assert.equal(operator.otherLevel, 'view');
});

test('ads specialist: ads and promotions only, reports read-only', () => {
  const t = byKey('ads-specialist');
  assert.equal(levelOf(t, 'advertising'), 'edit');
  assert.equal(levelOf(t, 'promotions'), 'edit');
  assert.equal(levelOf(t, 'reports'), 'view');
  for (const id of ['listings', 'inventory', 'orders', 'payments', 'account']) assert.equal(levelOf(t, id), 'none', id);
});

test('customer service: orders, messages, returns; refunds need step-up', () => {
  const t = byKey('customer-service');
  for (const id of ['orders', 'messages', 'returns']) assert.equal(levelOf(t, id), 'edit', id);
  assert.equal(levelOf(t, 'reports'), 'view');
  for (const id of ['listings', 'advertising', 'inventory', 'payments', 'account']) assert.equal(levelOf(t, id), 'none', id);
  assert.ok(t.stepUp.length > 0);
  const covered = (platformId: string, siteId: string, url: string) => {
    const site = getSite(getPlatform(platformId)!, siteId)!;
    const request = parseRequestUrl(url)!;
    return t.stepUp
      .filter((f) => placeholderNames(f).every((n) => n in site.hosts))
      .flatMap((f) => expandSiteFilters([f], site))
      .some((text) => {
        const parsed = parseUrlFilter(text);
        return parsed.ok && matchesFilter(parsed.filter, request);
      });
  };
  assert.ok(covered('amazon', 'us', 'https://sellercentral.amazon.com/orders-v3/refund/111-1234567-1234567'));
  assert.ok(covered('amazon', 'de', 'https://sellercentral.amazon.de/gp/orders-v2/refund?orderID=1'));
  assert.ok(covered('taobao', 'taobao', 'https://refund2.taobao.com/dispute/detail.htm?id=1'));
  // The seller centre's after-sales pages agree refunds too (the returns module's other path).
  assert.ok(covered('taobao', 'taobao', 'https://myseller.taobao.com/home.htm/aftersale/refund/agree'));
  assert.ok(covered('taobao', 'tmall', 'https://myseller.taobao.com/home.htm/aftersale/refund/agree'));
  assert.ok(!covered('taobao', 'taobao', 'https://myseller.taobao.com/home.htm/aftersale/list'), 'the after-sales list needs no approval');
  assert.ok(!covered('amazon', 'us', 'https://sellercentral.amazon.com/orders-v3/order/111-1234567-1234567'));
});

test('finance reads payments, tax and reports and changes nothing', () => {
  const t = byKey('finance');
  assert.deepEqual(t.levels, { payments: 'view', tax: 'view', reports: 'view' });
  assert.ok(!Object.values(t.levels).includes('edit'));
  assert.equal(t.otherLevel, 'none');
  assert.equal(t.rules.filter((r) => r.action === 'allow').length, 0);
});

test('temporary: 30 days, no downloads, nothing outside listings except the assigned ASINs', () => {
  const t = byKey('temporary');
  assert.equal(t.defaultValidityDays, 30);
  assert.equal(t.switches.downloads, false);
  assert.equal(t.otherLevel, 'none');
  assert.deepEqual(t.levels, { listings: 'view' });
  assert.ok(t.rules.length > 0 && t.rules.every((r) => r.action === 'allow'));
  assert.ok(t.rules.every((r) => placeholderNames(r.filter).some((n) => n in SCOPE)), 'every rule is limited by a scope value');

  const us = getSite(getPlatform('amazon')!, 'us')!;
  const filters = t.rules
    .filter((r) => placeholderNames(r.filter).every((n) => n in us.hosts || n in SCOPE))
    .flatMap((r) => expandSiteFilters([r.filter], us, SCOPE))
    .map((text) => {
      const parsed = parseUrlFilter(text);
      assert.ok(parsed.ok, text);
      return parsed.filter;
    });
  const allowed = (url: string) => filters.some((f) => matchesFilter(f, parseRequestUrl(url)!));
  assert.ok(allowed('https://sellercentral.amazon.com/abis/listing/edit?sku=MUG&asin=B0TEST0001'));
  assert.ok(!allowed('https://sellercentral.amazon.com/abis/listing/edit?sku=MUG&asin=B0OTHER999'));
  assert.ok(!allowed('https://sellercentral.amazon.com/abis/listing/edit?sku=MUG'));
});

test('every template filter expands and parses on each platform whose keys it uses', () => {
  for (const t of templates) {
    const filters = [...t.rules.map((r) => r.filter), ...t.stepUp];
    for (const filter of filters) {
      let usedSomewhere = false;
      for (const p of BUILTIN_PLATFORMS) {
        const keys = new Set([...Object.keys(p.sites[0]!.hosts), ...Object.keys(SCOPE)]);
        if (!placeholderNames(filter).every((n) => keys.has(n))) continue;
        usedSomewhere = true;
        for (const site of p.sites)
          for (const text of expandSiteFilters([filter], site, SCOPE)) {
            assert.ok(!text.includes('{'), text);
            const parsed = parseUrlFilter(text);
            assert.ok(parsed.ok, `${t.template} ${p.id}/${site.id}: ${text}: ${parsed.ok ? '' : parsed.error}`);
          }
      }
      assert.ok(usedSomewhere, `${t.template}: "${filter}" fits no built-in platform`);
    }
  }
});

test('new staff default to read-only: every non-sensitive module View, sensitive ones None', () => {
  assert.equal(NEW_STAFF_DEFAULT_LEVEL, 'view');
  const role = readOnlyRole();
  assert.deepEqual(RoleInput.parse(role), role);
  assert.equal(role.template, null);
  assert.equal(role.otherLevel, 'view');
  for (const id of moduleIds) assert.equal(levelOf(role, id), sensitiveIds.has(id) ? 'none' : 'view', id);
  assert.deepEqual(role.switches, { downloads: false, uploads: false, devtools: false, printing: false });
});

test('each call returns fresh objects', () => {
  const first = builtInRoleTemplates();
  first[0]!.levels.orders = 'none';
  first[1]!.rules.push({ id: 'x', action: 'block', filter: 'example.com', note: '' });
  const second = builtInRoleTemplates();
  assert.equal(second[0]!.levels.orders, 'edit');
  assert.deepEqual(second[1]!.rules, []);
  assert.deepEqual(second[2]!.rules, [], 'templates of one call do not share arrays');
});

test('with the guard: templates decide real requests on a US store as the guide intends', () => {
  const store = Store.parse({ id: 'st-us', name: 'US', platformId: 'amazon', siteId: 'us', homeUrl: 'https://sellercentral.amazon.com/home', createdAt: 0, updatedAt: 0 });
  const keys = ['finance', 'customer-service', 'temporary', 'ads-specialist'] as const;
  const roles = keys.map((key) => Role.parse({ ...roleTemplate(key), id: `r-${key}`, createdAt: 0, updatedAt: 0 }));
  const users = [
    { id: 'owner', username: 'owner', displayName: '', kind: 'owner' as const, disabled: false, createdAt: 0, updatedAt: 0 },
    ...keys.map((key) => ({ id: `u-${key}`, username: key, displayName: '', kind: 'staff' as const, disabled: false, createdAt: 0, updatedAt: 0 })),
  ];
  const assignments = keys.map((key) =>
    Assignment.parse({ id: `a-${key}`, staffId: `u-${key}`, storeId: store.id, roleId: `r-${key}`, scope: key === 'temporary' ? { asin: ['B0TEST0001'] } : {}, createdAt: 0, updatedAt: 0 }),
  );
  const policy = compile({ platforms: BUILTIN_PLATFORMS, stores: [store], users, roles, assignments, grants: [] });
  assert.deepEqual(policy.problems, []);
  const ask = (who: (typeof keys)[number], method: string, url: string): Decision =>
    decide({ storeId: store.id, userId: `u-${who}`, url, method, resourceType: 'xhr', isMainFrame: false }, policy, 1);
  const SC = 'https://sellercentral.amazon.com';

  assert.equal(ask('finance', 'GET', `${SC}/payments/dashboard`).allowed, true);
  assert.equal(ask('finance', 'POST', `${SC}/payments/api/withdraw`).reason, 'module-view-mutation');
  assert.equal(ask('finance', 'GET', `${SC}/orders-v3`).reason, 'module-none');
  assert.equal(ask('finance', 'GET', `${SC}/some-new-page`).reason, 'other-none');
  assert.equal(ask('finance', 'GET', 'https://m.media-amazon.com/images/logo.png').reason, 'baseline');

  assert.equal(ask('customer-service', 'POST', `${SC}/orders-v3/api/confirm-shipment`).allowed, true);
  assert.equal(ask('customer-service', 'GET', `${SC}/orders-v3/refund/111-1234567-1234567`).reason, 'step-up-required');
  assert.equal(ask('customer-service', 'GET', `${SC}/payments/dashboard`).reason, 'module-none');

  assert.equal(ask('temporary', 'POST', `${SC}/abis/listing/edit?asin=B0TEST0001`).reason, 'rule-allow');
  assert.equal(ask('temporary', 'POST', `${SC}/abis/listing/edit?asin=B0OTHER999`).reason, 'module-view-mutation');
  assert.equal(ask('temporary', 'GET', `${SC}/orders-v3`).reason, 'module-none');

  assert.equal(ask('ads-specialist', 'POST', 'https://advertising.amazon.com/cm/api/campaigns').allowed, true);
  assert.equal(ask('ads-specialist', 'GET', `${SC}/inventory`).reason, 'module-none');
  assert.equal(ask('ads-specialist', 'GET', 'https://www.amazon.com/ap/signin').reason, 'module-none');
});

test('a European store: the role holds on every host the account is served on, not only the one the store names', () => {
  const stores = ['eu', 'de'].map((siteId) => Store.parse({ id: `st-${siteId}`, name: siteId, platformId: 'amazon', siteId, homeUrl: 'https://sellercentral-europe.amazon.com/home', createdAt: 0, updatedAt: 0 }));
  const roles = (['operator', 'super-admin'] as const).map((key) => Role.parse({ ...roleTemplate(key), id: `r-${key}`, createdAt: 0, updatedAt: 0 }));
  const users = roles.map((r) => ({ id: `u-${r.id}`, username: r.id, displayName: '', kind: 'staff' as const, disabled: false, createdAt: 0, updatedAt: 0 }));
  const assignments = stores.flatMap((s) => roles.map((r) => Assignment.parse({ id: `a-${s.id}-${r.id}`, staffId: `u-${r.id}`, storeId: s.id, roleId: r.id, createdAt: 0, updatedAt: 0 })));
  const policy = compile({ platforms: BUILTIN_PLATFORMS, stores, users, roles, assignments, grants: [] });
  const ask = (storeId: string, roleId: string, method: string, url: string) => decide({ storeId, userId: `u-${roleId}`, url, method, resourceType: 'mainFrame', isMainFrame: true }, policy, 1).reason;
  for (const host of ['sellercentral-europe.amazon.com', 'sellercentral.amazon.de', 'sellercentral.amazon.fr', 'sellercentral.amazon.co.uk']) {
    assert.equal(ask('st-eu', 'r-operator', 'GET', `https://${host}/payments/dashboard`), 'module-none', `eu store, ${host}`);
    assert.equal(ask('st-eu', 'r-super-admin', 'POST', `https://${host}/sw/AccountInfo/CloseAccount`), 'step-up-required', `eu store, ${host}`);
  }
  assert.equal(ask('st-de', 'r-operator', 'GET', 'https://sellercentral-europe.amazon.com/payments/dashboard'), 'module-none', 'de store on the European host');
});
