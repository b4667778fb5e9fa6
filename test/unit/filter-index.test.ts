import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FilterIndex } from '../../shared/policy/filter-index';
import { compareSpecificity, type ParseOptions } from '../../shared/policy/url-filter';
import { filter, url } from './policy-test-helpers';

/** Index whose values are the filter texts, so results read as the filters that won. */
function indexOf(filters: string[], options?: ParseOptions): FilterIndex<string> {
  const index = new FilterIndex<string>();
  for (const text of filters) index.add(filter(text, options), text);
  return index;
}

function winners(filters: string[], urlText: string): readonly string[] | null {
  return indexOf(filters).mostSpecific(url(urlText))?.values ?? null;
}

/** Chrome's URLBlocklist + URLAllowlist on top of the index: allow wins a tie, no match allows. */
function chromePolicy(lists: { block?: string[]; allow?: string[] }): (urlText: string) => 'allowed' | 'blocked' {
  const index = new FilterIndex<'allow' | 'block'>();
  for (const text of lists.block ?? []) index.add(filter(text), 'block');
  for (const text of lists.allow ?? []) index.add(filter(text, { queryMatch: 'all' }), 'allow');
  return (urlText) => {
    const match = index.mostSpecific(url(urlText));
    return !match || match.values.includes('allow') ? 'allowed' : 'blocked';
  };
}

