import type { CatalogSite, Platform } from '../catalog/schema';
import type { Level } from '../model/common';
import type { Role, SensitiveSwitches } from '../model/role';
import type { Assignment, Scope } from '../model/assignment';
import { expandSiteFilters } from '../catalog/site-hosts';
import { FilterIndex } from './filter-index';
import { parseUrlFilter, type ParseResult, type QueryMatch } from './url-filter';
import { countExpansions, expandPlaceholders, placeholderNames } from './placeholders';
import type { PolicyState, StepUpGrant } from './state';

/** A custom rule after placeholder expansion, as the index stores it. */
export interface CompiledRule {
  ruleId: string;
  action: 'allow' | 'block';
  /** null: any method. */
  methods: ReadonlySet<string> | null;
  filter: string;
}

export interface ModuleFilter {
  moduleId: string;
  /** "module:<id>" — what the log and the rule tester name as the deciding rule. */
  ruleId: string;
  filter: string;
}

/**
 * A platform site's catalogue, indexed once and shared by every profile at that site: the
 * bulk of the filters, and the same whatever the role.
 */
export interface CompiledSite {
  modules: FilterIndex<ModuleFilter>;
  readOnlyPost: FilterIndex<string>;
  baseline: FilterIndex<string>;
  /** Pages of step-up modules. */
  stepUp: FilterIndex<string>;
}

/** Everything one role needs at one site, indexed for lookups (compiled once per change). */
export interface CompiledProfile {
  site: CompiledSite;
  rules: FilterIndex<CompiledRule>;
  /** The role's own step-up pages. */
  stepUp: FilterIndex<string>;
  levels: ReadonlyMap<string, Level>;
  otherLevel: Level;
  switches: SensitiveSwitches;
}

export interface CompiledSubject {
  assignmentId: string;
  validFrom: number | null;
  validUntil: number | null;
  /** null when the policy for this subject could not be built: every request is then blocked. */
  profile: CompiledProfile | null;
  grants: readonly StepUpGrant[];
}

export interface CompiledPolicy {
  readonly kind: 'shopwarden/compiled-policy';
  readonly stores: ReadonlySet<string>;
  readonly owners: ReadonlySet<string>;
  readonly disabledUsers: ReadonlySet<string>;
  /**
   * By store id, then user id (see subjectOf): nested rather than keyed by a joined string, so
   * the guard looks a subject up with the ids it holds, without building a key per request.
   */
  readonly subjects: ReadonlyMap<string, ReadonlyMap<string, CompiledSubject>>;
  /** What could not be compiled, for the owner to fix (the affected subjects fail closed). */
  readonly problems: readonly string[];
}

export function subjectKey(storeId: string, userId: string): string {
  return `${storeId}\u0000${userId}`;
}

/** The compiled assignment of a user at a store, if any. */
export function subjectOf(policy: CompiledPolicy, storeId: string, userId: string): CompiledSubject | undefined {
  return policy.subjects.get(storeId)?.get(userId);
}

class CompileError extends Error {}

/** The compiled thing, or what went wrong as a message for `problems`. */
function attempt<T>(build: () => T): T | string {
  try {
    return build();
  } catch (error) {
    return error instanceof CompileError ? error.message : `internal error: ${String(error)}`;
  }
}

/**
 * Filters that grant (allow rules, read-only POSTs, the baseline) use Chrome's URLAllowlist
 * query semantics, so `?asin=A` does not also let `?asin=A&asin=B` through; filters that
 * restrict or classify use the URLBlocklist ones.
 */
function addFilter<T>(index: FilterIndex<T>, text: string, value: T, where: string, queryMatch: QueryMatch = 'any'): void {
  const parsed = parseCached(text, queryMatch);
  if (!parsed.ok) throw new CompileError(`${where}: filter "${text}" is invalid: ${parsed.error}`);
  index.add(parsed.filter, value);
}

/**
 * Parsed filters are immutable, and the same texts come back on every recompile (the same
 * roles at the same sites): a bounded cache makes an owner's edit cost only what changed.
 */
const PARSE_CACHE_LIMIT = 50_000; // MAX_EXPANSIONS_PER_PROFILE relies on this size
const parseCache = new Map<string, ParseResult>();

function parseCached(text: string, queryMatch: QueryMatch): ParseResult {
  const key = `${queryMatch}\u0000${text}`;
  let parsed = parseCache.get(key);
  if (!parsed) {
    parsed = parseUrlFilter(text, { queryMatch });
    if (parseCache.size >= PARSE_CACHE_LIMIT) parseCache.clear();
    parseCache.set(key, parsed);
  }
  return parsed;
}

