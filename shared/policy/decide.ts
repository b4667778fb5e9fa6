import { SAFE_METHODS, type Level } from '../model/common';
import type { Decision, DecisionReason, GuardRequest } from '../model/decision';
import type { CompiledPolicy, CompiledProfile, CompiledRule, CompiledSubject, ModuleFilter } from './compile';
import { subjectOf } from './compile';
import { parseRequestUrl, type RequestUrl } from './request-url';
import { serverReadingOfPath } from './server-path';
import type { FilterMatch } from './filter-index';
import { compareSpecificity } from './url-filter';

/**
 * The guard's one decision (F13-F16). Order, first match wins:
 *  1. scheme: about:blank/srcdoc pass; data:/blob: pass as sub-resources only (a data:/blob:
 *     download still needs steps 2-3); anything but http(s)/ws(s) is blocked (scheme-blocked,
 *     even when the rest would not parse); an unparsable URL, or one with over MAX_QUERY_TOKENS
 *     query tokens, is blocked (invalid-url).
 *  2. subject: unknown store, the owner (allowed), disabled staff, no or out-of-window assignment.
 *  3. downloads, when the role's switch is off.
 *  4. custom rules: the most specific filter whose methods fit decides; allow wins a tie (Chrome).
 *  5. the module whose filter is most specific: its level (None blocks; View lets safe methods
 *     and the module's read-only POSTs through; Edit allows all).
 *  6. the platform baseline (static assets); then the role's level for other URLs — except IP
 *     addresses, which no module filter can tie to a platform: blocked unless a rule names them.
 *  7. an allowed request to a step-up page still needs a live owner grant.
 * Steps 3-7 run for the path as sent and, when a lenient server may read it otherwise
 * (`//payments`, `/..;/payments`, `%2F`: server-path.ts), for that reading too: either blocks.
 * Never throws: any internal error is a block with reason "error" (fail closed, F16).
 */
export function decide(request: GuardRequest, policy: CompiledPolicy, now: number): Decision {
  try {
    return decideUnsafe(request, policy, now);
  } catch {
    return verdict(false, 'error');
  }
}

function verdict(
  allowed: boolean,
  reason: DecisionReason,
  module: string | null = null,
  level: Level | null = null,
  ruleId: string | null = null,
  filter: string | null = null,
): Decision {
  return { allowed, reason, module, level, ruleId, filter };
}

const WEB_SCHEMES = new Set(['http', 'https', 'ws', 'wss']);
const INTERNAL_PAGES = new Set(['about:blank', 'about:srcdoc']);

function decideUnsafe(request: GuardRequest, policy: CompiledPolicy, now: number): Decision {
  if (policy.kind !== 'shopwarden/compiled-policy') return verdict(false, 'error');
  const local = schemeClass(request.url);
  const isDownload = request.resourceType === 'download';
  if (local === 'not-web') return verdict(false, 'scheme-blocked');
  if (local === 'about') return verdict(true, 'internal-page');
  if (local === 'data-blob' && request.isMainFrame) return verdict(false, 'scheme-blocked');
  if (local === 'data-blob' && !isDownload) return verdict(true, 'internal-page');
  // Left: web URLs, and page-built (data:/blob:) downloads, which the downloads switch governs too.
  const url = local ? null : parseRequestUrl(request.url);
  if (!local && !url) return verdict(false, 'invalid-url');
  if (url && !WEB_SCHEMES.has(url.scheme)) return verdict(false, 'scheme-blocked');

  if (!policy.stores.has(request.storeId)) return verdict(false, 'unknown-store');
  if (policy.owners.has(request.userId)) return verdict(true, 'owner');
  if (policy.disabledUsers.has(request.userId)) return verdict(false, 'staff-disabled');
  const subject = subjectOf(policy, request.storeId, request.userId);
  if (!subject) return verdict(false, 'no-assignment');
  if (subject.validFrom !== null && now < subject.validFrom) return verdict(false, 'assignment-not-started');
  if (subject.validUntil !== null && now >= subject.validUntil) return verdict(false, 'assignment-expired');
  const profile = subject.profile;
  if (!profile) return verdict(false, 'error');

  const method = request.method.toUpperCase();
  const asSent = decideForUrl(profile, subject, url, method, isDownload, now);
  if (!url || !asSent.allowed) return asSent;
  const serverPath = serverReadingOfPath(url.path);
  if (serverPath === null) return asSent;
  // The same request as a lenient server may read its path (server-path.ts): blocked if that is.
  const asServed = decideForUrl(profile, subject, { ...url, path: serverPath }, method, isDownload, now);
  return asServed.allowed ? asSent : { ...asServed, servedPath: serverPath };
}

/** Steps 3-7 for one reading of the URL (null: a page-built data:/blob: download). */
function decideForUrl(profile: CompiledProfile, subject: CompiledSubject, url: RequestUrl | null, method: string, isDownload: boolean, now: number): Decision {
  const module = url ? (profile.site.modules.mostSpecific(url)?.values[0] ?? null) : null;
  const moduleLevel = module ? (profile.levels.get(module.moduleId) ?? 'none') : null;
  if (isDownload && !profile.switches.downloads) return verdict(false, 'download-disabled', module?.moduleId ?? null, moduleLevel);
  if (!url) return verdict(true, 'internal-page');

  const decision = decideByRules(profile, url, method, module, moduleLevel);
  return decision.allowed ? applyStepUp(decision, profile, subject, url, now) : decision;
}

