// FilterIndex.mostSpecific against the obvious reference: scan every filter with matchesFilter,
// keep the most specific by compareSpecificity, return all tied values in insertion order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FilterIndex, type FilterMatch } from '../../shared/policy/filter-index';
import { compareSpecificity, matchesFilter, parseUrlFilter, type QueryMatch, type UrlFilter } from '../../shared/policy/url-filter';
import { parseRequestUrl, type RequestUrl } from '../../shared/policy/request-url';

// Small pools so that generated filters and URLs overlap often (suffix hosts, prefix paths…).
const HOSTS = [
  'com',
  'example.com',
  'a.example.com',
  'b.a.example.com',
  'amazon.com',
  'sellercentral.amazon.com',
  'evil.example',
  '例え.jp',
  'www.例え.jp',
  'xn--r8jz45g.jp',
  '192.168.1.2',
  '10.0.0.1',
  '[::1]',
  '[2001:db8::1]',
];
const PATH_SEGMENTS = ['a', 'ab', 'b', 'orders', 'Orders', 'orders-v3', '%7e', '~', '商', 'x%2Fy', '@me', ''];
const QUERY_TOKENS = ['a=1', 'a=10', 'a=2', 'b', 'b=1', 'q=中', 'v=V1', 'v=V2', 'empty='];
const FILTER_SCHEMES = [null, 'http', 'https', 'ws', 'wss'];
const URL_SCHEMES = ['http', 'https', 'ws', 'wss', 'ftp', 'custom'];
const PORTS = [null, 21, 80, 443, 8080];

const mixedCase = (s: string) => fc.mixedCase(fc.constant(s));

const filterHost = fc.oneof(
  { weight: 1, arbitrary: fc.constant('*') },
  {
    weight: 8,
    arbitrary: fc.tuple(fc.constantFrom(...HOSTS), fc.boolean(), fc.boolean()).chain(([host, exact, trailingDot]) =>
      mixedCase(host).map((h) => `${exact ? '.' : ''}${h}${trailingDot && !h.startsWith('[') && !/^\d/.test(h) ? '.' : ''}`),
    ),
  },
);

const path = fc.array(fc.constantFrom(...PATH_SEGMENTS), { maxLength: 3 }).map((segments) => (segments.length ? `/${segments.join('/')}` : ''));

const filterQuery = fc
  .uniqueArray(fc.tuple(fc.constantFrom(...QUERY_TOKENS), fc.boolean()), { maxLength: 3, selector: ([t]) => t })
  .map((tokens) => tokens.map(([token, prefix]) => (prefix ? `${token}*` : token)));

interface FilterSpec {
  text: string;
  queryMatch: QueryMatch;
}

const filterSpec: fc.Arbitrary<FilterSpec> = fc
  .record({
    scheme: fc.constantFrom(...FILTER_SCHEMES),
    host: filterHost,
    port: fc.constantFrom(...PORTS),
    path,
    query: filterQuery,
    atQuery: fc.boolean(),
    userInfo: fc.boolean(),
    queryMatch: fc.constantFrom<QueryMatch>('any', 'all'),
  })
  .map((f) => {
    const querySeparator = f.atQuery && f.path !== '' && !f.path.includes('@') ? '@' : '?';
    const text =
      (f.scheme ? `${f.scheme}://` : '') +
      (f.userInfo && f.host !== '*' ? 'user:pw@' : '') +
      f.host +
      (f.port === null ? '' : `:${f.port}`) +
      // A literal '@' in a path needs %40 unless a '?' starts the query.
      f.path.replace(/@/g, f.query.length && querySeparator === '?' ? '@' : '%40') +
      (f.query.length ? querySeparator + f.query.join('&') : '');
    return { text, queryMatch: f.queryMatch };
  });

