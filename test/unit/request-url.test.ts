import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseRequestUrl } from '../../shared/policy/request-url';
import { url } from './policy-test-helpers';

test('splits a URL into scheme, host, effective port, path and query tokens', () => {
  assert.deepEqual(url('HTTPS://User:Pw@WWW.Example.COM.:8443/A/b/../C?x=1&&y&x=2#frag'), {
    scheme: 'https',
    host: 'www.example.com',
    hostKind: 'name',
    port: 8443,
    path: '/A/C',
    query: ['x=1', 'y', 'x=2'],
  });
});

test('the host is what the browser connects to, never the user info', () => {
  assert.equal(url('https://sellercentral.amazon.com@evil.example/').host, 'evil.example');
  assert.equal(url('https://sellercentral.amazon.com:443@evil.example/x').host, 'evil.example');
  assert.equal(url('https://a%40b@evil.example/').host, 'evil.example');
});

test('effective port: explicit, else the scheme default, else null', () => {
  assert.equal(url('http://a.test/').port, 80);
  assert.equal(url('https://a.test/').port, 443);
  assert.equal(url('https://a.test:443/').port, 443);
  assert.equal(url('ws://a.test/').port, 80);
  assert.equal(url('wss://a.test/').port, 443);
  assert.equal(url('ftp://a.test/').port, 21);
  assert.equal(url('http://a.test:8080/').port, 8080);
  assert.equal(url('custom://a.test/').port, null);
});

test('hosts: lower case, punycode, no trailing dots, canonical IP literals', () => {
  assert.equal(url('https://例え.jp/').host, 'xn--r8jz45g.jp');
  assert.equal(url('https://EXAMPLE.com../').host, 'example.com');
  assert.deepEqual([url('http://0x7f.1/').host, url('http://0x7f.1/').hostKind], ['127.0.0.1', 'ipv4']);
  assert.deepEqual([url('http://[0:0::1]:81/').host, url('http://[0:0::1]:81/').hostKind], ['[::1]', 'ipv6']);
  assert.equal(url('http://exa%6Dple.com/').host, 'example.com');
});

test('URLs without a network host have host "" and no host kind', () => {
  for (const u of ['data:text/plain,hi', 'about:blank', 'custom://Example/x', 'file:///etc/hosts', 'blob:https://a.test/123'])
    assert.deepEqual([url(u).host, url(u).hostKind], ['', null], u);
  assert.equal(url('custom://Example/x').scheme, 'custom');
});

test('paths: dot segments resolved, backslashes are slashes, equivalent escapes folded', () => {
  assert.equal(url('https://a.test/x/./y/../z').path, '/x/z');
  assert.equal(url('https://a.test/x/%2e%2E/z').path, '/z');
  assert.equal(url('https://a.test/a//b').path, '/a//b', 'empty segments are kept, as the server sees them');
  assert.equal(url('https://a.test\\x\\y').path, '/x/y');
  assert.equal(url('https://a.test/%7e%61%2f%2a%40').path, '/~a%2F*@');
  assert.equal(url('https://a.test/商 品').path, '/%E5%95%86%20%E5%93%81');
  assert.equal(url('https://a.test').path, '/');
});

test('query: tokens in URL order, escaped like the browser, empty ones dropped', () => {
  assert.deepEqual(url('https://a.test/?').query, []);
  assert.deepEqual(url('https://a.test/?a=1&&b=%7e&c=中&d').query, ['a=1', 'b=~', 'c=%E4%B8%AD', 'd']);
  assert.deepEqual(url("https://a.test/?q=it's").query, ['q=it%27s']);
});

test('unparsable input gives null', () => {
  for (const bad of ['', 'nope', '/relative/path', 'http://', 'http://exa mple.com/', 'http://[::1/', 'http://a.test:99999/', 'https://example.123/'])
    assert.equal(parseRequestUrl(bad), null, bad);
  assert.equal(parseRequestUrl(42 as unknown as string), null);
});

test('never throws, for any string', () => {
  const weird = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.string({ unit: 'binary' }).map((s) => `https://${s}`),
    fc.string({ unit: fc.constantFrom('%', '.', '/', '\\', '@', ':', '[', ']', '?', '#', 'a', '1', 'é', ' ') }).map((s) => `http://${s}`),
  );
  fc.assert(
    fc.property(weird, (input) => {
      const parsed = parseRequestUrl(input);
      if (parsed) {
        assert.equal(parsed.host, parsed.host.toLowerCase());
        assert.equal(parsed.host.endsWith('.'), false);
      }
    }),
    { numRuns: 2000 },
  );
});
