import { queryIndexOf, type RequestUrl } from './request-url';
import { compareSpecificity, matchesFilter, matchesSchemePortQuery, samePathRank, type UrlFilter } from './url-filter';

export interface FilterMatch<T> {
  /** The winning filter (the first added, when several distinct filters tie). */
  readonly filter: UrlFilter;
  /** Every accepted value tied at the winning specificity, in the order they were added. */
  readonly values: readonly T[];
}

interface Entry<T> {
  readonly filter: UrlFilter;
  readonly value: T;
  readonly order: number;
  /** samePathRank(filter): orders the entries of one host and path. */
  readonly tier: number;
  /** The result when this entry wins alone, made once (lookups then allocate nothing). */
  readonly alone: FilterMatch<T>;
}

/**
 * Filters (each with a value: a rule, a module…) indexed so that finding the most specific
 * match for a URL is a few Map lookups, not a scan. Selection follows `compareSpecificity`:
 * the URL's host is looked up, then each parent domain (`a.b.example.com`, `b.example.com`,
 * `example.com`, `com`; IP hosts only as a whole), then the `*` host; the first host with an
 * accepted match decides. Within a host the paths that are prefixes of the URL's path are
 * visited longest first (a trie of directories), and within a path the filters are kept in
 * specificity order. Ties are legitimate (an allow and a block rule with the same filter):
 * all tied values are returned, and the caller settles them.
 */
export class FilterIndex<T> {
  /** Every filter of a host, for URLs on that very host. */
  readonly #onHost = new Map<string, HostFilters<T>>();
  /** Only the filters that cover subdomains, for URLs on a subdomain of the host. */
  readonly #onSubdomains = new Map<string, HostFilters<T>>();
  readonly #anyHost = new HostFilters<T>();
  readonly #entries: Entry<T>[] = [];
  /** #candidatesFor's answers by URL host. */
  readonly #byHost = new Map<string, readonly HostFilters<T>[]>();
  /** Most labels in a filter's host name: longer parts of a URL's host need no lookup. */
  #maxLabels = 0;

  get size(): number {
    return this.#entries.length;
  }