const urlText = fc
  .record({
    scheme: fc.constantFrom(...URL_SCHEMES),
    subdomain: fc.constantFrom('', 'www.', 'x.y.'),
    host: fc.constantFrom(...HOSTS),
    upper: fc.boolean(),
    trailingDot: fc.boolean(),
    trick: fc.constantFrom('', 'sellercentral.amazon.com@', 'u:p@'),
    port: fc.constantFrom(null, 80, 443, 8080),
    path,
    dotDot: fc.constantFrom('', '/zz/..', '/%2e%2e', '/./'),
    query: fc.array(fc.constantFrom(...QUERY_TOKENS, 'a=1x', 'bb', ''), { maxLength: 4 }),
    fragment: fc.constantFrom('', '#a=1', '#frag?b'),
  })
  .chain((u) => {
    const literal = u.host.startsWith('[') || /^\d/.test(u.host);
    const name = literal ? u.host : `${u.subdomain}${u.host}${u.trailingDot ? '.' : ''}`;
    return (u.upper ? mixedCase(name) : fc.constant(name)).map(
      (host) =>
        `${u.scheme}://${u.trick}${host}${u.port === null ? '' : `:${u.port}`}` +
        `${u.dotDot}${u.path || '/'}${u.query.length ? `?${u.query.join('&')}` : ''}${u.fragment}`,
    );
  });

interface Added {
  filter: UrlFilter;
  value: number;
}

function parseAll(specs: FilterSpec[]): Added[] {
  return specs.map((spec, value) => {
    const parsed = parseUrlFilter(spec.text, { queryMatch: spec.queryMatch });
    if (!parsed.ok) throw new Error(`generated filter ${spec.text} did not parse: ${parsed.error}`);
    return { filter: parsed.filter, value };
  });
}

function reference(added: Added[], url: RequestUrl, accept: (v: number) => boolean): FilterMatch<number> | null {
  const matching = added.filter((a) => matchesFilter(a.filter, url) && accept(a.value));
  if (matching.length === 0) return null;
  const best = matching.reduce((a, b) => (compareSpecificity(b.filter, a.filter) < 0 ? b : a));
  const tied = matching.filter((a) => compareSpecificity(a.filter, best.filter) === 0);
  return { filter: (tied[0] as Added).filter, values: tied.map((a) => a.value) };
}

function indexed(added: Added[]): FilterIndex<number> {
  const index = new FilterIndex<number>();
  for (const a of added) index.add(a.filter, a.value);
  return index;
}

test('mostSpecific equals a linear scan with matchesFilter + compareSpecificity', () => {
  fc.assert(
    fc.property(
      fc.array(filterSpec, { minLength: 1, maxLength: 40 }),
      fc.array(urlText, { minLength: 1, maxLength: 8 }),
      fc.func(fc.boolean()),
      fc.boolean(),
      (specs, urls, skip, useAccept) => {
        const added = parseAll(specs);
        const index = indexed(added);
        assert.equal(index.size, added.length);
        const accept = useAccept ? (v: number) => !skip(v) : () => true;
        for (const text of urls) {
          const url = parseRequestUrl(text);
          assert.ok(url, `generated URL ${text} should parse`);
          const actual = useAccept ? index.mostSpecific(url, accept) : index.mostSpecific(url);
          const expected = reference(added, url, accept);
          assert.deepEqual(actual?.values ?? null, expected?.values ?? null, `values for ${text}`);
          assert.equal(actual?.filter, expected?.filter, `filter for ${text}`);
        }
      },
    ),
    { numRuns: 400 },
  );
});

test('every filter matches the URLs its own parts describe, in any spelling', () => {
  fc.assert(
    fc.property(filterSpec, fc.constantFrom('', '/more', 'x'), (spec, extraPath) => {
      const [{ filter }] = parseAll([spec]) as [Added];
      if (filter.host === '*' || filter.hostKind !== 'name') return;
      const scheme = filter.scheme ?? 'https';
      const port = filter.port === null ? '' : `:${filter.port}`;
      const query = filter.query.map((t) => (t.prefix ? `${t.text}zz` : t.text)).join('&');
      const self = `${scheme}://${filter.host.toUpperCase()}.${port}${filter.path || '/'}${extraPath}${query ? `?${query}` : ''}`;
      assert.equal(matchesFilter(filter, parseRequestUrl(self)!), true, `${filter.canonical} vs ${self}`);
      const sub = self.replace('://', '://deeper.');
      assert.equal(matchesFilter(filter, parseRequestUrl(sub)!), filter.matchSubdomains, `${filter.canonical} vs ${sub}`);
    }),
    { numRuns: 500 },
  );
});