function catalogFilters(filters: readonly string[], site: CatalogSite, where: string): string[] {
  try {
    return expandSiteFilters(filters, site);
  } catch (error) {
    throw new CompileError(`${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** How a role's `{name}` placeholders are resolved for one store and assignment. */
interface Expansion {
  site: CatalogSite;
  scope: Scope;
  /** Host keys of every known platform's sites: roles are shared across platforms. */
  hostKeys: ReadonlySet<string>;
}

/**
 * Expands a role's filter for one site and assignment. Roles span platforms, so a host key this
 * site lacks (`{refund}` on Amazon) makes the filter stand for nothing here. So does a scope
 * name the assignment has no values for in an allow rule (no ASINs, no extra access); in a block
 * rule or a step-up page that is an error, so the subject fails closed instead of silently
 * losing a restriction.
 */
function roleFilters(text: string, expansion: Expansion, restricts: boolean, where: string): string[] {
  const { site, hostKeys } = expansion;
  const lookup = placeholderValues(expansion);
  // An empty list is as good as none: `{asin}` with no ASINs must not make a block rule vanish.
  const missing = placeholderNames(text).filter((name) => !hostKeys.has(name) && (lookup(name)?.length ?? 0) === 0);
  if (restricts && missing.length > 0)
    throw new CompileError(`${where}: "${text}" uses ${missing.map((n) => `{${n}}`).join(', ')}, for which neither site "${site.id}" nor the assignment's scope has values`);
  return expandPlaceholders(text, lookup);
}

/** A name's values: the site's host key first, then the assignment's scope key. */
function placeholderValues({ site, scope }: Expansion): (name: string) => readonly string[] | undefined {
  return (name) => (Object.hasOwn(site.hosts, name) ? site.hosts[name] : Object.hasOwn(scope, name) ? scope[name] : undefined);
}

/**
 * Caps on the filters a role's placeholders expand to for one assignment. A filter stands for
 * the product of its placeholders' value counts, and a scope key may hold 1,000 values, so
 * `?asin={asin}&sku={sku}` is 1,000,000 filters (half a minute and 1.7 GB to compile) and a
 * third key runs the process out of memory, which no try/catch survives. Real scoped rules are
 * one scope key times a site's hosts (the Temporary template at a two-host site: 3 rules ×
 * 2 hosts × 1,000 ASINs = 6,000), so 10,000 per filter still leaves room for 100 ASINs × 100
 * SKUs, and 50,000 per profile for eight such templates. 50,000 is also what the parse cache
 * holds: a profile at the cap recompiles from it in about 0.1 s (0.7 s cold); one of 100,000
 * took 1.3 s on every recompile. Over a cap the subject fails closed with a problem.
 */
export const MAX_EXPANSIONS_PER_FILTER = 10_000;
export const MAX_EXPANSIONS_PER_PROFILE = 50_000;

/** Throws, before anything is expanded, when the role's filters would expand past the caps. */
function checkExpansionSize(role: Role, expansion: Expansion): void {
  const lookup = placeholderValues(expansion);
  const filters = [...role.rules.map((rule) => ({ label: `rule ${rule.id}`, text: rule.filter })), ...role.stepUp.map((text) => ({ label: 'step-up', text }))];
  const sized = filters.map((f) => ({ ...f, count: countExpansions(f.text, lookup) }));
  for (const { label, text, count } of sized) {
    if (count <= MAX_EXPANSIONS_PER_FILTER) continue;
    const factors = placeholderNames(text).map((name) => `{${name}}: ${formatCount(lookup(name)?.length ?? 0)}`);
    throw new CompileError(
      `role "${role.name}", ${label}: "${text}" stands for ${formatCount(count)} filters (${factors.join(' × ')} values), ` +
        `more than the ${formatCount(MAX_EXPANSIONS_PER_FILTER)} allowed for one filter; use fewer placeholders in it or give the assignment fewer values`,
    );
  }
  const total = sized.reduce((sum, f) => sum + f.count, 0);
  if (total > MAX_EXPANSIONS_PER_PROFILE) {
    const largest = [...sized].sort((x, y) => y.count - x.count).slice(0, 3);
    throw new CompileError(
      `role "${role.name}": its rules and step-up pages stand for ${formatCount(total)} filters with this assignment's values, ` +
        `more than the ${formatCount(MAX_EXPANSIONS_PER_PROFILE)} allowed for one role at one store ` +
        `(largest: ${largest.map((f) => `${f.label} (${formatCount(f.count)})`).join(', ')}); use fewer scoped rules or give the assignment fewer values`,
    );
  }
}

/** 1000000 as "1,000,000" (owners read these), without locale data. */
function formatCount(count: number): string {
  return Number.isSafeInteger(count) ? String(count).replace(/\B(?=(\d{3})+$)/g, ',') : count.toExponential(1);
}

function compileSite(platform: Platform, site: CatalogSite): CompiledSite {
  const compiled: CompiledSite = { modules: new FilterIndex(), readOnlyPost: new FilterIndex(), baseline: new FilterIndex(), stepUp: new FilterIndex() };
  for (const module of platform.modules) {
    const where = `platform ${platform.id}, module ${module.id}`;
    for (const text of catalogFilters(module.filters, site, where)) {
      addFilter(compiled.modules, text, { moduleId: module.id, ruleId: `module:${module.id}`, filter: text }, where);
      if (module.stepUp) addFilter(compiled.stepUp, text, text, where);
    }
    for (const text of catalogFilters(module.readOnlyPost, site, where)) addFilter(compiled.readOnlyPost, text, module.id, where, 'all');
  }
  const baselineWhere = `platform ${platform.id}, baseline`;
  for (const text of catalogFilters(platform.baseline, site, baselineWhere)) addFilter(compiled.baseline, text, text, baselineWhere, 'all');
  return compiled;
}

function compileProfile(site: CompiledSite, role: Role, expansion: Expansion): CompiledProfile {
  const profile: CompiledProfile = {
    site,
    rules: new FilterIndex(),
    stepUp: new FilterIndex(),
    levels: new Map(Object.entries(role.levels)),
    otherLevel: role.otherLevel,
    switches: role.switches,
  };
  checkExpansionSize(role, expansion);
  for (const rule of role.rules) {
    const where = `role "${role.name}", rule ${rule.id}`;
    const methods = rule.methods?.length ? new Set<string>(rule.methods) : null;
    const queryMatch = rule.action === 'allow' ? 'all' : 'any';
    for (const text of roleFilters(rule.filter, expansion, rule.action === 'block', where))
      addFilter(profile.rules, text, { ruleId: rule.id, action: rule.action, methods, filter: text }, where, queryMatch);
  }
  const stepUpWhere = `role "${role.name}", step-up`;
  for (const text of role.stepUp.flatMap((f) => roleFilters(f, expansion, true, stepUpWhere))) addFilter(profile.stepUp, text, text, stepUpWhere);
  return profile;
}

/** Only scope values that the role's filters use make two assignments' profiles differ. */
function profileKey(storeSite: string, role: Role, scope: Scope): string {
  const used = new Set([...role.rules.map((r) => r.filter), ...role.stepUp].flatMap(placeholderNames));
  const relevant = Object.keys(scope)
    .filter((k) => used.has(k))
    .sort()
    .map((k) => [k, scope[k]]);
  return `${storeSite}\u0000${role.id}\u0000${JSON.stringify(relevant)}`;
}

/**
 * Turns the policy state into lookup structures. Never throws for bad data: a subject whose
 * rules cannot be compiled gets no profile, so every request of theirs is blocked (F16), and
 * the reason is listed in `problems`.
 */
export function compile(state: PolicyState): CompiledPolicy {
  const platforms = new Map(state.platforms.map((p) => [p.id, p]));
  const roles = new Map(state.roles.map((r) => [r.id, r]));
  const stores = new Map(state.stores.map((s) => [s.id, s]));
  const hostKeys = new Set(state.platforms.flatMap((p) => p.sites.flatMap((s) => Object.keys(s.hosts))));
  const profiles = new Map<string, CompiledProfile | string>();
  const sites = new Map<string, CompiledSite | string>();
  const compiledSite = (platform: Platform, site: CatalogSite): CompiledSite | string => {
    const key = `${platform.id}/${site.id}`;
    let cached = sites.get(key);
    if (cached === undefined) {
      cached = attempt(() => compileSite(platform, site));
      sites.set(key, cached);
    }
    return cached;
  };
  const subjects = new Map<string, Map<string, CompiledSubject>>();
  const problems: string[] = [];

  const profileFor = (a: Assignment): CompiledProfile | null => {
    const store = stores.get(a.storeId);
    const role = roles.get(a.roleId);
    const platform = store && platforms.get(store.platformId);
    const site = platform?.sites.find((s) => s.id === store?.siteId);
    if (!store || !role || !platform || !site) {
      problems.push(`assignment ${a.id}: ${!store ? 'store' : !role ? 'role' : !platform ? 'platform' : 'site'} not found`);
      return null;
    }
    const key = profileKey(`${platform.id}/${site.id}`, role, a.scope);
    let cached = profiles.get(key);
    if (cached === undefined) {
      const catalogue = compiledSite(platform, site);
      cached = typeof catalogue === 'string' ? catalogue : attempt(() => compileProfile(catalogue, role, { site, scope: a.scope, hostKeys }));
      profiles.set(key, cached);
    }
    if (typeof cached === 'string') {
      problems.push(`assignment ${a.id}: ${cached}`);
      return null;
    }
    return cached;
  };

  const grantsBySubject = new Map<string, StepUpGrant[]>();
  for (const g of state.grants) {
    const key = subjectKey(g.storeId, g.userId);
    grantsBySubject.set(key, [...(grantsBySubject.get(key) ?? []), g]);
  }
  for (const a of state.assignments) {
    let atStore = subjects.get(a.storeId);
    if (!atStore) subjects.set(a.storeId, (atStore = new Map()));
    atStore.set(a.staffId, {
      assignmentId: a.id,
      validFrom: a.validFrom,
      validUntil: a.validUntil,
      profile: profileFor(a),
      grants: grantsBySubject.get(subjectKey(a.storeId, a.staffId)) ?? [],
    });
  }
  return {
    kind: 'shopwarden/compiled-policy',
    stores: new Set(stores.keys()),
    owners: new Set(state.users.filter((u) => u.kind === 'owner' && !u.disabled).map((u) => u.id)),
    disabledUsers: new Set(state.users.filter((u) => u.disabled).map((u) => u.id)),
    subjects,
    problems: [...new Set(problems)],
  };
}