describe('selection order (the contract decide() relies on)', () => {
  test('1. the longest host wins, whatever the path', () => {
    const filters = ['example.com/a/very/long/path', 'a.b.example.com', 'b.example.com/a'];
    assert.deepEqual(winners(filters, 'https://a.b.example.com/a/very/long/path'), ['a.b.example.com']);
    assert.deepEqual(winners(filters, 'https://c.b.example.com/a/very/long/path'), ['b.example.com/a']);
    assert.deepEqual(winners(filters, 'https://example.com/a/very/long/path/x'), ['example.com/a/very/long/path']);
    assert.equal(winners(filters, 'https://example.org/'), null);
  });

  test('1. a ".host" filter counts as the same host length as "host"', () => {
    const filters = ['.example.com', 'example.com/orders'];
    assert.deepEqual(winners(filters, 'https://example.com/orders/1'), ['example.com/orders']);
    assert.deepEqual(winners(filters, 'https://example.com/'), ['.example.com']);
    assert.deepEqual(winners(['.example.com', 'example.com'], 'https://example.com/'), ['.example.com', 'example.com']);
  });

  test('1. a ".host" filter is skipped when looking at parent domains', () => {
    assert.deepEqual(winners(['.example.com', 'com'], 'https://www.example.com/'), ['com']);
  });

  test('2. then the longest path, even against a scheme or port', () => {
    const filters = ['https://example.com:443', 'https://example.com', 'example.com:443', 'example.com/orders'];
    assert.deepEqual(winners(filters, 'https://example.com/orders/1'), ['example.com/orders']);
    assert.deepEqual(winners(filters, 'https://example.com/reports'), ['https://example.com:443']);
  });

  test('3. then the most query tokens', () => {
    const filters = ['example.com/p', 'example.com/p?a=1', 'example.com/p?a=1&b=2'];
    assert.deepEqual(winners(filters, 'https://example.com/p?b=2&a=1'), ['example.com/p?a=1&b=2']);
    assert.deepEqual(winners(filters, 'https://example.com/p?a=1'), ['example.com/p?a=1']);
    assert.deepEqual(winners(filters, 'https://example.com/p?b=2'), ['example.com/p']);
    assert.deepEqual(winners(['example.com/p?a=1&b=2', 'example.com/pp'], 'https://example.com/pp?a=1&b=2'), ['example.com/pp']);
  });

  test('4-5. then a scheme, then a port, break what is left of a tie', () => {
    const filters = ['example.com', 'example.com:443', 'https://example.com', 'https://example.com:443'];
    const expected = ['https://example.com:443', 'https://example.com', 'example.com:443', 'example.com'];
    for (let i = 0; i < expected.length; i++)
      assert.deepEqual(winners(filters.filter((f) => !expected.slice(0, i).includes(f)), 'https://example.com/'), [expected[i]]);
  });

  test('a host where nothing matches gives way to its parent domain, then to "*"', () => {
    const filters = ['*', 'http://a.example.com', 'a.example.com:8443', 'example.com/x'];
    assert.deepEqual(winners(filters, 'https://a.example.com/x/y'), ['example.com/x']);
    assert.deepEqual(winners(filters, 'https://a.example.com/y'), ['*']);
    assert.deepEqual(winners(filters, 'http://a.example.com/x'), ['http://a.example.com']);
  });

  test('"*" is searched last, even with a longer path', () => {
    assert.deepEqual(winners(['*/a/b/c', 'example.com'], 'https://example.com/a/b/c'), ['example.com']);
    assert.deepEqual(winners(['*/a/b/c', '*', 'example.com'], 'https://example.org/a/b/c/d'), ['*/a/b/c']);
  });

  test('IP hosts are looked up whole, never by labels', () => {
    const filters = ['192.168.1.2', '*', 'com'];
    assert.deepEqual(winners(filters, 'http://192.168.1.2/'), ['192.168.1.2']);
    assert.deepEqual(winners(filters, 'http://192.168.1.3/'), ['*']);
    assert.deepEqual(winners(['[::1]', '*'], 'http://[::1]:3000/'), ['[::1]']);
  });

  test('URLs without a network host only meet "*" filters', () => {
    assert.deepEqual(winners(['*', 'data:*', 'example.com'], 'data:text/html,hi'), ['data:*']);
    assert.deepEqual(winners(['example.com'], 'custom://example.com/'), null);
  });

  test('tied filters give every value in insertion order; filter is the first added', () => {
    const index = new FilterIndex<string>();
    index.add(filter('example.com/a?x=1'), 'first');
    index.add(filter('example.com/a?y=2'), 'second');
    index.add(filter('example.com/a?x=1'), 'third');
    index.add(filter('example.com/a?z=3'), 'not matching');
    const match = index.mostSpecific(url('https://example.com/a?y=2&x=1'));
    assert.deepEqual(match?.values, ['first', 'second', 'third']);
    assert.equal(match?.filter.canonical, 'example.com/a?x=1');
  });

  test('accept() skips values, letting a less specific filter win', () => {
    interface Rule {
      id: string;
      methods: string[] | null;
    }
    const index = new FilterIndex<Rule>();
    index.add(filter('example.com/orders/edit'), { id: 'edit-post-only', methods: ['POST'] });
    index.add(filter('example.com/orders'), { id: 'orders-any', methods: null });
    index.add(filter('example.com/orders'), { id: 'orders-get', methods: ['GET'] });
    const forMethod = (method: string) => (r: Rule) => r.methods === null || r.methods.includes(method);
    const ids = (method: string) => index.mostSpecific(url('https://example.com/orders/edit/1'), forMethod(method))?.values.map((r) => r.id);
    assert.deepEqual(ids('POST'), ['edit-post-only']);
    assert.deepEqual(ids('GET'), ['orders-any', 'orders-get']);
    assert.deepEqual(ids('DELETE'), ['orders-any']);
    assert.equal(index.mostSpecific(url('https://example.com/orders'), () => false), null);
  });

  test('size counts every added filter; matches() lists all matches, most specific first', () => {
    const index = indexOf(['*', 'example.com', 'www.example.com/a', 'other.test', 'example.com']);
    assert.equal(index.size, 5);
    assert.deepEqual(
      index.matches(url('https://www.example.com/a/b')).map((m) => m.value),
      ['www.example.com/a', 'example.com', 'example.com', '*'],
    );
  });

  test('compareSpecificity sorts by host, path, query, scheme, port', () => {
    const ordered = [
      'a.example.com',
      'https://example.com:443/p/q',
      'example.com/p/q',
      'example.com/p?a=1&b=2',
      'example.com/p?a=1',
      'https://example.com:443/p',
      'https://example.com/p',
      'example.com:443/p',
      'example.com/p',
      'example.com',
      '.example.com',
      '*/a/long/path',
      '*',
    ];
    const shuffled = [...ordered].reverse().map((text) => filter(text));
    const sorted = shuffled.sort(compareSpecificity).map((f) => f.text);
    // '.example.com' and 'example.com' are equally specific; a stable sort keeps input order.
    assert.deepEqual(sorted, ordered.map((t) => (t === 'example.com' ? '.example.com' : t === '.example.com' ? 'example.com' : t)));
    assert.equal(compareSpecificity(filter('.example.com'), filter('example.com')), 0);
    assert.ok(compareSpecificity(filter('example.com/a'), filter('example.com')) < 0);
  });
});

