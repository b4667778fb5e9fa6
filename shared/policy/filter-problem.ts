// Whether a rule or step-up filter can be used (F13): the one check behind both the role editor's
// inline errors and the service's refusal to save a role. Site host placeholders ({seller})
// expand for every site that defines them, scope placeholders ({asin}) get a stand-in value, and
// every expansion must parse as a URL filter.
import { expandSiteFilters } from '../catalog';
import type { Platform } from '../catalog/schema';
import { placeholderNames } from './placeholders';
import { parseUrlFilter } from './url-filter';

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
