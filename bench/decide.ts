/**
 * Guard decision benchmark: `decide()` over a large generated policy, against node-casbin (RBAC
 * with domains, keyMatch2) holding the same policy and answering the same requests in the same
 * run.
 *
 *   npx tsx bench/decide.ts            full run: 100 stores, 30 staff, 300 custom rules
 *   npx tsx bench/decide.ts --quick    small smoke run (a few seconds; figures not meaningful)
 *
 * The policy: 100 stores (Amazon sites weighted towards US/EU, Taobao and Tmall shops), 30 staff
 * in regional teams plus an owner, the 7 built-in role templates (several with owner-added
 * rules) and 7 custom roles: 300 custom rules in total, allow and block, some limited to
 * methods, some with `{asin}` / `{item_id}` scope placeholders. Every staff member holds a
 * realistic subset of their team's stores; contractors' and some cover assignments have validity
 * windows (running, expired, not yet started). The request mix (seeded PRNG, so every run sees
 * the same requests) is what store pages send: module pages, XHR reads and writes, CDN assets,
 * third-party beacons, sensitive and step-up pages, custom-rule targets, downloads, owner
 * requests, staff on stores they do not hold, a few data:/about:/blob: URLs.
 *
 * Prints figures only; nothing here asserts on time. `runDecideBench()` returns the figures
 * (bench/run-all.ts uses it); main() runs only when this file is executed directly.
 */
import { newEnforcer, newModelFromString, StringAdapter, type Enforcer } from 'casbin';
import { cpus } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BUILTIN_PLATFORMS, expandSiteFilters } from '../shared/catalog';
import type { CatalogSite, Platform } from '../shared/catalog/schema';
import type { Assignment, Scope } from '../shared/model/assignment';
import type { Level } from '../shared/model/common';
import type { Decision, GuardRequest, ResourceType } from '../shared/model/decision';
import { Role, type CustomRule, type TemplateKey } from '../shared/model/role';
import type { User } from '../shared/model/staff';
import type { Store } from '../shared/model/store';
import { compile, subjectKey, subjectOf, type CompiledPolicy, type CompiledProfile } from '../shared/policy/compile';
import { decide } from '../shared/policy/decide';
import { expandPlaceholders, placeholderNames } from '../shared/policy/placeholders';
import { parseRequestUrl, type RequestUrl } from '../shared/policy/request-url';
import type { PolicyState, StepUpGrant } from '../shared/policy/state';
import { builtInRoleTemplates } from '../shared/policy/templates';
import { parseUrlFilter, type UrlFilter } from '../shared/policy/url-filter';
import { executedDirectly, median, percentileOfSorted } from './bench-kit';
import { prng, type Rng } from './seeded-random';

// ---------------------------------------------------------------------------------------------
// Options and figures
// ---------------------------------------------------------------------------------------------

export interface DecideBenchOptions {
  /** Small policy and request mix, for smoke checks (default false). */
  quick?: boolean;
  /** PRNG seed of the policy and the request mix (default 20250512). */
  seed?: number;
  /** Where progress and figures are printed (default console.log; pass () => {} for silence). */
  log?: (line: string) => void;
}

export interface LatencyFigures {
  decisionsPerSecond: number;
  p50Micros: number;
  p99Micros: number;
  maxMicros: number;
  /** Calls timed one by one for the latency figures (every request, in each of 3 passes). */
  timedCalls: number;
}

export interface DecideBenchFigures {
  quick: boolean;
  seed: number;
  policy: {
    stores: number;
    staff: number;
    roles: number;
    customRules: number;
    assignments: number;
    windowedAssignments: number;
    /** Distinct compiled profiles (site × role × used scope) and the filters they index. */
    profiles: number;
    indexedFilters: number;
    problems: number;
  };
  requests: number;
  compileMs: { first: number; median: number; runs: number };
  /** heapUsed after compiling (after a full GC), and what the compiled policy itself retains. */
  heapUsedMB: number;
  policyHeapMB: number;
  shopwarden: LatencyFigures & { timerOverheadNanos: number; allowedShare: number };
  casbin: LatencyFigures & { enforcers: number; policyLines: number; groupingLines: number; buildMs: number };
  /** The same lines in one enforcer for all stores (reference; full runs only). */
  casbinShared: { decisionsPerSecond: number; p50Micros: number; sample: number } | null;
  /** ShopWarden decisions/s over casbin decisions/s (per-store enforcers). */
  ratio: number;
  agreement: { sample: number; compared: number; agreed: number; passed: boolean; disagreements: string[] };
  reasons: Array<{ reason: string; share: number }>;
  targets: { p99Micros: number; ratio: number; p99Met: boolean; ratioMet: boolean };
}

const TARGET_P99_MICROS = 5;
const TARGET_RATIO = 500;

interface Scale {
  stores: number;
  customRules: number;
  requests: number;
  /** Full passes over the requests for the throughput figure (median of 3 runs). */
  passes: number;
  compileRuns: number;
  casbinSample: number;
  casbinSharedSample: number;
}

const FULL: Scale = { stores: 100, customRules: 300, requests: 100_000, passes: 5, compileRuns: 5, casbinSample: 3_000, casbinSharedSample: 40 };
const QUICK: Scale = { stores: 12, customRules: 60, requests: 10_000, passes: 1, compileRuns: 1, casbinSample: 150, casbinSharedSample: 0 };

// A fixed "now" keeps validity windows and grants deterministic: Monday 12 May 2025, 09:30 UTC.
const NOW = Date.UTC(2025, 4, 12, 9, 30);
const DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------
// The policy
// ---------------------------------------------------------------------------------------------

/** Store mix per 100 stores: [platform, site, count]. */
const SITE_MIX: ReadonlyArray<readonly [string, string, number]> = [
  ['amazon', 'us', 22],
  ['amazon', 'ca', 5],
  ['amazon', 'uk', 9],
  ['amazon', 'de', 9],
  ['amazon', 'fr', 5],
  ['amazon', 'it', 4],
  ['amazon', 'es', 4],
  ['amazon', 'eu', 6],
  ['amazon', 'jp', 6],
  ['taobao', 'taobao', 20],
  ['taobao', 'tmall', 10],
];

type Team = 'us' | 'eu' | 'jp' | 'cn' | 'all';
const TEAM_SITES: Record<Team, readonly string[]> = {
  us: ['us', 'ca'],
  eu: ['uk', 'de', 'fr', 'it', 'es', 'eu'],
  jp: ['jp'],
  cn: ['taobao', 'tmall'],
  all: SITE_MIX.map(([, site]) => site),
};

type CustomRoleKey =
  | 'protected-asin-operator'
  | 'listing-contractor'
  | 'eu-compliance'
  | 'warehouse-coordinator'
  | 'pricing-analyst'
  | 'taobao-shop-manager'
  | 'taobao-item-contractor';
type RoleKey = TemplateKey | CustomRoleKey;

/**
 * One staff member: team, main role, the share of the team's stores they hold (or a count range
 * for contractors), an optional second role used in some stores, and how windows and scopes look.
 */
interface StaffPlan {
  team: Team;
  role: RoleKey;
  share?: number;
  count?: readonly [number, number];
  alt?: readonly [RoleKey, number];
  window?: 'contractor' | 'season';
  scope?: 'asin' | 'protected-asin' | 'item';
  disabled?: boolean;
}