/**
 * What the scheme alone settles: about:blank/srcdoc, data: and blob: (made by the page itself,
 * no request to a server), and every other non-web scheme, blocked whether or not the rest of
 * the URL parses (so the URL parser, which costs tens of µs on such rare and cold paths, is
 * not asked). null: a web URL, or no plain scheme at the start, for the parser to read.
 */
function schemeClass(rawUrl: string): 'about' | 'data-blob' | 'not-web' | null {
  // Nearly every request: skip the trim and the scheme regex.
  if (rawUrl.startsWith('https://') || rawUrl.startsWith('http://')) return null;
  const raw = rawUrl.trim();
  if (INTERNAL_PAGES.has(raw)) return 'about';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw)?.[1]?.toLowerCase();
  if (scheme === undefined || WEB_SCHEMES.has(scheme)) return null;
  return scheme === 'data' || scheme === 'blob' ? 'data-blob' : 'not-web';
}

function decideByRules(
  profile: CompiledProfile,
  url: RequestUrl,
  method: string,
  module: ModuleFilter | null,
  moduleLevel: Level | null,
): Decision {
  const moduleId = module?.moduleId ?? null;
  const rules = profile.rules.mostSpecific(url, acceptsMethod(method));
  if (rules) {
    const winner = rules.values.find((r) => r.action === 'allow') ?? rules.values[0]!;
    const allowed = winner.action === 'allow';
    return verdict(allowed, allowed ? 'rule-allow' : 'rule-block', moduleId, moduleLevel, winner.ruleId, winner.filter);
  }
  if (module && moduleLevel) {
    const readOnlyPost = method === 'POST' && moduleLevel === 'view' && profile.site.readOnlyPost.mostSpecific(url, (id) => id === module.moduleId) !== null;
    return byLevel(moduleLevel, method, 'module', readOnlyPost, module.moduleId, module.ruleId, module.filter);
  }
  const baseline = profile.site.baseline.mostSpecific(url);
  if (baseline && SAFE_METHODS.has(method)) return verdict(true, 'baseline', null, null, 'baseline', baseline.values[0]!);
  // An IP address may be the platform's own server under another name, where every module
  // filter (host names) would miss it: addresses no rule or module names are never "other".
  if (url.hostKind === 'ipv4' || url.hostKind === 'ipv6') return byLevel('none', method, 'other', false, null, null, null);
  return byLevel(profile.otherLevel, method, 'other', false, null, null, null);
}

/** Rules whose methods fit `method`; one function per common method, so a lookup allocates none. */
function acceptsMethod(method: string): (rule: CompiledRule) => boolean {
  let accept = METHOD_ACCEPTORS.get(method);
  if (!accept) {
    accept = (rule) => rule.methods === null || rule.methods.has(method);
    if (METHOD_ACCEPTORS.size < 32) METHOD_ACCEPTORS.set(method, accept);
  }
  return accept;
}
const METHOD_ACCEPTORS = new Map<string, (rule: CompiledRule) => boolean>();

function byLevel(
  level: Level,
  method: string,
  scope: 'module' | 'other',
  readOnlyPost: boolean,
  moduleId: string | null,
  ruleId: string | null,
  filter: string | null,
): Decision {
  const reason: DecisionReason =
    level === 'edit' ? `${scope}-edit` : level === 'none' ? `${scope}-none` : SAFE_METHODS.has(method) ? `${scope}-view` : readOnlyPost ? 'module-view-readonly-post' : `${scope}-view-mutation`;
  const allowed = level === 'edit' || (level === 'view' && (SAFE_METHODS.has(method) || readOnlyPost));
  return verdict(allowed, reason, moduleId, level, ruleId, filter);
}

/**
 * The step-up page a URL is on: the most specific of the role's and the catalogue's, so that an
 * approval of a broad page of the role never opens a narrower page the catalogue guards (the
 * owner would approve "account settings" and find "close account" open). The catalogue's on a tie.
 */
function mostSpecificStepUp<T>(role: FilterMatch<T> | null, catalogue: FilterMatch<T> | null): FilterMatch<T> | null {
  if (!role || !catalogue) return role ?? catalogue;
  return compareSpecificity(role.filter, catalogue.filter) < 0 ? role : catalogue;
}

function applyStepUp(decision: Decision, profile: CompiledProfile, subject: CompiledSubject, url: RequestUrl, now: number): Decision {
  const stepUp = mostSpecificStepUp(profile.stepUp.mostSpecific(url), profile.site.stepUp.mostSpecific(url));
  if (!stepUp) return decision;
  const filter = stepUp.values[0]!;
  const granted = subject.grants.some((g) => g.filter === filter && now < g.until);
  return { ...decision, allowed: granted, reason: granted ? 'step-up-granted' : 'step-up-required', filter };
}