test('canonical text parses back to an equal filter', () => {
  fc.assert(
    fc.property(filterSpec, (spec) => {
      const [{ filter }] = parseAll([spec]) as [Added];
      const again = parseUrlFilter(filter.canonical, { queryMatch: spec.queryMatch });
      assert.ok(again.ok, `${filter.canonical}: ${again.ok ? '' : again.error}`);
      assert.deepEqual({ ...again.filter, text: '' }, { ...filter, text: '' });
    }),
    { numRuns: 500 },
  );
});

test('user info in a URL never changes the decision', () => {
  fc.assert(
    fc.property(fc.array(filterSpec, { minLength: 1, maxLength: 30 }), urlText, (specs, text) => {
      const index = indexed(parseAll(specs));
      const plain = text.replace(/^([a-z]+:\/\/)(sellercentral\.amazon\.com@|u:p@)/, '$1');
      const tricked = plain.replace('://', '://sellercentral.amazon.com:443@');
      const a = index.mostSpecific(parseRequestUrl(plain)!);
      const b = index.mostSpecific(parseRequestUrl(tricked)!);
      assert.deepEqual(b?.values ?? null, a?.values ?? null, `${tricked} vs ${plain}`);
    }),
    { numRuns: 300 },
  );
});

test('mostSpecific equals the linear scan on long lists of one host and path (scoped rules: one filter per value)', () => {
  // Many filters on the same host and path, differing in scheme, port and query tokens (exact,
  // prefix or none), so lookups go through the per-token positions of long lists.
  const sameHostPath = fc.record({
    scheme: fc.constantFrom(null, 'https'),
    port: fc.constantFrom(null, 443),
    path: fc.constantFrom('/edit', '/edit/all', ''),
    query: filterQuery,
    queryMatch: fc.constantFrom<QueryMatch>('any', 'all'),
  });
  const urlOnHost = fc.record({
    path: fc.constantFrom('/edit', '/edit/all', '/editor', '/other'),
    query: fc.array(fc.constantFrom(...QUERY_TOKENS, 'a=1x', 'zz'), { maxLength: 4 }),
  });
  fc.assert(
    fc.property(
      fc.array(sameHostPath, { minLength: 9, maxLength: 60 }),
      fc.array(urlOnHost, { minLength: 1, maxLength: 8 }),
      fc.func(fc.boolean()),
      (specs, urls, skip) => {
        const added = parseAll(
          specs.map((f) => ({
            text: `${f.scheme ? `${f.scheme}://` : ''}shop.example.com${f.port === null ? '' : `:${f.port}`}${f.path}${f.query.length ? `?${f.query.join('&')}` : ''}`,
            queryMatch: f.queryMatch,
          })),
        );
        const index = indexed(added);
        const accept = (v: number) => !skip(v);
        for (const u of urls) {
          const text = `https://shop.example.com${u.path}${u.query.length ? `?${u.query.join('&')}` : ''}`;
          const url = parseRequestUrl(text)!;
          for (const [actual, expected] of [
            [index.mostSpecific(url), reference(added, url, () => true)],
            [index.mostSpecific(url, accept), reference(added, url, accept)],
          ] as const) {
            assert.deepEqual(actual?.values ?? null, expected?.values ?? null, `values for ${text}`);
            assert.equal(actual?.filter, expected?.filter, `filter for ${text}`);
          }
        }
      },
    ),
    { numRuns: 300 },
  );
});