const STAFF: readonly StaffPlan[] = [
  { team: 'us', role: 'operations-manager', share: 1 },
  { team: 'us', role: 'operator', share: 0.5, alt: ['protected-asin-operator', 0.3], scope: 'protected-asin' },
  { team: 'us', role: 'operator', share: 0.45, alt: ['protected-asin-operator', 0.3], scope: 'protected-asin' },
  { team: 'us', role: 'operator', share: 0.4 },
  { team: 'us', role: 'ads-specialist', share: 0.7 },
  { team: 'us', role: 'customer-service', share: 0.6 },
  { team: 'us', role: 'customer-service', share: 0.55, alt: ['operator', 0.1] },
  { team: 'us', role: 'listing-contractor', count: [3, 7], window: 'contractor', scope: 'asin' },
  { team: 'us', role: 'warehouse-coordinator', share: 0.5 },
  { team: 'eu', role: 'operations-manager', share: 1 },
  { team: 'eu', role: 'operator', share: 0.5, alt: ['protected-asin-operator', 0.25], scope: 'protected-asin' },
  { team: 'eu', role: 'operator', share: 0.45 },
  { team: 'eu', role: 'ads-specialist', share: 0.7 },
  { team: 'eu', role: 'customer-service', share: 0.6 },
  { team: 'eu', role: 'customer-service', share: 0.5, disabled: true },
  { team: 'eu', role: 'eu-compliance', share: 1 },
  { team: 'eu', role: 'temporary', count: [2, 5], window: 'contractor', scope: 'asin' },
  { team: 'jp', role: 'operator', share: 1 },
  { team: 'jp', role: 'customer-service', share: 1 },
  { team: 'jp', role: 'pricing-analyst', share: 1 },
  { team: 'cn', role: 'taobao-shop-manager', share: 1 },
  { team: 'cn', role: 'operator', share: 0.5 },
  { team: 'cn', role: 'operator', share: 0.5, alt: ['ads-specialist', 0.2] },
  { team: 'cn', role: 'customer-service', share: 0.6 },
  { team: 'cn', role: 'customer-service', share: 0.6 },
  { team: 'cn', role: 'taobao-item-contractor', count: [3, 6], window: 'contractor', scope: 'item' },
  { team: 'cn', role: 'temporary', count: [2, 4], window: 'contractor', scope: 'item' },
  { team: 'all', role: 'super-admin', share: 1 },
  { team: 'all', role: 'finance', share: 1 },
  { team: 'all', role: 'finance', share: 0.6, window: 'season' },
];

/** Custom roles: levels and switches; their rules come from the generator below. */
const CUSTOM_ROLES: Record<CustomRoleKey, { name: string; levels: Record<string, Level>; otherLevel: Level; stepUp?: string[] }> = {
  'protected-asin-operator': {
    name: 'Operator, brand-protected ASINs',
    levels: { listings: 'edit', inventory: 'edit', pricing: 'edit', orders: 'edit', shipping: 'edit', advertising: 'edit', promotions: 'edit', reports: 'edit', messages: 'edit', returns: 'view', performance: 'view' },
    otherLevel: 'view',
  },
  'listing-contractor': { name: 'Listing contractor (A+, images)', levels: { listings: 'view' }, otherLevel: 'none' },
  'eu-compliance': {
    name: 'EU compliance',
    levels: { listings: 'view', reports: 'view', performance: 'edit', tax: 'view', messages: 'view' },
    otherLevel: 'view',
  },
  'warehouse-coordinator': {
    name: 'Warehouse coordinator',
    levels: { inventory: 'edit', shipping: 'edit', orders: 'view', reports: 'view', returns: 'view' },
    otherLevel: 'view',
  },
  'pricing-analyst': { name: 'Pricing analyst', levels: { pricing: 'edit', listings: 'view', reports: 'view', promotions: 'view' }, otherLevel: 'view' },
  'taobao-shop-manager': {
    name: '淘宝店长',
    levels: { listings: 'edit', orders: 'edit', shipping: 'edit', returns: 'edit', promotions: 'edit', advertising: 'edit', messages: 'edit', reports: 'view' },
    otherLevel: 'view',
    stepUp: ['{refund}/dispute/agree'],
  },
  'taobao-item-contractor': { name: '宝贝外包', levels: { listings: 'view' }, otherLevel: 'none' },
};

/** How many of the custom rules each role carries (scaled to the total; Temporary's 4 built-in rules count). */
const RULE_WEIGHTS: Record<RoleKey, number> = {
  'super-admin': 4,
  'operations-manager': 26,
  operator: 34,
  'ads-specialist': 18,
  'customer-service': 24,
  finance: 10,
  temporary: 10,
  'protected-asin-operator': 30,
  'listing-contractor': 22,
  'eu-compliance': 20,
  'warehouse-coordinator': 22,
  'pricing-analyst': 20,
  'taobao-shop-manager': 36,
  'taobao-item-contractor': 24,
};

const AMAZON_BASES = [
  '{seller}/inventory', '{seller}/myinventory/inventory', '{seller}/inventoryplanning', '{seller}/restockinventory',
  '{seller}/abis/listing', '{seller}/product-search', '{seller}/listing/upload', '{seller}/enhanced-content', '{seller}/imaging',
  '{seller}/skucentral', '{seller}/pricing', '{seller}/automatepricing', '{seller}/orders-v3', '{seller}/orders-api',
  '{seller}/gp/orders-v2', '{seller}/sbr', '{seller}/fba/sendtoamazon', '{seller}/fba/inbound-queue', '{seller}/gp/ssof',
  '{seller}/cm/campaigns', '{seller}/sspa', '{ads}/cm/campaigns', '{ads}/cm/budget-rules', '{seller}/promotions',
  '{seller}/coupons', '{seller}/merchandising-new/deal', '{seller}/reportcentral', '{seller}/business-reports',
  '{seller}/brand-analytics', '{seller}/performance', '{seller}/feedback-manager', '{seller}/returns', '{seller}/safet-claims',
  '{seller}/messaging', '{seller}/payments', '{seller}/tax-document-library', '{seller}/apps/manage',
  '{seller}/growth-opportunities', '{seller}/news',
] as const;
const TAOBAO_BASES = [
  '{item}/sell', '{seller}/goods', '{trade}/trade/itemlist', '{trade}/trade/detail', '{logistics}/user/consign',
  '{refund}/dispute', '{promo}/activity', '{ads}/campaign', '{data}/portal', '{seller}/home.htm/trade-platform',
  '{seller}/home.htm/marketing', '{seller}/home.htm/kefu', '{subaccount}/user', '{seller}/home.htm/shop-manage',
] as const;
/** Sub-pages that owners write rules about, with the action they usually take. */
const SUFFIXES: ReadonlyArray<readonly [string, 'allow' | 'block' | 'either']> = [
  ['/delete', 'block'],
  ['/bulk-edit', 'block'],
  ['/create', 'block'],
  ['/settings', 'block'],
  ['/archive', 'block'],
  ['/export', 'either'],
  ['/download', 'either'],
  ['/history', 'allow'],
];
const AMAZON_SCOPED_ALLOW: ReadonlyArray<readonly [string, readonly string[] | null]> = [
  ['{seller}/abis/listing/edit?asin={asin}', null],
  ['{seller}/myinventory/inventory/edit?asin={asin}', ['POST', 'PUT', 'PATCH']],
  ['{seller}/pricing/edit?asin={asin}', ['POST']],
  ['{seller}/enhanced-content/edit?asin={asin}', null],
  ['{seller}/imaging/upload?asin={asin}', ['POST']],
  ['{seller}/coupons/create?asin={asin}', null],
];
const AMAZON_SCOPED_BLOCK: ReadonlyArray<readonly [string, readonly string[] | null]> = [
  ['{seller}/abis/listing/edit?asin={asin}', null],
  ['{seller}/pricing/edit?asin={asin}', ['POST', 'PUT']],
  ['{seller}/automatepricing/assign?asin={asin}', null],
  ['{seller}/coupons/create?asin={asin}', null],
  ['{seller}/merchandising-new/deal/create?asin={asin}', null],
  ['{seller}/myinventory/inventory/delete?asin={asin}', null],
];
const TAOBAO_SCOPED_ALLOW: ReadonlyArray<readonly [string, readonly string[] | null]> = [
  ['{item}/sell/edit.htm?itemId={item_id}', null],
  ['{promo}/activity/item/join?itemId={item_id}', ['POST']],
  ['{item}/sell/image.htm?itemId={item_id}', null],
];
const TAOBAO_SCOPED_BLOCK: ReadonlyArray<readonly [string, readonly string[] | null]> = [
  ['{item}/sell/offshelf.htm?itemId={item_id}', null],
  ['{item}/sell/delete.htm?itemId={item_id}', null],
  ['{trade}/trade/detail/price-change?itemId={item_id}', ['POST']],
];

