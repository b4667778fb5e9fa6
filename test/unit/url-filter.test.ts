import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesFilter, parseUrlFilter, type ParseOptions } from '../../shared/policy/url-filter';
import { filter, rejected, url } from './policy-test-helpers';

function matches(filterText: string, urlText: string, options?: ParseOptions): boolean {
  return matchesFilter(filter(filterText, options), url(urlText));
}

function assertMatches(filterText: string, urls: string[], options?: ParseOptions): void {
  for (const u of urls) assert.equal(matches(filterText, u, options), true, `${filterText} should match ${u}`);
}

function assertMisses(filterText: string, urls: string[], options?: ParseOptions): void {
  for (const u of urls) assert.equal(matches(filterText, u, options), false, `${filterText} should not match ${u}`);
}

describe('parsing: [scheme://][.]host[:port][/path][?query]', () => {
  test('splits every part and canonicalises it', () => {
    const f = filter('HTTPS://User:Pw@.Mail.Example.COM.:8443/Inbox/%7euser?b=2&a=1*#top');
    assert.equal(f.scheme, 'https');
    assert.equal(f.host, 'mail.example.com');
    assert.equal(f.hostKind, 'name');
    assert.equal(f.matchSubdomains, false);
    assert.equal(f.port, 8443);
    assert.equal(f.path, '/Inbox/~user');
    assert.deepEqual(
      f.query.map((t) => [t.text, t.prefix]),
      [
        ['b=2', false],
        ['a=1', true],
      ],
    );
    assert.equal(f.canonical, 'https://.mail.example.com:8443/Inbox/~user?b=2&a=1*');
    assert.equal(f.text, 'HTTPS://User:Pw@.Mail.Example.COM.:8443/Inbox/%7euser?b=2&a=1*#top');
  });

  test('only the host is required; the rest means "any"', () => {
    const f = filter('example.com');
    assert.deepEqual([f.scheme, f.host, f.matchSubdomains, f.port, f.path, f.query.length], [null, 'example.com', true, null, '', 0]);
  });

  test("'@query' is read like '?query' after the path", () => {
    assert.deepEqual(filter('example.com/path@a=1&b').query.map((t) => t.text), ['a=1', 'b']);
    assert.equal(filter('example.com/path@a=1&b').path, '/path');
    assert.equal(filter('example.com/path@a=1').canonical, filter('example.com/path?a=1').canonical);
    // With a '?', an '@' in the path is literal (medium.com/@user?tab=1).
    assert.equal(filter('medium.com/@user?tab=1').path, '/@user');
    // %40 is a literal '@' either way, and matches the '@' the URL parser leaves in paths.
    assert.equal(filter('medium.com/%40user').path, '/@user');
    assert.equal(matches('medium.com/%40user', 'https://medium.com/@user/posts'), true);
  });

  test('a host followed by "/" or "." is the host alone; empty query is no query', () => {
    for (const text of ['example.com/', 'example.com.', 'example.com./', 'example.com?', 'example.com#x'])
      assert.equal(filter(text).canonical, 'example.com', text);
  });

  test('scheme-wide filters: scheme:* and scheme://*, for any scheme', () => {
    for (const text of ['https://*', 'https:*', 'HTTPS://*']) assert.equal(filter(text).canonical, 'https://*');
    assert.equal(filter('custom:*').scheme, 'custom');
    assert.equal(filter('custom://*').host, '*');
    assert.equal(filter('file://*').scheme, 'file');
  });

  test("the '*' host combines with scheme, port, path and query", () => {
    assert.equal(filter('*').host, '*');
    assert.equal(filter('*:8080').port, 8080);
    assert.equal(filter('https://*/login').path, '/login');
    assert.equal(filter('*?v*').query[0]?.prefix, true);
  });

  test('IP literals are hosts without subdomains; IPv6 needs brackets', () => {
    const v4 = filter('192.168.1.2');
    assert.deepEqual([v4.host, v4.hostKind, v4.matchSubdomains], ['192.168.1.2', 'ipv4', false]);
    const v6 = filter('http://[2001:DB8::1]:8080/x');
    assert.deepEqual([v6.host, v6.hostKind, v6.port, v6.path], ['[2001:db8::1]', 'ipv6', 8080, '/x']);
    assert.equal(filter('0xC0.168.1.2').host, '192.168.1.2', 'IPv4 spellings are normalised like URLs');
  });

  test('IDN hosts become punycode, like the URL parser does', () => {
    assert.equal(filter('例え.jp').host, 'xn--r8jz45g.jp');
    assert.equal(filter('Bücher.example').host, 'xn--bcher-kva.example');
    assert.equal(filter('ｅｘａｍｐｌｅ.com').host, 'example.com', 'full-width letters fold like in URLs');
  });

  test('non-ASCII paths and queries are escaped the way the browser sends them', () => {
    const f = filter('example.com/商品?q=中');
    assert.equal(f.path, '/%E5%95%86%E5%93%81');
    assert.equal(f.query[0]?.text, 'q=%E4%B8%AD');
    assert.equal(matches('example.com/商品?q=中', 'https://example.com/商品/1?q=中&page=2'), true);
  });

  test('repeated query tokens count once', () => {
    assert.equal(filter('example.com?a=1&a=1&&b').query.length, 2);
  });

  test('surrounding whitespace is trimmed', () => {
    assert.equal(filter('  example.com/a  ').canonical, 'example.com/a');
  });

  test('canonical text parses back to the same filter', () => {
    for (const text of [
      'HTTPS://.A.Example.com.:8443/x/%7e?k=v*&z',
      'medium.com/%40me/%2A?q=%2A&r*',
      '*?v*',
      'ws://[::1]/socket',
      '例え.jp/パス',
      'custom:*',
    ]) {
      const once = filter(text);
      const twice = filter(once.canonical);
      assert.deepEqual({ ...twice, text: '' }, { ...once, text: '' }, text);
    }
  });
});

