import { expandPlaceholders, placeholderNames } from '../policy/placeholders';
import type { CatalogSite } from './schema';

/** Extra placeholder values besides the site's hosts, e.g. an assignment's scope `{ asin: [...] }`. */
export type PlaceholderValues = Readonly<Record<string, readonly string[]>>;

function own(values: PlaceholderValues, name: string): readonly string[] | undefined {
  // Own keys only: `{constructor}` must not find Object.prototype.constructor.
  return Object.hasOwn(values, name) ? values[name] : undefined;
}

function keyList(site: CatalogSite): string {
  return Object.keys(site.hosts)
    .map((key) => `{${key}}`)
    .join(', ');
}

/**
 * Expands the `{key}` hosts of catalogue filters for one site: "{seller}/orders-v3" becomes one
 * filter per host the site lists under `seller`. `extra` supplies other placeholders (scope values
 * such as `{asin}`); a site host key wins over an extra value of the same name, as in the compiler.
 * Throws when a filter names a placeholder that neither the site nor `extra` defines.
 */
export function expandSiteFilters(filters: readonly string[], site: CatalogSite, extra: PlaceholderValues = {}): string[] {
  const lookup = (name: string) => own(site.hosts, name) ?? own(extra, name);
  return filters.flatMap((filter) => {
    const unknown = placeholderNames(filter).filter((name) => lookup(name) === undefined);
    if (unknown.length > 0)
      throw new Error(
        `filter "${filter}" uses ${unknown.map((n) => `{${n}}`).join(', ')}, which site "${site.id}" does not define ` +
          `(its host keys are ${keyList(site)})`,
      );
    return expandPlaceholders(filter, lookup);
  });
}

interface HostMatch {
  key: string;
  index: number;
  /** Labels in front of the site's host ("eu." for "eu.example.com" under "example.com"), kept as they are. */
  subdomain: string;
}

/** The site host `host` is, or is a subdomain of; the longest such site host wins. */
function findSiteHost(host: string, site: CatalogSite): HostMatch | null {
  let best: (HostMatch & { length: number }) | null = null;
  for (const [key, hosts] of Object.entries(site.hosts)) {
    for (const [index, written] of hosts.entries()) {
      const siteHost = written.toLowerCase();
      const matches = host === siteHost || host.endsWith(`.${siteHost}`);
      if (matches && (best === null || siteHost.length > best.length))
        best = { key, index, subdomain: host.slice(0, host.length - siteHost.length), length: siteHost.length };
    }
  }
  return best;
}

const SCHEME_PREFIX = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Rewrites a filter written for one site so that it means the same page on another site of the
 * same platform (F10): a literal host that `fromSite` lists under some key at some position
 * becomes `toSite`'s host under that key at that position (or its first host when `toSite`
 * lists fewer). Subdomains of a site host keep their labels. `{key}` placeholders, hosts no
 * site lists (CDNs, '*') and everything after the host are left as they are.
 */
export function translateFilterBetweenSites(filter: string, fromSite: CatalogSite, toSite: CatalogSite): string {
  const scheme = SCHEME_PREFIX.exec(filter)?.[0] ?? '';
  const afterScheme = filter.slice(scheme.length);
  const authorityEnd = afterScheme.search(/[/\\?]/);
  const authority = authorityEnd >= 0 ? afterScheme.slice(0, authorityEnd) : afterScheme;
  const tail = afterScheme.slice(authority.length);
  // As in the filter parser, the authority's last '@' ends user info; a ':' after the host starts the port.
  const hostStart = authority.lastIndexOf('@') + 1;
  const userInfo = authority.slice(0, hostStart);
  const hostPort = authority.slice(hostStart);
  if (hostPort.startsWith('[') || hostPort.includes('{')) return filter;
  const colon = hostPort.indexOf(':');
  const written = colon >= 0 ? hostPort.slice(0, colon) : hostPort;
  const port = hostPort.slice(written.length);
  const exact = written.startsWith('.') ? '.' : '';
  const host = written.slice(exact.length).replace(/\.$/, '').toLowerCase();

  const match = findSiteHost(host, fromSite);
  if (!match) return filter;
  const targets = own(toSite.hosts, match.key);
  if (!targets || targets.length === 0)
    throw new Error(`site "${toSite.id}" has no {${match.key}} hosts, so "${filter}" cannot be translated from site "${fromSite.id}"`);
  const target = targets[match.index] ?? (targets[0] as string);
  return `${scheme}${userInfo}${exact}${match.subdomain}${target}${port}${tail}`;
}

/** What of a role names hosts: its custom rules' filters and its step-up pages. */
export interface SiteBoundFilters {
  rules: readonly { filter: string }[];
  stepUp: readonly string[];
}

/**
 * A role's rules and step-up pages as they read on `toSite` (F10): each literal host of
 * `fromSite` translated (translateFilterBetweenSites). Null when nothing names such a host — the
 * role, written with `{key}` placeholders, already means the same pages on every site.
 */
export function translateRoleFiltersBetweenSites<R extends SiteBoundFilters>(role: R, fromSite: CatalogSite, toSite: CatalogSite): Pick<R, 'rules' | 'stepUp'> | null {
  const rules = role.rules.map((rule) => ({ ...rule, filter: translateFilterBetweenSites(rule.filter, fromSite, toSite) }));
  const stepUp = role.stepUp.map((filter) => translateFilterBetweenSites(filter, fromSite, toSite));
  const changed = rules.some((rule, i) => rule.filter !== role.rules[i]!.filter) || stepUp.some((filter, i) => filter !== role.stepUp[i]);
  return changed ? ({ rules, stepUp } as Pick<R, 'rules' | 'stepUp'>) : null;
}