/** Which rule sources a role draws from: unscoped bases, scoped allows, scoped blocks. */
function ruleSources(role: RoleKey) {
  const both = [...AMAZON_BASES, ...TAOBAO_BASES];
  switch (role) {
    case 'protected-asin-operator':
      return { bases: AMAZON_BASES, scopedAllow: [], scopedBlock: AMAZON_SCOPED_BLOCK };
    case 'listing-contractor':
      return { bases: AMAZON_BASES, scopedAllow: AMAZON_SCOPED_ALLOW, scopedBlock: [] };
    case 'taobao-shop-manager':
      return { bases: TAOBAO_BASES, scopedAllow: [], scopedBlock: [] };
    case 'taobao-item-contractor':
      return { bases: TAOBAO_BASES, scopedAllow: TAOBAO_SCOPED_ALLOW, scopedBlock: TAOBAO_SCOPED_BLOCK };
    case 'temporary':
      return { bases: both, scopedAllow: [...AMAZON_SCOPED_ALLOW, ...TAOBAO_SCOPED_ALLOW], scopedBlock: [] };
    case 'eu-compliance':
    case 'warehouse-coordinator':
    case 'pricing-analyst':
      return { bases: AMAZON_BASES, scopedAllow: [], scopedBlock: [] };
    default:
      // The built-in templates serve stores of both platforms.
      return { bases: both, scopedAllow: [], scopedBlock: [] };
  }
}

function makeRules(rng: Rng, role: RoleKey, count: number): CustomRule[] {
  const { bases, scopedAllow, scopedBlock } = ruleSources(role);
  const rules: CustomRule[] = [];
  const seen = new Set<string>();
  const add = (action: 'allow' | 'block', filter: string, methods: readonly string[] | null) => {
    const key = `${action} ${filter} ${methods?.join('|') ?? '*'}`;
    if (seen.has(key)) return;
    seen.add(key);
    const rule: CustomRule = { id: `${role}-r${rules.length + 1}`, action, filter, note: '' };
    if (methods) rule.methods = [...methods] as CustomRule['methods'];
    rules.push(rule);
  };
  // Scoped rules first (a few of each), then sub-pages of the role's bases.
  for (const [filter, methods] of rng.shuffle(scopedBlock).slice(0, Math.min(scopedBlock.length, Math.ceil(count / 6))))
    add('block', filter, methods);
  for (const [filter, methods] of rng.shuffle(scopedAllow).slice(0, Math.min(scopedAllow.length, Math.ceil(count / 5))))
    add('allow', filter, methods);
  for (let attempts = 0; rules.length < count && attempts < count * 50; attempts++) {
    const base = rng.pick(bases);
    const [suffix, usual] = rng.pick(SUFFIXES);
    const action = usual === 'either' ? (rng.chance(0.6) ? 'block' : 'allow') : rng.chance(0.9) ? usual : usual === 'block' ? 'allow' : 'block';
    let filter = `${base}${suffix}`;
    if ((suffix === '/export' || suffix === '/download') && rng.chance(0.35)) filter += rng.pick(['?format=csv', '?type=settlement', '?type=inventory&format=xlsx']);
    const methods = rng.chance(0.4)
      ? action === 'block'
        ? rng.pick([['POST'], ['POST', 'PUT', 'DELETE'], ['DELETE'], ['POST', 'PATCH']])
        : rng.pick([['GET'], ['GET', 'HEAD'], ['POST']])
      : null;
    add(action, filter, methods);
  }
  return rules;
}

