// Long queries (more than QUERY_INDEX_MIN_TOKENS tokens) are matched through a QueryIndex rather
// than by scanning the tokens. Both must give exactly the answers of the plain scan below, which
// is the definition (Chrome's format: every filter token present; in `all` mode every URL
// occurrence of a key the filter names fits one of its tokens with that key).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FilterIndex } from '../../shared/policy/filter-index';
import { QUERY_INDEX_MIN_TOKENS, parseRequestUrl } from '../../shared/policy/request-url';
import { compareSpecificity, matchesFilter, parseUrlFilter, type QueryMatch, type QueryToken, type UrlFilter } from '../../shared/policy/url-filter';

function scanMatches(filter: UrlFilter, urlTokens: readonly string[]): boolean {
  const fits = (token: QueryToken, candidate: string) => (token.prefix ? candidate.startsWith(token.text) : candidate === token.text);
  if (!filter.query.every((token) => urlTokens.some((candidate) => fits(token, candidate)))) return false;
  if (filter.queryMatch === 'any') return true;
  const keyOf = (candidate: string) => (candidate.includes('=') ? candidate.slice(0, candidate.indexOf('=')) : candidate);
  return urlTokens.every((candidate) => {
    const sameKey = filter.query.filter((token) => token.key !== null && token.key === keyOf(candidate));
    return sameKey.length === 0 || sameKey.some((token) => fits(token, candidate));
  });
}

// Keys that prefix one another (a, ab), values that prefix one another (1, 10), key-only tokens.
const URL_TOKENS = ['a', 'a=', 'a=1', 'a=10', 'a=2', 'ab', 'ab=1', 'b', 'b=1', 'b=1x', 'v=V1', 'v=V2', 'zz', 'z=9', 'a%3D1'];
const FILTER_TOKENS = ['a', 'a=', 'a=1', 'a=10', 'a=2', 'ab', 'ab=1', 'b', 'b=1', 'v=V1', 'v=V2'];

const filterQuery = fc
  .uniqueArray(fc.tuple(fc.constantFrom(...FILTER_TOKENS), fc.boolean()), { minLength: 1, maxLength: 4, selector: ([t, p]) => `${t}${p}` })
  .map((tokens) => tokens.map(([token, prefix]) => (prefix ? `${token}*` : token)).join('&'));
const filterSpec = fc.record({ query: filterQuery, queryMatch: fc.constantFrom<QueryMatch>('any', 'all') });
/** Long enough for the index, from a small pool so that tokens repeat and collide. */
const longQuery = fc.array(fc.constantFrom(...URL_TOKENS), { minLength: QUERY_INDEX_MIN_TOKENS + 1, maxLength: 60 });
const anyQuery = fc.array(fc.constantFrom(...URL_TOKENS), { maxLength: 40 });

function parse(query: string, queryMatch: QueryMatch): UrlFilter {
  const parsed = parseUrlFilter(`shop.example.com/edit?${query}`, { queryMatch });
  if (!parsed.ok) throw new Error(`generated filter ${query} did not parse: ${parsed.error}`);
  return parsed.filter;
}

test('matchesFilter on long and short queries equals the plain scan of the tokens', () => {
  fc.assert(
    fc.property(fc.array(filterSpec, { minLength: 1, maxLength: 10 }), fc.oneof(longQuery, anyQuery), (specs, tokens) => {
      const url = parseRequestUrl(`https://shop.example.com/edit?${tokens.join('&')}`)!;
      for (const spec of specs) {
        const filter = parse(spec.query, spec.queryMatch);
        assert.equal(matchesFilter(filter, url), scanMatches(filter, url.query), `${spec.queryMatch} ${filter.canonical} vs ${url.query.join('&')}`);
      }
    }),
    { numRuns: 1500 },
  );
});

test('FilterIndex.mostSpecific on long lists and long queries equals a linear scan', () => {
  fc.assert(
    fc.property(fc.array(filterSpec, { minLength: 9, maxLength: 60 }), fc.array(longQuery, { minLength: 1, maxLength: 6 }), (specs, queries) => {
      const added = specs.map((spec, value) => ({ filter: parse(spec.query, spec.queryMatch), value }));
      const index = new FilterIndex<number>();
      for (const a of added) index.add(a.filter, a.value);
      for (const tokens of queries) {
        const url = parseRequestUrl(`https://shop.example.com/edit?${tokens.join('&')}`)!;
        const matching = added.filter((a) => scanMatches(a.filter, url.query));
        const best = matching.reduce<(typeof added)[number] | null>((x, y) => (x === null || compareSpecificity(y.filter, x.filter) < 0 ? y : x), null);
        const expected = best ? matching.filter((a) => compareSpecificity(a.filter, best.filter) === 0).map((a) => a.value) : null;
        assert.deepEqual(index.mostSpecific(url)?.values ?? null, expected, tokens.join('&'));
      }
    }),
    { numRuns: 400 },
  );
});