  add(filter: UrlFilter, value: T): void {
    const tier = samePathRank(filter);
    const alone = Object.freeze({ filter, values: Object.freeze([value]) });
    const entry: Entry<T> = { filter, value, order: this.#entries.length, tier, alone };
    this.#entries.push(entry);
    this.#byHost.clear();
    if (filter.host === '*') return this.#anyHost.add(entry);
    hostFilters(this.#onHost, filter.host).add(entry);
    if (filter.hostKind === 'name') this.#maxLabels = Math.max(this.#maxLabels, labelCount(filter.host));
    if (filter.matchSubdomains) hostFilters(this.#onSubdomains, filter.host).add(entry);
  }

  /**
   * The most specific filter matching `url` among those whose value `accept` takes (e.g. rules
   * whose methods fit the request), so that a less specific filter can win when the more
   * specific ones are skipped. null when nothing matches.
   */
  mostSpecific(url: RequestUrl, accept?: (value: T) => boolean): FilterMatch<T> | null {
    if (this.#entries.length === 0) return null;
    const candidates = this.#candidatesFor(url);
    for (let i = 0; i < candidates.length; i++) {
      const match = (candidates[i] as HostFilters<T>).find(url, accept);
      if (match) return match;
    }
    return null;
  }

  /**
   * The filter groups that can match a URL on `url.host`, most specific host first: the host
   * itself, each parent domain (`a.b.example.com`, `b.example.com`, `example.com`, `com`; IP
   * hosts only as a whole), then `*`. A page sends most of its requests to a handful of hosts,
   * so the walk is remembered per host (a bounded map, emptied when full and on every add).
   */
  #candidatesFor(url: RequestUrl): readonly HostFilters<T>[] {
    const host = url.host;
    const known = this.#byHost.get(host);
    if (known) return known;
    const candidates: HostFilters<T>[] = [];
    if (url.hostKind !== 'name') {
      const exact = host === '' ? undefined : this.#onHost.get(host);
      if (exact) candidates.push(exact);
    } else if (this.#maxLabels > 0) {
      // Skip the leading labels that make the host longer than any filter's host.
      let start = 0;
      for (let extra = labelCount(host) - this.#maxLabels; extra > 0; extra--) start = host.indexOf('.', start) + 1;
      if (start === 0) {
        const exact = this.#onHost.get(host);
        if (exact) candidates.push(exact);
        start = host.indexOf('.') + 1;
      }
      for (; start > 0; start = host.indexOf('.', start) + 1) {
        const parent = this.#onSubdomains.get(host.slice(start));
        if (parent) candidates.push(parent);
      }
    }
    candidates.push(this.#anyHost);
    if (this.#byHost.size >= HOST_MEMO_LIMIT) this.#byHost.clear();
    this.#byHost.set(host, candidates);
    return candidates;
  }

  /** Every matching filter and value, most specific first (for the rule tester; a linear scan). */
  matches(url: RequestUrl, accept?: (value: T) => boolean): Array<{ filter: UrlFilter; value: T }> {
    return this.#entries
      .filter((e) => matchesFilter(e.filter, url) && (!accept || accept(e.value)))
      .sort((a, b) => compareSpecificity(a.filter, b.filter) || a.order - b.order)
      .map(({ filter, value }) => ({ filter, value }));
  }
}

/** Distinct hosts remembered per index: far more than a store's pages use, and bounded. */
const HOST_MEMO_LIMIT = 512;

function labelCount(host: string): number {
  let labels = 1;
  for (let dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) labels++;
  return labels;
}

function hostFilters<T>(map: Map<string, HostFilters<T>>, host: string): HostFilters<T> {
  let filters = map.get(host);
  if (!filters) map.set(host, (filters = new HostFilters()));
  return filters;
}

/**
 * The filters of one host, arranged by path so that a lookup walks the URL's path once.
 * A filter path `/s1/…/sN/tail` (tail without '/') matches a URL path that starts with the
 * directory `/s1/…/sN/` and whose next segment starts with `tail`: the directories form a
 * trie, and each node keeps its tails longest first. Walking the URL's directories down the
 * trie and then checking the nodes deepest first visits the matching paths longest first.
 */
class HostFilters<T> {
  /** Filters without a path: they match any path, so they are tried last. */
  readonly #anyPath = new RankedEntries<T>();
  readonly #root = new PathNode<T>();

  add(entry: Entry<T>): void {
    const path = entry.filter.path;
    if (path === '') return this.#anyPath.add(entry);
    let node = this.#root;
    let start = 1; // filter paths start with '/'
    for (let slash = path.indexOf('/', start); slash >= 0; slash = path.indexOf('/', start)) {
      node = node.child(path.slice(start, slash));
      start = slash + 1;
    }
    node.addTail(path.slice(start), entry);
  }

  find(url: RequestUrl, accept: ((value: T) => boolean) | undefined): FilterMatch<T> | null {
    if (url.path.charCodeAt(0) === 47 /* / */) {
      const match = this.#root.find(url, 1, accept);
      if (match) return match;
    }
    return this.#anyPath.best(url, accept);
  }
}

interface TailGroup<T> {
  readonly tail: string;
  readonly entries: RankedEntries<T>;
}

class PathNode<T> {
  children: Map<string, PathNode<T>> | undefined;
  /** Filters ending in this directory, grouped by the rest of their path; longest first. */
  readonly tails: TailGroup<T>[] = [];

  child(segment: string): PathNode<T> {
    this.children ??= new Map();
    let node = this.children.get(segment);
    if (!node) this.children.set(segment, (node = new PathNode()));
    return node;
  }

  /**
   * Best match at or below this directory; `start` is where the URL path's segment after this
   * directory begins. Deeper directories first, since their paths are longer.
   */
  find(url: RequestUrl, start: number, accept: ((value: T) => boolean) | undefined): FilterMatch<T> | null {
    const path = url.path;
    if (this.children) {
      const slash = path.indexOf('/', start);
      const child = slash < 0 ? undefined : this.children.get(path.slice(start, slash));
      const match = child?.find(url, slash + 1, accept);
      if (match) return match;
    }
    // A tail has no '/', so matching it at the segment start keeps it within the segment.
    for (let i = 0; i < this.tails.length; i++) {
      const group = this.tails[i] as TailGroup<T>;
      if (!path.startsWith(group.tail, start)) continue;
      const match = group.entries.best(url, accept);
      if (match) return match;
    }
    return null;
  }

  addTail(tail: string, entry: Entry<T>): void {
    let group = this.tails.find((t) => t.tail === tail);
    if (!group) {
      group = { tail, entries: new RankedEntries() };
      const at = this.tails.findIndex((t) => t.tail.length < tail.length);
      this.tails.splice(at < 0 ? this.tails.length : at, 0, group);
    }
    group.entries.add(entry);
  }
}

/** Above this many entries of one host and path, a lookup goes through their query tokens. */
const TOKEN_INDEX_MIN_ENTRIES = 8;

/**
 * The entries of one host and path: most specific first, equals in insertion order. Scoped
 * rules make long lists here (`…/listing/edit?asin={asin}` is one filter per ASIN of the
 * staff member's scope), and every entry of the leading tier has to be checked for ties. So a
 * long list also keeps, for each entry, one query token it requires exactly (a URL it matches
 * must contain that token): a lookup then checks only the entries keyed by one of the URL's
 * tokens and those that require none.
 */
class RankedEntries<T> {
  readonly #entries: Entry<T>[] = [];
  /** Positions in #entries by required token, and of the entries without one; built on first use. */
  #byToken: { keyed: Map<string, number[]>; unkeyed: number[] } | null = null;

  add(entry: Entry<T>): void {
    let at = this.#entries.length;
    while (at > 0 && (this.#entries[at - 1] as Entry<T>).tier < entry.tier) at--;
    this.#entries.splice(at, 0, entry);
    this.#byToken = null;
  }

  /** The leading run of equally specific entries that match and are accepted. */
  best(url: RequestUrl, accept: ((value: T) => boolean) | undefined): FilterMatch<T> | null {
    const short = this.#entries.length <= TOKEN_INDEX_MIN_ENTRIES;
    return bestAmong(this.#entries, short ? null : this.#candidates(url), url, accept);
  }

  /** Positions, in order, of the entries whose required token (if any) is among the URL's. */
  #candidates(url: RequestUrl): readonly number[] {
    const { keyed, unkeyed } = (this.#byToken ??= this.#indexTokens());
    let positions: number[] | null = null;
    // A long query (thousands of tokens) goes the shorter way: its distinct tokens, or the keys.
    const index = queryIndexOf(url);
    if (index && keyed.size < index.size) {
      for (const [token, found] of keyed) if (index.has(token)) (positions ??= [...unkeyed]).push(...found);
    } else {
      for (const token of index ? index.tokens() : url.query) {
        const found = keyed.get(token);
        if (found) (positions ??= [...unkeyed]).push(...found);
      }
    }
    if (positions === null) return unkeyed;
    // A URL may repeat a token; entries appear once, in list order.
    return [...new Set(positions)].sort((a, b) => a - b);
  }

  #indexTokens(): { keyed: Map<string, number[]>; unkeyed: number[] } {
    const keyed = new Map<string, number[]>();
    const unkeyed: number[] = [];
    this.#entries.forEach((entry, position) => {
      const token = entry.filter.query.find((t) => !t.prefix)?.text;
      if (token === undefined) unkeyed.push(position);
      else if (keyed.has(token)) keyed.get(token)!.push(position);
      else keyed.set(token, [position]);
    });
    return { keyed, unkeyed };
  }
}

/**
 * The first entry that matches and is accepted, with the later ones of its tier that do too,
 * among all `entries` or only those at `positions` (ascending).
 */
function bestAmong<T>(entries: readonly Entry<T>[], positions: readonly number[] | null, url: RequestUrl, accept: ((value: T) => boolean) | undefined): FilterMatch<T> | null {
  const count = positions === null ? entries.length : positions.length;
  for (let i = 0; i < count; i++) {
    const winner = entries[positions === null ? i : (positions[i] as number)] as Entry<T>;
    if (!matchesSchemePortQuery(winner.filter, url) || (accept && !accept(winner.value))) continue;
    let values: T[] | undefined;
    for (let j = i + 1; j < count; j++) {
      const tied = entries[positions === null ? j : (positions[j] as number)] as Entry<T>;
      if (tied.tier !== winner.tier) break;
      if (!matchesSchemePortQuery(tied.filter, url) || (accept && !accept(tied.value))) continue;
      (values ??= [winner.value]).push(tied.value);
    }
    return values ? { filter: winner.filter, values } : winner.alone;
  }
  return null;
}
