import { placeholderNames } from '../policy/placeholders';
import { parseUrlFilter } from '../policy/url-filter';
import type { Platform } from './schema';
import { expandSiteFilters } from './site-hosts';

/** A host a site lists: a plain DNS name or IPv4 address, lower case, no scheme, port or path. */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;

const PLACEHOLDER = /\{[a-z][a-z0-9_]*\}/g;

/** Every filter list of a platform, with where it sits (for messages). */
function filterLists(platform: Platform): { where: string; filters: readonly string[] }[] {
  return [
    ...platform.modules.flatMap((m, i) => [
      { where: `modules[${i}] "${m.id}" filters`, filters: m.filters },
      { where: `modules[${i}] "${m.id}" readOnlyPost`, filters: m.readOnlyPost },
    ]),
    { where: 'baseline', filters: platform.baseline },
  ];
}

/**
 * What the schema cannot see in a platform that passed it: duplicate site ids, hosts that are
 * not plain host names, filters that name an undefined `{key}` or do not parse once expanded.
 * Empty when the platform is usable.
 */
export function platformProblems(platform: Platform): string[] {
  const problems: string[] = [];
  const siteIds = new Set<string>();
  platform.sites.forEach((site, i) => {
    if (siteIds.has(site.id)) problems.push(`sites[${i}]: duplicate site "${site.id}"`);
    siteIds.add(site.id);
    for (const [key, hosts] of Object.entries(site.hosts))
      for (const host of hosts)
        if (!HOST_NAME.test(host))
          problems.push(
            `sites[${i}] "${site.id}" hosts.${key}: "${host}" is not a host name ` +
              '(write it in lower case without scheme, port, path or wildcard, e.g. "sellercentral.amazon.com")',
          );
  });
  if (problems.length > 0) return problems;

  const firstSite = platform.sites[0];
  if (!firstSite) return problems;
  const keys = new Set(Object.keys(firstSite.hosts));
  const known = [...keys].map((k) => `{${k}}`).join(', ');
  for (const { where, filters } of filterLists(platform)) {
    for (const filter of filters) {
      const unknown = placeholderNames(filter).filter((name) => !keys.has(name));
      if (unknown.length > 0) {
        problems.push(`${where}: "${filter}" uses ${unknown.map((n) => `{${n}}`).join(', ')}, which is not a host key (the sites define ${known})`);
        continue;
      }
      if (/[{}]/.test(filter.replace(PLACEHOLDER, ''))) {
        problems.push(`${where}: "${filter}" has a '{' or '}' outside a placeholder; placeholders look like {seller} (lower case)`);
        continue;
      }
      // Sites share their keys, so one failing expansion names the problem for all of them. A site
      // missing a key is skipped: the schema already reports it.
      const names = placeholderNames(filter);
      for (const site of platform.sites.filter((s) => names.every((name) => Object.hasOwn(s.hosts, name)))) {
        const bad = expandSiteFilters([filter], site)
          .map((text) => ({ text, parsed: parseUrlFilter(text) }))
          .find((e) => !e.parsed.ok);
        if (bad && !bad.parsed.ok) {
          problems.push(`${where}: "${filter}" is invalid for site "${site.id}" ("${bad.text}"): ${bad.parsed.error}`);
          break;
        }
      }
    }
  }
  return problems;
}