describe("Chrome's documented policies, decided through the index", () => {
  test('the search for http://mail.example.com/mail/inbox', () => {
    const filters = ['*', 'com', 'example.com/mail', 'https://mail.example.com', 'mail.example.com:8080', 'mail.example.com/mail/outbox'];
    assert.deepEqual(winners(filters, 'http://mail.example.com/mail/inbox'), ['example.com/mail']);
    assert.deepEqual(winners([...filters, 'mail.example.com/mail'], 'http://mail.example.com/mail/inbox'), ['mail.example.com/mail']);
  });

  test('allowing only a small set of sites', () => {
    const decide = chromePolicy({ block: ['*'], allow: ['mail.example.com', 'wikipedia.org', 'google.com'] });
    assert.equal(decide('https://mail.example.com/inbox'), 'allowed');
    assert.equal(decide('https://en.wikipedia.org/wiki/URL'), 'allowed');
    assert.equal(decide('https://www.google.com/'), 'allowed');
    assert.equal(decide('https://www.example.com/'), 'blocked');
    assert.equal(decide('https://google.com.evil.test/'), 'blocked');
  });

  test('blocking a domain except its HTTPS mail server and main host', () => {
    const decide = chromePolicy({ block: ['example.com'], allow: ['https://mail.example.com', '.example.com', '.www.example.com'] });
    assert.equal(decide('https://mail.example.com/'), 'allowed');
    assert.equal(decide('http://mail.example.com/'), 'blocked');
    assert.equal(decide('https://example.com/'), 'allowed');
    assert.equal(decide('https://www.example.com/'), 'allowed');
    assert.equal(decide('https://docs.example.com/'), 'blocked');
    assert.equal(decide('https://other.test/'), 'allowed');
  });

  test('blocking youtube except selected videos', () => {
    const decide = chromePolicy({ block: ['youtube.com'], allow: ['youtube.com/watch?v=V1', 'youtube.com/watch?v=V2'] });
    assert.equal(decide('https://www.youtube.com/watch?v=V1'), 'allowed');
    assert.equal(decide('https://youtube.com/watch?list=x&v=V2'), 'allowed');
    assert.equal(decide('https://youtube.com/watch?v=V3'), 'blocked');
    assert.equal(decide('https://youtube.com/watch?v=V3&v=V1'), 'blocked', 'every v must be allowed');
    assert.equal(decide('https://youtube.com/'), 'blocked');
  });

  test('allow wins a tie with block (same path length and query tokens)', () => {
    const decide = chromePolicy({ block: ['example.com/a'], allow: ['example.com/a'] });
    assert.equal(decide('https://example.com/a'), 'allowed');
  });
});

test('lookups remembered per host follow filters added later, and hold for many hosts', () => {
  const index = indexOf(['example.com/a']);
  const probe = (text: string) => index.mostSpecific(url(text))?.values ?? null;
  assert.deepEqual(probe('https://x.y.example.com/a/1'), ['example.com/a']);
  assert.equal(probe('https://other.test/a'), null);
  index.add(filter('y.example.com/a'), 'y.example.com/a');
  index.add(filter('*/a/1'), '*/a/1');
  index.add(filter('other.test'), 'other.test');
  assert.deepEqual(probe('https://x.y.example.com/a/1'), ['y.example.com/a']);
  assert.deepEqual(probe('https://z.example.com/a/1'), ['example.com/a']);
  assert.deepEqual(probe('https://elsewhere.test/a/1'), ['*/a/1']);
  assert.deepEqual(probe('https://other.test/a'), ['other.test']);
  // Far more hosts than the index remembers: answers stay right when it forgets.
  for (let i = 0; i < 2_000; i++) {
    assert.deepEqual(probe(`https://h${i}.example.com/a`), ['example.com/a']);
    assert.equal(probe(`https://h${i}.test/b`), null);
  }
  assert.deepEqual(probe('https://x.y.example.com/a/1'), ['y.example.com/a']);
});