describe('invalid filters are rejected with a reason', () => {
  const cases: Array<[string, RegExp]> = [
    ['', /empty/],
    ['   ', /empty/],
    ['#only-a-fragment', /empty before '#'/],
    ['example .com', /space .* position 8/],
    ['example.com/a\tb', /space or control character/],
    ['://example.com', /scheme before ':\/\/' is empty/],
    ['1http://example.com', /scheme '1http' is invalid/],
    ['h_p://example.com', /scheme 'h_p' is invalid/],
    ['chrome://settings', /'chrome' only supports 'chrome:\/\/\*'/],
    ['custom://app', /'custom' only supports/],
    ['mailto:someone', /port 'someone' is not a number .*'mailto:\*'/],
    [':8080', /host is missing/],
    ['https://', /host is missing/],
    ['user:pass@', /host after '@' is missing/],
    ['.', /host after the leading '.' is missing/],
    ['*.example.com', /'\*' is only allowed as the whole host/],
    ['www.*.example.com', /'\*' is only allowed as the whole host/],
    ['example.*', /'\*' is only allowed as the whole host/],
    ['%2A.example.com', /'\*' is only allowed as the whole host/],
    ['.*', /'\.\*' is not a host/],
    ['a..b.com', /empty label/],
    ['ex<ample.com', /not a valid host name/],
    ['example.com@a=1', /'a=1' is not a valid host name .*user info/],
    ['exa!mple.com', /not a valid host name/],
    ['example.123', /not a valid host name/],
    ['2001:db8::1', /IPv6 address must be written in brackets/],
    ['[2001:db8::1', /no closing '\]'/],
    ['[2001:db8::1]x', /unexpected 'x'/],
    ['[zz::1]', /not a valid host name or IP/],
    ['example.com:', /port after ':' is empty/],
    ['example.com:*', /port '\*' is not allowed/],
    ['*:*', /port '\*' is not allowed/],
    ['example.com:0', /port 0 is out of range/],
    ['example.com:65536', /port 65536 is out of range/],
    ['example.com:80a', /port '80a' is not a number/],
    ['example.com/*', /'\*' in a path is not a wildcard/],
    ['example.com/a*b', /'\*' in a path is not a wildcard/],
    ['example.com/a/../b', /'\.' or '\.\.' segment/],
    ['example.com/a/./b', /'\.' or '\.\.' segment/],
    ['example.com/a/%2E%2e/b', /'\.' or '\.\.' segment/],
    ['example.com?a*b', /only allowed at the end/],
    ['example.com?a=1&*', /nothing before the '\*'/],
    ['www.npmjs.com/package/@types/node', /'@' starts the query, but 'types\/node' looks like more path/],
  ];
  for (const [text, reason] of cases) {
    test(`${JSON.stringify(text)} → ${reason.source}`, () => {
      assert.match(rejected(text), reason);
    });
  }

  test('never throws, whatever the input', () => {
    for (const text of ['\u0000', '[', ']', '@', '?', '/', '\\\\', ':', '::', '%', '%zz', 'a@b@c', 'x'.repeat(5000), '[::1]:99999'])
      assert.doesNotThrow(() => parseUrlFilter(text));
    assert.equal(parseUrlFilter(undefined as unknown as string).ok, false);
  });
});

