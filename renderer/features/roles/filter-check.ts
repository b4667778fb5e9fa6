// Inline check of a rule or step-up filter as the owner types it (F13). The same check the
// service makes before saving a role (electron/core/service/handlers/roles.ts, roleProblems):
// site host placeholders ({seller}) expand for every site that defines them, scope placeholders
// ({asin}) get a stand-in value, and every expansion must parse. The service checks again.
import { expandSiteFilters } from '../../../shared/catalog';
import type { Platform } from '../../../shared/catalog/schema';
import { placeholderNames } from '../../../shared/policy/placeholders';
import { parseUrlFilter } from '../../../shared/policy/url-filter';

/** The parser's message for the first expansion that does not parse, or null when all do. */
export function filterProblem(text: string, platforms: readonly Platform[]): string | null {
  if (text.trim() === '') return 'the filter is empty';
  const sites = platforms.flatMap((p) => p.sites);
  const names = placeholderNames(text);
  const stand = Object.fromEntries(names.map((n) => [n, ['x']]));
  const usable = sites.filter((s) => names.every((n) => Object.hasOwn(s.hosts, n) || !sites.some((o) => Object.hasOwn(o.hosts, n))));
  let expanded: string[];
  try {
    expanded = usable.length > 0 ? usable.flatMap((s) => expandSiteFilters([text], s, stand)) : [text];
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  for (const filter of new Set(expanded)) {
    const parsed = parseUrlFilter(filter);
    if (!parsed.ok) return parsed.error;
  }
  return null;
}