function allocate(total: number, weights: Record<RoleKey, number>): Map<RoleKey, number> {
  const keys = Object.keys(weights) as RoleKey[];
  const sum = keys.reduce((s, k) => s + weights[k], 0);
  const counts = new Map(keys.map((k) => [k, Math.max(1, Math.floor((weights[k] * total) / sum))]));
  // Hand the rounding remainder to the heaviest roles, one each.
  const byWeight = [...keys].sort((a, b) => weights[b] - weights[a]);
  for (let i = 0, left = total - [...counts.values()].reduce((s, n) => s + n, 0); left > 0; i++, left--) {
    const key = byWeight[i % byWeight.length] as RoleKey;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

const ASIN_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
const asin = (rng: Rng) => `B0${Array.from({ length: 8 }, () => rng.pick([...ASIN_CHARS])).join('')}`;
const itemId = (rng: Rng) => String(rng.int(600_000_000_000, 799_999_999_999));

interface BuiltPolicy {
  state: PolicyState;
  storesById: Map<string, { store: Store; platform: Platform; site: CatalogSite }>;
  rolesById: Map<string, Role>;
  customRules: number;
}

const stamp = { createdAt: NOW - 400 * DAY, updatedAt: NOW - 30 * DAY };

function buildPolicy(rng: Rng, scale: Scale): BuiltPolicy {
  const platforms = BUILTIN_PLATFORMS;
  // Stores: the site mix scaled to the requested count, at least one store per site.
  const stores: Store[] = [];
  const storesById = new Map<string, { store: Store; platform: Platform; site: CatalogSite }>();
  const counts = SITE_MIX.map(([p, s, n]) => [p, s, Math.max(1, Math.round((n * scale.stores) / 100))] as const);
  let total = counts.reduce((sum, [, , n]) => sum + n, 0);
  // Trim rounding excess from the largest groups (never below one store per site).
  while (total > scale.stores) {
    const largest = counts.reduce((best, entry, i) => (entry[2] > (counts[best] as (typeof counts)[number])[2] ? i : best), 0);
    const entry = counts[largest] as (typeof counts)[number];
    if (entry[2] <= 1) break;
    counts[largest] = [entry[0], entry[1], entry[2] - 1];
    total--;
  }
  for (const [platformId, siteId, n] of counts) {
    const platform = platforms.find((p) => p.id === platformId);
    const site = platform?.sites.find((s) => s.id === siteId);
    if (!platform || !site) throw new Error(`catalogue has no ${platformId}/${siteId}`);
    for (let k = 1; k <= n; k++) {
      const id = `st-${siteId}-${String(k).padStart(2, '0')}`;
      const store: Store = {
        id,
        name: `${site.name.en} store ${k}`,
        platformId,
        siteId,
        homeUrl: site.homeUrl,
        group: siteId,
        colour: '#3b82f6',
        proxy: null,
        userAgent: null,
        acceptLanguage: null,
        ...stamp,
      };
      stores.push(store);
      storesById.set(id, { store, platform, site });
    }
  }

  // Roles: the 7 templates (as the owner created them) and the custom roles, rules allocated.
  const ruleCounts = allocate(scale.customRules, RULE_WEIGHTS);
  const roles: Role[] = [];
  for (const template of builtInRoleTemplates(platforms)) {
    const key = template.template as TemplateKey;
    const extra = (ruleCounts.get(key) ?? 0) - template.rules.length;
    const rules = [...template.rules, ...makeRules(rng, key, Math.max(0, extra))];
    roles.push(Role.parse({ ...template, rules, id: `tpl-${key}`, ...stamp }));
  }
  for (const [key, def] of Object.entries(CUSTOM_ROLES) as Array<[CustomRoleKey, (typeof CUSTOM_ROLES)[CustomRoleKey]]>) {
    roles.push(
      Role.parse({
        name: def.name,
        levels: def.levels,
        otherLevel: def.otherLevel,
        rules: makeRules(rng, key, ruleCounts.get(key) ?? 0),
        stepUp: def.stepUp ?? [],
        switches: { downloads: key === 'eu-compliance', uploads: true, devtools: false, printing: true },
        id: `role-${key}`,
        ...stamp,
      }),
    );
  }
  const roleId = (key: RoleKey) => (key in CUSTOM_ROLES ? `role-${key}` : `tpl-${key}`);
  const rolesById = new Map(roles.map((r) => [r.id, r]));

  // Users and assignments.
  const users: User[] = [{ id: 'owner', username: 'owner', displayName: 'Owner', kind: 'owner', disabled: false, ...stamp }];
  const assignments: Assignment[] = [];
  const grants: StepUpGrant[] = [];
  STAFF.forEach((plan, index) => {
    const id = `u-${String(index + 1).padStart(2, '0')}`;
    users.push({ id, username: `staff_${id}`, displayName: `Staff ${index + 1}`, kind: 'staff', disabled: plan.disabled ?? false, ...stamp });
    const teamStores = stores.filter((s) => TEAM_SITES[plan.team].includes(s.siteId) && (plan.role.startsWith('taobao') ? s.platformId === 'taobao' : true));
    const held = plan.count
      ? rng.shuffle(teamStores).slice(0, rng.int(plan.count[0], plan.count[1]))
      : plan.share === 1
        ? teamStores
        : rng.subset(teamStores, plan.share ?? 0.5);
    for (const store of held) {
      let role = plan.role;
      if (plan.alt && rng.chance(plan.alt[1])) role = plan.alt[0];
      // Roles with Amazon-only rules stay on Amazon stores; their scoped block rules need ASINs.
      if (store.platformId === 'taobao' && (role === 'protected-asin-operator' || role === 'listing-contractor')) role = 'operator';
      const scope: Scope = {};
      if (role === 'protected-asin-operator') scope.asin = Array.from({ length: rng.int(3, 25) }, () => asin(rng));
      else if (plan.scope === 'asin' && store.platformId === 'amazon') scope.asin = Array.from({ length: rng.int(5, 40) }, () => asin(rng));
      else if (plan.scope === 'item' && store.platformId === 'taobao') scope.item_id = Array.from({ length: rng.int(3, 20) }, () => itemId(rng));
      let validFrom: number | null = null;
      let validUntil: number | null = null;
      if (plan.window === 'contractor') {
        // Mostly running; some finished last month, some start next week.
        const state = rng.weighted([['running', 6], ['expired', 2], ['future', 1]] as const);
        validFrom = state === 'future' ? NOW + rng.int(1, 10) * DAY : NOW - rng.int(5, 60) * DAY;
        validUntil = state === 'expired' ? NOW - rng.int(1, 4) * DAY : validFrom + 30 * DAY + rng.int(0, 30) * DAY;
      } else if (plan.window === 'season' || rng.chance(0.04)) {
        // Cover for a colleague / the audit season.
        validFrom = NOW - rng.int(1, 20) * DAY;
        validUntil = NOW + rng.int(-3, 40) * DAY;
        if (validUntil <= validFrom) validUntil = validFrom + DAY;
      }
      assignments.push({ id: `as-${id}-${store.id}`, staffId: id, storeId: store.id, roleId: roleId(role), validFrom, validUntil, scope, ...stamp });
      // A few live and expired refund approvals for customer service.
      if (role === 'customer-service' && store.platformId === 'amazon' && rng.chance(0.15)) {
        const host = storesById.get(store.id)?.site.hosts.seller?.[0] ?? 'sellercentral.amazon.com';
        grants.push({ userId: id, storeId: store.id, filter: `${host}/orders-v3/refund`, until: NOW + rng.int(-600, 1800) * 1000 });
      }
    }
  });
  const customRules = roles.reduce((sum, r) => sum + r.rules.length, 0);
  return { state: { platforms, stores, users, roles, assignments, grants }, storesById, rolesById, customRules };
}

// ---------------------------------------------------------------------------------------------
// The request mix
// ---------------------------------------------------------------------------------------------

const AMAZON_THIRD_PARTY: ReadonlyArray<readonly [string, string, ResourceType]> = [
  ['https://fls-na.amazon.com/1/batch/1/OE/', 'POST', 'ping'],
  ['https://unagi.amazon.com/1/events/com.amazon.csm.csa.prod', 'POST', 'xhr'],
  ['https://www.google-analytics.com/g/collect?v=2&tid=G-SC1', 'POST', 'ping'],
  ['https://fonts.gstatic.com/s/amazonember/v1/ember-regular.woff2', 'GET', 'font'],
  ['https://completion.amazon.com/api/2017/suggestions?prefix=usb+c&mid=ATVPDKIKX0DER', 'GET', 'xhr'],
  ['https://d1f0esyb34c1g2.cloudfront.net/widgets/chat.js', 'GET', 'script'],
];
const TAOBAO_THIRD_PARTY: ReadonlyArray<readonly [string, string, ResourceType]> = [
  ['https://log.mmstat.com/v.gif?logtype=1&cache=8a1e', 'GET', 'image'],
  ['https://h5api.m.taobao.com/h5/mtop.taobao.qianniu.workbench/1.0/?jsv=2.6.1', 'POST', 'xhr'],
  ['https://aeis.alicdn.com/sd/ncpc/nc.js?t=2025', 'GET', 'script'],
  ['https://wwc.alicdn.com/avatar/getAvatar.do?userId=1', 'GET', 'image'],
];
const SPECIAL_URLS: ReadonlyArray<readonly [string, boolean]> = [
  ['about:blank', true],
  ['data:image/png;base64,iVBORw0KGgo=', false],
  ['blob:https://sellercentral.amazon.com/6f1c2a4e-1b2c-4d5e-9f00-112233445566', false],
  ['chrome://settings/passwords', true],
  ['file:///C:/Users/staff/Desktop/listing.csv', true],
  ['https://', true],
];

const PAGE_TAILS = ['', '/', '/ref=xx_myo_dnav_xx', '/detail/113-5566778-1234567', '/list?page=2&sort=date_desc', '/index.html', '/overview'];
const API_TAILS = ['/api/v2/summary?marketplaceId=ATVPDKIKX0DER', '/api/search?page=1&size=50', '/api/list', '/ajax/metrics?range=30d'];
const HOST_ONLY_TAILS = ['/index.htm', '/cm/campaigns', '/cm/sp/campaigns/123/ad-groups', '/reports?range=30d', '/sell/publish.htm?catId=50012', '/trade/itemlist/list_sold_items.htm?page=3'];

function join(filterText: string, tail: string): string {
  const slash = filterText.indexOf('/');
  if (slash < 0) return `https://${filterText}${tail.startsWith('/') ? tail : `/${tail}`}`;
  if (filterText.endsWith('/')) return `https://${filterText}${tail.replace(/^\//, '')}`;
  return `https://${filterText}${tail}`;
}

interface SubjectChoice {
  storeId: string;
  userId: string;
  assignment: Assignment | null;
}

function makeRequests(rng: Rng, built: BuiltPolicy, count: number): GuardRequest[] {
  const { state, storesById, rolesById } = built;
  const staff = state.users.filter((u) => u.kind === 'staff');
  const activeStaff = staff.filter((u) => !u.disabled);
  const disabled = staff.filter((u) => u.disabled);
  const held = new Set(state.assignments.map((a) => subjectKey(a.storeId, a.staffId)));
  const liveAssignments = state.assignments.filter((a) => activeStaff.some((u) => u.id === a.staffId));

  const chooseSubject = (): SubjectChoice => {
    const kind = rng.weighted([['assigned', 84], ['owner', 6], ['unassigned', 5], ['disabled', 3], ['unknown-store', 2]] as const);
    if (kind === 'assigned') {
      const a = rng.pick(liveAssignments);
      return { storeId: a.storeId, userId: a.staffId, assignment: a };
    }
    const store = rng.pick(state.stores);
    if (kind === 'owner') return { storeId: store.id, userId: 'owner', assignment: null };
    if (kind === 'disabled' && disabled.length > 0) return { storeId: store.id, userId: rng.pick(disabled).id, assignment: null };
    if (kind === 'unknown-store') return { storeId: `st-gone-${rng.int(1, 9)}`, userId: rng.pick(activeStaff).id, assignment: null };
    for (let tries = 0; tries < 20; tries++) {
      const user = rng.pick(activeStaff);
      if (!held.has(subjectKey(store.id, user.id))) return { storeId: store.id, userId: user.id, assignment: null };
    }
    return { storeId: store.id, userId: rng.pick(activeStaff).id, assignment: null };
  };

  const requests: GuardRequest[] = [];
  const push = (subject: SubjectChoice, url: string, method: string, resourceType: ResourceType) =>
    requests.push({ storeId: subject.storeId, userId: subject.userId, url, method, resourceType, isMainFrame: resourceType === 'mainFrame' });

  while (requests.length < count) {
    const subject = chooseSubject();
    const entry = storesById.get(subject.storeId) ?? storesById.get(rng.pick(state.stores).id);
    if (!entry) continue;
    const { platform, site } = entry;
    const amazon = platform.id === 'amazon';
    const expand = (filter: string): string | null => {
      try {
        return rng.pick(expandSiteFilters([filter], site));
      } catch {
        return null;
      }
    };
    // Staff mostly open the modules their role grants; now and then one it does not.
    const role = subject.assignment ? rolesById.get(subject.assignment.roleId) : undefined;
    const granted = platform.modules.filter((m) => !m.sensitive && (role?.levels[m.id] ?? 'none') !== 'none');
    const everyday = platform.modules.filter((m) => !m.sensitive);
    const pickModule = () => rng.pick(granted.length > 0 && rng.chance(0.75) ? granted : everyday);
    const modulePage = (sensitive: boolean) => {
      const module = sensitive ? rng.pick(platform.modules.filter((m) => m.sensitive)) : pickModule();
      const filter = expand(rng.pick(module.filters));
      return filter ? join(filter, filter.includes('/') ? rng.pick(PAGE_TAILS) : rng.pick(HOST_ONLY_TAILS)) : null;
    };
    const kind = rng.weighted([
      ['page', 22],
      ['xhr-read', 18],
      ['xhr-write', 8],
      ['readonly-post', 3],
      ['asset', 20],
      ['shell', 4],
      ['rule', 10],
      ['scoped', 4],
      ['third-party', 5],
      ['sensitive', 3],
      ['step-up', 1.5],
      ['download', 1],
      ['other-path', 1.5],
      ['websocket', 0.5],
      ['special', 0.5],
    ] as const);
    switch (kind) {
      case 'page': {
        const url = modulePage(false);
        if (url) push(subject, url, 'GET', 'mainFrame');
        break;
      }
      case 'xhr-read':
      case 'xhr-write': {
        const filter = expand(rng.pick(pickModule().filters));
        if (!filter) break;
        const url = join(filter, filter.includes('/') ? rng.pick(API_TAILS) : rng.pick(HOST_ONLY_TAILS));
        if (kind === 'xhr-read') push(subject, url, 'GET', rng.pick(['xhr', 'fetch'] as const));
        else push(subject, url, rng.weighted([['POST', 6], ['PUT', 2], ['PATCH', 1], ['DELETE', 1]] as const), 'xhr');
        break;
      }
      case 'readonly-post': {
        const withPosts = platform.modules.filter((m) => m.readOnlyPost.length > 0);
        const filter = withPosts.length > 0 ? expand(rng.pick(rng.pick(withPosts).readOnlyPost)) : null;
        if (filter) push(subject, join(filter, rng.pick(['', '?page=1&size=100', '/v2'])), 'POST', 'xhr');
        break;
      }
      case 'asset': {
        const hosts = platform.baseline.filter((f) => !f.includes('{'));
        const host = rng.pick(hosts);
        const [tail, type] = rng.pick([
          ['/images/I/51Xk3pQ9ZCL._AC_SX300_.jpg', 'image'],
          ['/images/G/01/sc/nav/sprite.png', 'image'],
          ['/js/sc-shell/main.7f3a9c.js', 'script'],
          ['/css/sc-shell/app.91b2.css', 'stylesheet'],
          ['/fonts/ember/regular.woff2', 'font'],
        ] as const);
        push(subject, `https://${host}${tail}`, 'GET', type);
        break;
      }
      case 'shell': {
        const filter = expand(rng.pick(platform.baseline.filter((f) => f.includes('{'))));
        if (filter) push(subject, join(filter, rng.pick(['', '/', '?ref=nav'])), 'GET', 'mainFrame');
        break;
      }
      case 'rule': {
        const rules = role?.rules.length ? role.rules : [...rolesById.values()].flatMap((r) => r.rules);
        const rule = rng.pick(rules);
        const scope = subject.assignment?.scope ?? {};
        const values = (name: string): readonly string[] | undefined =>
          Object.hasOwn(site.hosts, name) ? site.hosts[name] : name === 'asin' ? (scope.asin?.length && rng.chance(0.7) ? scope.asin : [asin(rng)]) : name === 'item_id' ? (scope.item_id?.length && rng.chance(0.7) ? scope.item_id : [itemId(rng)]) : undefined;
        const texts = expandPlaceholders(rule.filter, values);
        if (texts.length === 0) break;
        const text = rng.pick(texts);
        const [path, query] = text.split('?') as [string, string | undefined];
        let url = join(path, rng.pick(['', '', '/2025-05', '/all']));
        if (query) url += `?${query}${rng.chance(0.2) ? '&ref=sc_nav' : ''}`;
        const method = rule.methods?.length && rng.chance(0.7) ? rng.pick(rule.methods) : rng.pick(['GET', 'GET', 'POST']);
        push(subject, url, method, method === 'GET' ? 'mainFrame' : 'xhr');
        break;
      }
      case 'scoped': {
        const scope = subject.assignment?.scope ?? {};
        if (amazon) {
          const own = scope.asin?.length ? rng.pick(scope.asin) : asin(rng);
          const chosen = rng.chance(0.65) ? own : asin(rng);
          const query = rng.chance(0.08) ? `asin=${chosen}&asin=${asin(rng)}` : `asin=${chosen}`;
          const path = rng.pick(['/abis/listing/edit', '/enhanced-content/edit', '/imaging/upload', '/pricing/edit', '/myinventory/inventory/edit', '/coupons/create']);
          push(subject, `https://${rng.pick(site.hosts.seller ?? ['sellercentral.amazon.com'])}${path}?${query}`, rng.pick(['GET', 'POST', 'POST']), 'xhr');
        } else {
          const own = scope.item_id?.length ? rng.pick(scope.item_id) : itemId(rng);
          const chosen = rng.chance(0.65) ? own : itemId(rng);
          const path = rng.pick(['/sell/edit.htm', '/sell/publish.htm', '/sell/offshelf.htm', '/sell/image.htm']);
          push(subject, `https://${rng.pick(site.hosts.item ?? ['item.upload.taobao.com'])}${path}?itemId=${chosen}`, rng.pick(['GET', 'POST']), 'mainFrame');
        }
        break;
      }
      case 'third-party': {
        const [url, method, type] = rng.pick(amazon ? AMAZON_THIRD_PARTY : TAOBAO_THIRD_PARTY);
        push(subject, url, method, type);
        break;
      }
      case 'sensitive': {
        const url = modulePage(true);
        if (url) push(subject, url, rng.chance(0.8) ? 'GET' : 'POST', 'mainFrame');
        break;
      }
      case 'step-up': {
        const filter = expand(amazon ? rng.pick(['{seller}/orders-v3/refund', '{seller}/gp/orders-v2/refund']) : '{refund}');
        if (filter) push(subject, join(filter, rng.pick(['/113-5566778-1234567', '/apply?orderId=113-5566778', '/dispute/agree'])), rng.pick(['GET', 'POST']), 'mainFrame');
        break;
      }
      case 'download': {
        const filter = expand(amazon ? '{seller}/reportcentral' : '{data}');
        if (filter) push(subject, join(filter, '/download/settlement-2025-04.csv'), 'GET', 'download');
        break;
      }
      case 'other-path': {
        const host = rng.pick(site.hosts.seller ?? ['sellercentral.amazon.com']);
        const path = rng.pick(['/growth-opportunities', '/news/feed', '/sw/ProgramEnrollment', '/mario/dashboard', '/global-selling/overview']);
        push(subject, `https://${host}${path}`, rng.chance(0.7) ? 'GET' : 'POST', rng.chance(0.7) ? 'mainFrame' : 'xhr');
        break;
      }
      case 'websocket': {
        const host = rng.pick(site.hosts.seller ?? ['sellercentral.amazon.com']);
        push(subject, `wss://${host}/ws/notifications?v=3`, 'GET', 'websocket');
        break;
      }
      case 'special': {
        const [url, main] = rng.pick(SPECIAL_URLS);
        push(subject, url, 'GET', main ? 'mainFrame' : 'image');
        break;
      }
    }
  }
  return requests;
}

// ---------------------------------------------------------------------------------------------
// The casbin baseline
// ---------------------------------------------------------------------------------------------

/**
 * RBAC with domains: domain = store, g = (user, role, store), p = (role or user, store, object
 * pattern, method regex, query regex, allow|deny). The matcher checks the domain first (so other
 * stores' lines cost as little as casbin allows), then the role link, then keyMatch2 on
 * "host/path", the method, and the query. `priority(p.eft) || deny` makes the first matching
 * line decide, in the order the lines are loaded: that is how ShopWarden's layered,
 * most-specific-first order is expressed. Lines are loaded in this order per store:
 *   -1 owner: (owner, store, *, .*) allow
 *    0 step-up pages: deny (equivalent while no grant is live: a step-up page is only ever
 *      turned from allowed into blocked)
 *    1 custom rules, most specific first (host, path, query tokens), allow before block on ties
 *    2 module filters, most specific first, by the role's level (edit: allow; view: allow
 *      GET/HEAD/OPTIONS, then the module's read-only POSTs, then deny; none: deny)
 *    3 the platform baseline: allow GET/HEAD/OPTIONS
 *    4 everything else (`*`) by the role's other level
 * A filter `host/path` becomes the keyMatch2 patterns `host/path` and `host/path/*` (a path
 * ending in '/' only `host/path/*`, no path `host/*`); host and path are regex-escaped because
 * keyMatch2 builds a regular expression from them.
 *
 * What casbin cannot express (such requests are left out of the agreement check, not out of
 * the timing):
 *  - Chrome's path prefixes inside a segment (`/home` also covers `/home.htm`): keyMatch2 only
 *    knows whole segments and `:param`s;
 *  - a host filter covering its subdomains (`alimama.com` covering `one.alimama.com`);
 *  - URLAllowlist query semantics (every occurrence of a repeated key must match): the query
 *    regex below only checks that each token is present;
 *  - step-up grants (time-limited, per request outcome), validity windows (casbin sees a
 *    snapshot: only assignments active at the bench's "now" get g lines), the download switch
 *    (no resource type in the request), the scheme gate (data:, about:, blob:, chrome://…);
 *  - placeholder expansion: `{asin}` rules become one line per value, on the user (not the role).
 * Each store has its own enforcer holding only that store's lines (what casbin's filtered
 * policy loading is for); one enforcer holding all stores scans every line of every store
 * before the domain check rejects it, and is measured only for reference.
 */
const CASBIN_MODEL = `
[request_definition]
r = sub, dom, obj, act, q

[policy_definition]
p = sub, dom, obj, act, q, eft

[role_definition]
g = _, _, _

[policy_effect]
e = priority(p.eft) || deny

[matchers]
m = r.dom == p.dom && g(r.sub, p.sub, r.dom) && keyMatch2(r.obj, p.obj) && regexMatch(r.act, p.act) && (p.q == "" || regexMatch(r.q, p.q))
`;

const ANY_METHOD = '.*';
const SAFE_METHODS_RE = '^(GET|HEAD|OPTIONS)$';
const escapeRegex = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

interface CasbinLine {
  tier: number;
  host: number;
  path: number;
  query: number;
  /** 0 for allow, 1 for deny: allow wins ties. */
  effect: number;
  order: number;
  cells: string[];
}

interface CasbinBuild {
  perStore: Map<string, string>;
  shared: string;
  policyLines: number;
  groupingLines: number;
  /** Every host a translated filter names (to tell subdomain requests apart). */
  filterHosts: Set<string>;
}

function translateToCasbin(built: BuiltPolicy, policy: CompiledPolicy): CasbinBuild {
  const { state, storesById, rolesById } = built;
  const filterHosts = new Set<string>();
  const disabled = new Set(state.users.filter((u) => u.disabled).map((u) => u.id));
  const owners = state.users.filter((u) => u.kind === 'owner' && !u.disabled).map((u) => u.id);
  let order = 0;

  const parse = (text: string, queryMatch: 'any' | 'all' = 'any'): UrlFilter | null => {
    const parsed = parseUrlFilter(text, { queryMatch });
    return parsed.ok ? parsed.filter : null;
  };
  const objects = (f: UrlFilter): string[] => {
    filterHosts.add(f.host);
    const host = escapeRegex(f.host);
    if (f.path === '') return [`${host}/*`];
    const path = escapeRegex(f.path);
    return f.path.endsWith('/') ? [`${host}${path}*`] : [`${host}${path}`, `${host}${path}/*`];
  };
  const queryRegex = (f: UrlFilter): string =>
    f.query.length === 0
      ? ''
      : `^${f.query.map((t) => `(?=(?:.*&)?${escapeRegex(t.text)}${t.prefix ? '[^&]*' : ''}(?:&|$))`).join('')}`;
  const lines = (out: CasbinLine[], tier: number, f: UrlFilter, sub: string, store: string, act: string, eft: 'allow' | 'deny') => {
    for (const obj of objects(f))
      out.push({ tier, host: f.host.length, path: f.path.length, query: f.query.length, effect: eft === 'allow' ? 0 : 1, order: order++, cells: [sub, store, obj, act, queryRegex(f), eft] });
  };
  const byLevel = (out: CasbinLine[], tier: number, f: UrlFilter | null, sub: string, store: string, level: Level) => {
    const add = (act: string, eft: 'allow' | 'deny') =>
      f ? lines(out, tier, f, sub, store, act, eft) : out.push({ tier, host: 0, path: 0, query: 0, effect: eft === 'allow' ? 0 : 1, order: order++, cells: [sub, store, '*', act, '', eft] });
    if (level === 'edit') add(ANY_METHOD, 'allow');
    else if (level === 'view') {
      add(SAFE_METHODS_RE, 'allow');
      add(ANY_METHOD, 'deny');
    } else add(ANY_METHOD, 'deny');
  };

  /** Lines of one role at one store; `scope` non-null: only the rules that use scope values, on the user. */
  const roleLines = (out: CasbinLine[], role: Role, storeId: string, site: CatalogSite, platform: Platform, sub: string, scope: Scope | null) => {
    const usesScope = (text: string) => placeholderNames(text).some((n) => !Object.hasOwn(site.hosts, n));
    const lookup = (name: string) => (Object.hasOwn(site.hosts, name) ? site.hosts[name] : scope && Object.hasOwn(scope, name) ? scope[name] : undefined);
    for (const text of role.stepUp)
      if (usesScope(text) === (scope !== null))
        for (const expanded of expandPlaceholders(text, lookup)) {
          const f = parse(expanded);
          if (f) lines(out, 0, f, sub, storeId, ANY_METHOD, 'deny');
        }
    for (const rule of role.rules) {
      if (usesScope(rule.filter) !== (scope !== null)) continue;
      const act = rule.methods?.length ? `^(${rule.methods.join('|')})$` : ANY_METHOD;
      for (const expanded of expandPlaceholders(rule.filter, lookup)) {
        const f = parse(expanded, rule.action === 'allow' ? 'all' : 'any');
        if (f) lines(out, 1, f, sub, storeId, act, rule.action === 'allow' ? 'allow' : 'deny');
      }
    }
    if (scope !== null) return;
    for (const module of platform.modules) {
      const level = role.levels[module.id] ?? 'none';
      for (const text of expandSiteFilters(module.filters, site)) {
        const f = parse(text);
        if (!f) continue;
        if (module.stepUp) lines(out, 0, f, sub, storeId, ANY_METHOD, 'deny');
        byLevel(out, 2, f, sub, storeId, level);
      }
      if (level === 'view')
        for (const text of expandSiteFilters(module.readOnlyPost, site)) {
          const f = parse(text, 'all');
          if (f) lines(out, 2, f, sub, storeId, '^POST$', 'allow');
        }
    }
    for (const text of expandSiteFilters(platform.baseline, site)) {
      const f = parse(text, 'all');
      if (f) lines(out, 3, f, sub, storeId, SAFE_METHODS_RE, 'allow');
    }
    byLevel(out, 4, null, sub, storeId, role.otherLevel);
  };

  const perStore = new Map<string, string>();
  const sharedP: string[] = [];
  const sharedG: string[] = [];
  let policyLines = 0;
  let groupingLines = 0;
  for (const { store, platform, site } of storesById.values()) {
    const out: CasbinLine[] = [];
    const g: string[] = [];
    for (const owner of owners) out.push({ tier: -1, host: 0, path: 0, query: 0, effect: 0, order: order++, cells: [owner, store.id, '*', ANY_METHOD, '', 'allow'] });
    const rolesDone = new Set<string>();
    for (const a of state.assignments) {
      if (a.storeId !== store.id || disabled.has(a.staffId)) continue;
      if ((a.validFrom !== null && NOW < a.validFrom) || (a.validUntil !== null && NOW >= a.validUntil)) continue;
      const role = rolesById.get(a.roleId);
      // A subject ShopWarden could not compile is blocked outright: no g line, no access.
      if (!role || !subjectOf(policy, a.storeId, a.staffId)?.profile) continue;
      g.push(`g, ${a.staffId}, ${role.id}, ${store.id}`);
      if (!rolesDone.has(role.id)) {
        rolesDone.add(role.id);
        roleLines(out, role, store.id, site, platform, role.id, null);
      }
      roleLines(out, role, store.id, site, platform, a.staffId, a.scope);
    }
    out.sort((a, b) => a.tier - b.tier || b.host - a.host || b.path - a.path || b.query - a.query || a.effect - b.effect || a.order - b.order);
    const p = out.map((line) => `p, ${line.cells.join(', ')}`);
    perStore.set(store.id, [...p, ...g].join('\n'));
    sharedP.push(...p);
    sharedG.push(...g);
    policyLines += p.length;
    groupingLines += g.length;
  }
  return { perStore, shared: [...sharedP, ...sharedG].join('\n'), policyLines, groupingLines, filterHosts };
}

async function buildEnforcer(csv: string): Promise<Enforcer> {
  // An empty policy string is refused by StringAdapter; a store nobody holds still has the owner line.
  return newEnforcer(newModelFromString(CASBIN_MODEL), new StringAdapter(csv || '# empty'));
}

/** What an app using casbin would do per request: find the store's enforcer, split the URL, enforce. */
function casbinDecide(enforcers: ReadonlyMap<string, Enforcer>, r: GuardRequest): boolean {
  const enforcer = enforcers.get(r.storeId);
  if (!enforcer) return false;
  let url: URL;
  try {
    url = new URL(r.url);
  } catch {
    return false;
  }
  return enforcer.enforceSync(r.userId, r.storeId, url.hostname + url.pathname, r.method.toUpperCase(), url.search.slice(1));
}

// ---------------------------------------------------------------------------------------------
// Agreement: requests where both engines' semantics coincide
// ---------------------------------------------------------------------------------------------

const WEB = new Set(['http', 'https', 'ws', 'wss']);

/** The deciding filter ends where the URL's path segment ends (keyMatch2 can only express that). */
function segmentAligned(filter: UrlFilter, url: RequestUrl): boolean {
  const p = filter.path;
  return p === '' || p.endsWith('/') || url.path.length === p.length || url.path.charCodeAt(p.length) === 47; /* / */
}

function comparable(r: GuardRequest, d: Decision, policy: CompiledPolicy, filterHosts: ReadonlySet<string>): boolean {
  if (r.resourceType === 'download' || d.reason === 'step-up-granted' || r.url.includes('%')) return false;
  const url = parseRequestUrl(r.url);
  if (!url || !WEB.has(url.scheme) || !r.url.toLowerCase().startsWith(`${url.scheme}://`)) return false;
  const keys = url.query.map((t) => t.split('=')[0]);
  if (new Set(keys).size !== keys.length) return false;
  for (const host of filterHosts) if (url.host !== host && url.host.endsWith(`.${host}`)) return false;
  const subject = subjectOf(policy, r.storeId, r.userId);
  const profile: CompiledProfile | null | undefined = subject?.profile;
  if (!profile || policy.owners.has(r.userId)) return true;
  const method = r.method.toUpperCase();
  const module = profile.site.modules.mostSpecific(url);
  const winners = [
    profile.rules.mostSpecific(url, (rule) => rule.methods === null || rule.methods.has(method)),
    module,
    module ? profile.site.readOnlyPost.mostSpecific(url, (id) => id === module.values[0]?.moduleId) : null,
    profile.site.baseline.mostSpecific(url),
    profile.stepUp.mostSpecific(url),
    profile.site.stepUp.mostSpecific(url),
  ];
  return winners.every((w) => w === null || (w.filter.host === url.host && segmentAligned(w.filter, url)) || w.filter.host === '*');
}

// ---------------------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------------------

/** A full GC when the flag can be turned on at run time (it can in Node); otherwise a no-op. */
function gcFunction(): () => void {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    if (typeof gc === 'function') return () => (gc as () => void)();
  } catch {
    // fall through
  }
  return () => {};
}

/** Median cost of an empty process.hrtime.bigint() pair, in ns. */
function timerOverheadNanos(): number {
  const samples = new Float64Array(20_000);
  for (let i = 0; i < samples.length; i++) {
    const t0 = process.hrtime.bigint();
    const t1 = process.hrtime.bigint();
    samples[i] = Number(t1 - t0);
  }
  samples.sort();
  return percentileOfSorted(samples, 50);
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

export async function runDecideBench(options: DecideBenchOptions = {}): Promise<DecideBenchFigures> {
  const quick = options.quick ?? false;
  const seed = options.seed ?? 20250512;
  const log = options.log ?? ((line: string) => console.log(line));
  const scale = quick ? QUICK : FULL;
  const rng = prng(seed);
  const gc = gcFunction();

  const built = buildPolicy(rng, scale);
  const requests = makeRequests(rng, built, scale.requests);
  const { state } = built;
  log(
    `policy: ${state.stores.length} stores, ${state.users.length - 1} staff + owner, ${state.roles.length} roles ` +
      `(7 templates + ${state.roles.length - 7} custom), ${built.customRules} custom rules, ${state.assignments.length} assignments ` +
      `(${state.assignments.filter((a) => a.validFrom !== null || a.validUntil !== null).length} with validity windows), ${state.grants.length} step-up grant(s)`,
  );

  // Compile: the first run is cold (JIT, catalogue expansion); the median of the later runs is
  // what an owner's edit costs once the app has been running. Only the last policy stays alive,
  // so the heap difference across a full GC is what one compiled policy retains.
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const compileTimes: number[] = [];
  let policy: CompiledPolicy | null = null;
  for (let run = 0; run <= scale.compileRuns; run++) {
    policy = null;
    const t0 = process.hrtime.bigint();
    policy = compile(state);
    compileTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  if (!policy) throw new Error('unreachable: compiled at least once');
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  const compileFirst = compileTimes[0] ?? 0;
  const compileMedian = median(compileTimes.slice(1));
  const allSubjects = [...policy.subjects.values()].flatMap((atStore) => [...atStore.values()]);
  const uniqueProfiles = new Set(allSubjects.map((s) => s.profile).filter((p): p is CompiledProfile => p !== null));
  const uniqueSites = new Set([...uniqueProfiles].map((p) => p.site));
  const indexedFilters =
    [...uniqueProfiles].reduce((sum, p) => sum + p.rules.size + p.stepUp.size, 0) +
    [...uniqueSites].reduce((sum, s) => sum + s.modules.size + s.readOnlyPost.size + s.baseline.size + s.stepUp.size, 0);
  log(
    `compile: ${fmt(compileFirst, 1)} ms first (cold), ${fmt(compileMedian, 1)} ms median of the next ${compileTimes.length - 1}; ` +
      `${allSubjects.length} subjects share ${uniqueProfiles.size} profiles (${fmt(indexedFilters)} indexed filters); problems: ${policy.problems.length}`,
  );
  for (const problem of policy.problems.slice(0, 3)) log(`  problem: ${problem}`);

  // --- ShopWarden throughput: a tight loop, no timer inside; median of 3 runs after a warm-up.
  let sink = 0;
  for (let pass = 0; pass < 2; pass++) for (const r of requests) if (decide(r, policy, NOW).allowed) sink++;
  const rates: number[] = [];
  for (let run = 0; run < 3; run++) {
    const t0 = process.hrtime.bigint();
    for (let pass = 0; pass < scale.passes; pass++) for (let i = 0; i < requests.length; i++) if (decide(requests[i] as GuardRequest, policy, NOW).allowed) sink++;
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    rates.push((requests.length * scale.passes) / seconds);
  }
  const swRate = median(rates);

  // --- ShopWarden latency. Each call is timed on its own with a pair of process.hrtime.bigint()
  // calls. A pair costs a few tens of ns by itself — not negligible next to a sub-µs decision —
  // so the median cost of an empty pair is measured and subtracted from every sample (clamped
  // at 0). Timing batches of N calls and dividing would hide the tail: one slow call (a GC
  // pause, a deep path walk) averages out with N-1 fast ones and p99 looks better than it is.
  // Three timed passes over all requests, like the throughput: the median pass's p50 and p99
  // (a burst of other work on the machine during one pass moves only that pass), the worst max.
  const overhead = timerOverheadNanos();
  const passes: Array<{ p50: number; p99: number; max: number }> = [];
  let allowed = 0;
  for (let pass = 0; pass < 3; pass++) {
    const samples = new Float64Array(requests.length);
    allowed = 0;
    for (let i = 0; i < requests.length; i++) {
      const r = requests[i] as GuardRequest;
      const t0 = process.hrtime.bigint();
      const d = decide(r, policy, NOW);
      const t1 = process.hrtime.bigint();
      samples[i] = Math.max(0, Number(t1 - t0) - overhead);
      if (d.allowed) allowed++;
    }
    samples.sort();
    passes.push({ p50: percentileOfSorted(samples, 50), p99: percentileOfSorted(samples, 99), max: samples[samples.length - 1] ?? 0 });
  }
  const sw = {
    decisionsPerSecond: swRate,
    p50Micros: median(passes.map((p) => p.p50)) / 1000,
    p99Micros: median(passes.map((p) => p.p99)) / 1000,
    maxMicros: Math.max(...passes.map((p) => p.max)) / 1000,
    timedCalls: requests.length * passes.length,
    timerOverheadNanos: overhead,
    allowedShare: allowed / requests.length,
  };
  const reasonCounts = new Map<string, number>();
  for (const r of requests) {
    const reason = decide(r, policy, NOW).reason;
    reasonCounts.set(reason, (reasonCounts.get(reason) ?? 0) + 1);
  }
  const reasons = [...reasonCounts.entries()].sort((a, b) => b[1] - a[1]).map(([reason, n]) => ({ reason, share: n / requests.length }));
  log(`requests: ${fmt(requests.length)} (seed ${seed}), ${fmt(sw.allowedShare * 100, 1)}% allowed; reasons: ${reasons.slice(0, 8).map((r) => `${r.reason} ${fmt(r.share * 100, 1)}%`).join(', ')}`);
  log(
    `ShopWarden decide(): ${fmt(swRate).padStart(11)} decisions/s; latency p50 ${fmt(sw.p50Micros, 2)} µs, p99 ${fmt(sw.p99Micros, 2)} µs, ` +
      `max ${fmt(sw.maxMicros, 1)} µs (per-call hrtime, median of 3 passes, ${fmt(overhead)} ns timer overhead subtracted)`,
  );

  // --- casbin: one enforcer per store.
  const casbinBuildStart = process.hrtime.bigint();
  const translated = translateToCasbin(built, policy);
  const enforcers = new Map<string, Enforcer>();
  for (const [storeId, csv] of translated.perStore) enforcers.set(storeId, await buildEnforcer(csv));
  const casbinBuildMs = Number(process.hrtime.bigint() - casbinBuildStart) / 1e6;
  log(
    `casbin: ${enforcers.size} enforcers (RBAC with domains, keyMatch2, priority effect), ${fmt(translated.policyLines)} p lines + ` +
      `${fmt(translated.groupingLines)} g lines, built in ${fmt(casbinBuildMs)} ms`,
  );
  const sample = requests.slice(0, Math.min(scale.casbinSample, requests.length));
  for (const r of sample.slice(0, Math.ceil(sample.length / 10))) casbinDecide(enforcers, r); // warm-up
  const casbinSamples = new Float64Array(sample.length);
  const casbinAllowed: boolean[] = [];
  const casbinStart = process.hrtime.bigint();
  for (let i = 0; i < sample.length; i++) {
    const t0 = process.hrtime.bigint();
    casbinAllowed.push(casbinDecide(enforcers, sample[i] as GuardRequest));
    casbinSamples[i] = Number(process.hrtime.bigint() - t0);
  }
  const casbinSeconds = Number(process.hrtime.bigint() - casbinStart) / 1e9;
  casbinSamples.sort();
  const casbin = {
    decisionsPerSecond: sample.length / casbinSeconds,
    p50Micros: percentileOfSorted(casbinSamples, 50) / 1000,
    p99Micros: percentileOfSorted(casbinSamples, 99) / 1000,
    maxMicros: (casbinSamples[casbinSamples.length - 1] ?? 0) / 1000,
    timedCalls: sample.length,
    enforcers: enforcers.size,
    policyLines: translated.policyLines,
    groupingLines: translated.groupingLines,
    buildMs: casbinBuildMs,
  };
  log(
    `casbin enforceSync(): ${fmt(casbin.decisionsPerSecond).padStart(9)} decisions/s; latency p50 ${fmt(casbin.p50Micros, 1)} µs, ` +
      `p99 ${fmt(casbin.p99Micros, 1)} µs (first ${fmt(sample.length)} requests of the same mix, same order)`,
  );

  // --- Agreement on the requests where both engines mean the same thing.
  const disagreements: string[] = [];
  let compared = 0;
  let agreed = 0;
  sample.forEach((r, i) => {
    const d = decide(r, policy, NOW);
    if (!comparable(r, d, policy, translated.filterHosts)) return;
    compared++;
    if (d.allowed === casbinAllowed[i]) agreed++;
    else if (disagreements.length < 10)
      disagreements.push(`${r.userId}@${r.storeId} ${r.method} ${r.url}: ShopWarden ${d.allowed ? 'allow' : 'block'} (${d.reason}${d.ruleId ? ` ${d.ruleId}` : ''}), casbin ${casbinAllowed[i] ? 'allow' : 'block'}`);
  });
  const agreement = { sample: sample.length, compared, agreed, passed: compared > 0 && agreed === compared, disagreements };
  log(
    `agreement: ${fmt(agreed)} of ${fmt(compared)} comparable requests decided alike (${fmt(sample.length - compared)} of the sample use what casbin cannot express) — ` +
      (agreement.passed ? 'passed' : 'FAILED'),
  );
  for (const line of disagreements) log(`  differs: ${line}`);

  // --- Reference: one enforcer for every store.
  let casbinShared: DecideBenchFigures['casbinShared'] = null;
  if (scale.casbinSharedSample > 0) {
    const shared = new Map<string, Enforcer>();
    const one = await buildEnforcer(translated.shared);
    for (const storeId of translated.perStore.keys()) shared.set(storeId, one);
    const refSample = sample.filter((r) => shared.has(r.storeId)).slice(0, scale.casbinSharedSample);
    casbinDecide(shared, refSample[0] as GuardRequest);
    const times = new Float64Array(refSample.length);
    const t0 = process.hrtime.bigint();
    refSample.forEach((r, i) => {
      const s = process.hrtime.bigint();
      casbinDecide(shared, r);
      times[i] = Number(process.hrtime.bigint() - s);
    });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    times.sort();
    casbinShared = { decisionsPerSecond: refSample.length / seconds, p50Micros: percentileOfSorted(times, 50) / 1000, sample: refSample.length };
    log(`for reference, casbin with one enforcer for all stores: ${fmt(casbinShared.decisionsPerSecond, 1)} decisions/s, p50 ${fmt(casbinShared.p50Micros)} µs (${refSample.length} requests)`);
  }

  gc();
  const heapUsedMB = process.memoryUsage().heapUsed / 2 ** 20;
  const ratio = swRate / casbin.decisionsPerSecond;
  const targets = { p99Micros: TARGET_P99_MICROS, ratio: TARGET_RATIO, p99Met: sw.p99Micros <= TARGET_P99_MICROS, ratioMet: ratio >= TARGET_RATIO };
  log(`ratio ShopWarden / casbin: ${fmt(ratio)}x`);
  log(`heap: ${fmt((heapAfter - heapBefore) / 2 ** 20, 1)} MB retained by the compiled policy; ${fmt(heapUsedMB, 1)} MB heap used at the end (with casbin's enforcers)`);
  log(`target p99 <= ${TARGET_P99_MICROS} µs: ${targets.p99Met ? 'met' : 'NOT met'} (${fmt(sw.p99Micros, 2)} µs) on this run`);
  log(`target >= ${TARGET_RATIO}x casbin: ${targets.ratioMet ? 'met' : 'NOT met'} (${fmt(ratio)}x) on this run`);
  if (sink < 0) log(''); // keeps `sink` alive so the loops cannot be optimised away

  return {
    quick,
    seed,
    policy: {
      stores: state.stores.length,
      staff: state.users.length - 1,
      roles: state.roles.length,
      customRules: built.customRules,
      assignments: state.assignments.length,
      windowedAssignments: state.assignments.filter((a) => a.validFrom !== null || a.validUntil !== null).length,
      profiles: uniqueProfiles.size,
      indexedFilters,
      problems: policy.problems.length,
    },
    requests: requests.length,
    compileMs: { first: compileFirst, median: compileMedian, runs: compileTimes.length - 1 },
    heapUsedMB,
    policyHeapMB: (heapAfter - heapBefore) / 2 ** 20,
    shopwarden: sw,
    casbin,
    casbinShared,
    ratio,
    agreement,
    reasons,
    targets,
  };
}

function machineLine(): string {
  const cpu = cpus();
  return `machine: node ${process.version}, ${cpu[0]?.model.trim() ?? 'unknown cpu'} (${cpu.length} logical cpus), ${process.platform} ${process.arch}`;
}


if (executedDirectly(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  console.log('ShopWarden guard decision benchmark' + (quick ? ' (--quick smoke run: figures are not meaningful)' : ''));
  console.log(machineLine());
  console.log('');
  await runDecideBench({ quick });
}