describe('matching: the documented examples', () => {
  test('"example.com" matches the domain and every subdomain, nothing else', () => {
    assertMatches('example.com', ['http://example.com', 'https://www.example.com/', 'ftp://sub.www.example.com/a', 'wss://example.com/ws']);
    assertMisses('example.com', ['http://notexample.com/', 'http://example.com.evil.test/', 'http://example.org/']);
  });

  test('".www.example.com" matches exactly that host', () => {
    assertMatches('.www.example.com', ['http://www.example.com/x']);
    assertMisses('.www.example.com', ['http://example.com/', 'http://a.www.example.com/']);
    assertMatches('.example.com', ['http://example.com/path']);
    assertMisses('.example.com', ['http://mail.example.com/path']);
  });

  test('"http://example.com" is HTTP only, domain and subdomains', () => {
    assertMatches('http://example.com', ['http://example.com/', 'http://www.example.com/']);
    assertMisses('http://example.com', ['https://example.com/', 'ftp://example.com/', 'https://www.example.com/']);
  });

  test('"https://*" is every HTTPS URL', () => {
    assertMatches('https://*', ['https://a.test/', 'https://127.0.0.1:8443/x', 'https://[::1]/']);
    assertMisses('https://*', ['http://a.test/', 'wss://a.test/']);
  });

  test('"mail.example.com" is not "www.example.com" nor "example.com"', () => {
    assertMatches('mail.example.com', ['http://mail.example.com/', 'http://x.mail.example.com/']);
    assertMisses('mail.example.com', ['http://www.example.com/', 'http://example.com/']);
  });

  test('"*" matches every URL, with or without a host', () => {
    assertMatches('*', ['http://anything/', 'ftp://anything/', 'custom://anything', 'data:text/plain,x', 'about:blank', 'file:///etc/passwd']);
  });

  test('"*:8080" is every request to port 8080', () => {
    assertMatches('*:8080', ['http://a.test:8080/', 'https://b.test:8080/x']);
    assertMisses('*:8080', ['http://a.test/', 'http://a.test:8081/']);
  });

  test('"example.com/stuff" is a path prefix on the domain and its subdomains', () => {
    assertMatches('example.com/stuff', ['http://example.com/stuff', 'http://a.example.com/stuff/x', 'http://example.com/stuffing']);
    assertMisses('example.com/stuff', ['http://example.com/', 'http://example.com/Stuff', 'http://example.com/other/stuff']);
  });

  test('"192.168.1.2" is that exact IP address', () => {
    assertMatches('192.168.1.2', ['http://192.168.1.2/', 'https://192.168.1.2:444/a']);
    assertMisses('192.168.1.2', ['http://192.168.1.20/', 'http://192.168.1.2.example/']);
  });

  test('"?video=100" is matched by *?v*, *?video*, *?video=*, *?video=100*', () => {
    for (const f of ['*?v*', '*?video*', '*?video=*', '*?video=100*', '*?video=100']) assertMatches(f, ['http://tube.test/watch?video=100']);
    assertMisses('*?video=1', ['http://tube.test/watch?video=100']);
    assertMisses('*?video', ['http://tube.test/watch?video=100']);
  });

  test('"*?a=1&b=2" needs both tokens, in any order', () => {
    assertMatches('*?a=1&b=2', ['http://x.test/?b=2&a=1', 'http://x.test/?a=1&b=2', 'http://x.test/?a=1&c=3&b=2']);
    assertMisses('*?a=1&b=2', ['http://x.test/?a=1', 'http://x.test/?a=2&b=1', 'http://x.test/?a=1&b=22']);
  });

  test('blocklist semantics: any occurrence of a key=value pair is enough', () => {
    assertMatches('youtube.com/watch?v=xyz', ['https://www.youtube.com/watch?v=123&v=xyz']);
  });

  test('allowlist semantics (queryMatch "all"): every occurrence of the key must match', () => {
    const all = { queryMatch: 'all' } as const;
    assertMisses('youtube.com/watch?v=V2', ['https://youtube.com/watch?v=V1&v=V2', 'https://youtube.com/watch?v&v=V2', 'https://youtube.com/watch'], all);
    assertMatches('youtube.com/watch?v=V2', ['https://youtube.com/watch?v=V2&v=V2', 'https://youtube.com/watch?t=9&v=V2'], all);
    assertMatches('youtube.com/watch?v=V*', ['https://youtube.com/watch?v=V1&v=V2'], all);
    assertMisses('youtube.com/watch?v=V*', ['https://youtube.com/watch?v=V1&v=X'], all);
    // A key-only prefix names no single key, so one occurrence is enough.
    assertMatches('youtube.com/watch?v*', ['https://youtube.com/watch?x=1&video=2'], all);
  });

  test('scheme and host are case-insensitive; path and query are not', () => {
    assertMatches('http://example.com', ['HTTP://Example.com', 'http://example.COM', 'http://example.com']);
    assertMatches('HTTP://EXAMPLE.COM', ['http://example.com/']);
    assertMisses('http://example.com/path?query=1', ['http://example.com/path?Query=1', 'http://example.com/Path?query=1']);
    assertMatches('http://example.com/path?query=1', ['http://Example.com/path?query=1']);
  });
});

describe('matching: each clause', () => {
  test('no scheme matches every scheme with a network host', () => {
    assertMatches('example.com', ['http://example.com', 'https://example.com', 'ws://example.com', 'wss://example.com', 'ftp://example.com']);
    // Opaque names of other schemes are not hosts (as in Chrome); only '*' filters reach them.
    assertMisses('example.com', ['custom://example.com', 'about:example.com', 'chrome://example.com']);
  });

  test('custom scheme filters match every URL of that scheme', () => {
    assertMatches('custom:*', ['custom:app', 'custom://example_app', 'CUSTOM:x']);
    assertMisses('custom://*', ['customs://example_apps', 'ecustom:example_app', 'http://custom/']);
    assertMatches('data:*', ['data:image/svg+xml,<svg/>']);
  });

  test('port: absent = any; otherwise the explicit or default port must equal it', () => {
    assertMatches('example.com', ['http://example.com:8080/', 'https://example.com:1/']);
    assertMatches('example.com:8080', ['http://example.com:8080/path']);
    assertMisses('example.com:8080', ['http://example.com/', 'http://example.com:8081/']);
    assertMatches('example.com:443', ['https://example.com/', 'wss://example.com/', 'http://example.com:443/']);
    assertMisses('example.com:443', ['http://example.com/']);
    assertMatches('https://example.com:443', ['https://example.com:443/']);
    assertMatches('example.com:80', ['http://example.com/', 'ws://example.com/']);
    assertMatches('ftp://example.com:21', ['ftp://example.com/']);
  });

  test('path: case-sensitive prefix of the parsed path', () => {
    assertMatches('example.com/a/b', ['http://example.com/a/b', 'http://example.com/a/b/', 'http://example.com/a/bc', 'http://example.com/a/b?x=1']);
    assertMisses('example.com/a/b', ['http://example.com/a', 'http://example.com/A/b', 'http://example.com/x/a/b']);
    assertMatches('example.com/a/', ['http://example.com/a/']);
    assertMisses('example.com/a/', ['http://example.com/a']);
  });

  test('path: ".." segments and equivalent escapes are resolved before matching', () => {
    assertMatches('example.com/admin', [
      'https://example.com/public/../admin',
      'https://example.com/public/%2e%2E/admin',
      'https://example.com/%61dmin',
      'https://example.com/%61%64%6D%69%6E/users',
      'https://example.com\\admin',
    ]);
    // Reserved characters stay escaped: %2F is not a '/'.
    assertMisses('example.com/admin/users', ['https://example.com/admin%2Fusers']);
    assertMatches('example.com/a%2fb', ['https://example.com/a%2Fb']);
  });

  test('query: key-only tokens are whole tokens unless they end in *', () => {
    assertMatches('x.test?debug', ['http://x.test/?debug', 'http://x.test/?a=1&debug']);
    assertMisses('x.test?debug', ['http://x.test/?debug=1', 'http://x.test/?debugger']);
    assertMatches('x.test?debug*', ['http://x.test/?debug=1', 'http://x.test/?debugger']);
    assertMatches('x.test?q=', ['http://x.test/?q=']);
    assertMisses('x.test?q=', ['http://x.test/?q=1']);
  });

  test('query: compared as escaped by the URL parser, with equivalent escapes folded', () => {
    assertMatches('x.test?name=a%20b', ['http://x.test/?name=a b', 'http://x.test/?name=a%20b']);
    assertMatches('x.test?k=~v', ['http://x.test/?k=%7Ev']);
    assertMatches('x.test?mail=a@b.test', ['http://x.test/?mail=a%40b.test']);
    assertMatches('x.test?star=%2A', ['http://x.test/?star=*']);
    assertMisses('x.test?a=1&b=2', ['http://x.test/?a=1%26b=2']);
    assertMisses('x.test?q=a+b', ['http://x.test/?q=a%20b']);
  });

  test('user:pass@ is ignored in filters and URLs; the host after @ is the host', () => {
    assertMatches('host.com/path', ['http://user:pass@host.com:8080/path']);
    assertMatches('ftp://user:pass@host.com/path', ['ftp://host.com/path']);
    assertMisses('sellercentral.amazon.com', ['https://sellercentral.amazon.com@evil.example/']);
    assertMatches('evil.example', ['https://sellercentral.amazon.com@evil.example/']);
  });

  test('#fragment is ignored in filters and URLs', () => {
    assertMatches('example.com/a#b', ['http://example.com/a']);
    assertMatches('example.com/a?x=1', ['http://example.com/a?x=1#frag?y=2']);
  });

  test('trailing-dot hosts equal their dotless form, in filters and URLs', () => {
    assertMatches('example.com', ['http://example.com./', 'http://www.example.com./']);
    assertMatches('example.com.', ['http://example.com/']);
    assertMatches('.example.com.', ['http://example.com./']);
  });

  test('upper-case and IDN hosts match their canonical forms', () => {
    assertMatches('例え.jp', ['https://例え.jp/', 'https://www.例え.jp/', 'https://XN--R8JZ45G.JP/']);
    assertMatches('xn--r8jz45g.jp', ['https://例え.jp/']);
    assertMatches('EXAMPLE.com', ['https://WWW.EXAMPLE.COM/']);
  });

  test('IP literals: exact only, in any spelling the URL parser accepts', () => {
    assertMatches('10.1.2.3', ['http://10.1.2.3:8080/path', 'http://0x0a.1.2.3/', 'http://167838211/']);
    assertMatches('[::1]', ['http://[::1]/', 'http://[0:0:0:0:0:0:0:1]:8080/']);
    assertMisses('[::1]', ['http://[::2]/']);
  });

  test('"*" with a path or query still checks them', () => {
    assertMatches('*/login', ['https://a.test/login', 'http://b.test/login/x']);
    assertMisses('*/login', ['https://a.test/', 'https://a.test/Login', 'https://a.test/x/login']);
  });

  test('the documented search example: http://mail.example.com/mail/inbox', () => {
    const u = 'http://mail.example.com/mail/inbox';
    assertMatches('mail.example.com', [u]);
    assertMatches('example.com/mail', [u]);
    assertMatches('com', [u]);
    assertMisses('https://mail.example.com', [u]);
    assertMisses('mail.example.com:8080', [u]);
    assertMisses('mail.example.com/mail/outbox', [u]);
  });
});
