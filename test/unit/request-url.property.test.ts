import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseCanonicalWebUrl, parseRequestUrl, parseWithUrlParser } from '../../shared/policy/request-url';

// The guard splits most URLs with a pattern instead of the WHATWG parser (request-url.ts). A
// URL the pattern takes must read exactly as the parser reads it — else a filter could be
// dodged by a spelling the pattern misreads. These URLs are built from the pieces where the
// two could differ: case, dots, escapes, credentials, ports, IP spellings, characters the
// parser escapes or drops.

const piece = (items: string[]) => fc.constantFrom(...items);
const joined = (items: string[], maxLength: number, minLength = 0) => fc.array(piece(items), { minLength, maxLength }).map((p) => p.join(''));

/** The parts of a URL, each in spellings the parser leaves as they are. */
const ordinary = [
  piece(['http', 'https', 'ws', 'wss']),
  piece(['://']),
  fc.array(piece(['sellercentral', 'amazon', 'com', 'co', 'jp', 'a', 'z9', 'x-y', 'b2b', 'taobao', '0', '127', '1x', 'a--b']), { minLength: 1, maxLength: 5 }).map((l) => l.join('.')),
  piece(['', '', ':8080', ':443', ':80', ':1']),
  joined(['/', '/', 'a', 'B', 'orders-v3', 'gp', 'homepage.html', '.html', '_', '~', '-', '!', '$', '&', "'", '(', ')', '*', '+', ',', ';', '=', ':', '@'], 8).map((path) => (path === '' ? '' : `/${path}`)),
  fc.option(joined(['a=1', 'asin=B0ABC', '&', '&', '=', '?', '/', '%', '%20', '%7e', '%zz', '+', '*', '@', ':', '~', '!', '(', ','], 6)).map((q) => (q === null ? '' : `?${q}`)),
  piece(['', '', '#', '#frag', '#?x=1', '#/path']),
] as const;

/** Spellings the parser rewrites, rejects or reads differently, for any part. */
const odd = piece([
  'HTTPS', 'Http', 'ftp', 'file', 'custom', ':/', ':', '\\\\', '///', 'user:pw@', '@', 'a.com@', ':80@',
  '.', '..', '/.', '/..', '/./', '/../', '.well-known', '%2e', '%2E', '%2e%2E', '%41', '%6D', '%7e', '%zz', '%',
  '1', '255', '256', '4294967295', '0x7f', '0X1', '09', '.1', '.0x7f', '.-a', 'a-.', '-', '--', 'xn--', 'xn--r8jz45g', 'XN--r8jz45g',
  'A', 'Z', '_', 'é', 'ß', '商', '中', '*', '[', ']', '[::1]', ':', ':0', ':65535', ':65536', ':00080', ':99999', ':1a', ': 80',
  ' ', '\t', '\n', '\r', '\u0000', '\u001f', '"', '<', '>', '`', '{', '}', '^', '|', "'", '\\', '?', '#', '&', '=',
  'a'.repeat(64), '.' + 'b'.repeat(70),
]);

/** An ordinary URL, and half the time one odd spelling slipped into one of its parts. */
const url = fc
  .tuple(fc.tuple(...ordinary), fc.option(fc.tuple(fc.nat(ordinary.length - 1), fc.nat(100), odd), { freq: 2 }), piece(['', '', '', '', '', '', '', ' ', '\t', '\u0000']))
  .map(([parts, oddity, trailing]) => {
    const spelled: string[] = [...parts];
    if (oddity) {
      const [part, at, text] = oddity;
      const original = spelled[part] as string;
      const offset = at % (original.length + 1);
      spelled[part] = original.slice(0, offset) + text + original.slice(offset);
    }
    return spelled.join('') + trailing;
  });

test('every URL the pattern splits reads exactly as the WHATWG parser reads it', () => {
  let taken = 0;
  let runs = 0;
  fc.assert(
    fc.property(url, (input) => {
      runs++;
      const fast = parseCanonicalWebUrl(input);
      if (fast === undefined) return;
      taken++;
      assert.deepEqual(fast, parseWithUrlParser(input), input);
    }),
    { numRuns: 20_000 },
  );
  // The comparison means nothing if the generator never reaches the pattern's side.
  assert.ok(taken > runs * 0.2, `the pattern took only ${taken} of ${runs} generated URLs`);
});

test('the URLs store pages send take the pattern, and read as the parser reads them', () => {
  for (const input of [
    'https://sellercentral.amazon.com/orders-v3/order/113-5566778-1234567?ref=xx_myo_dnav_xx',
    'https://sellercentral.amazon.co.jp/gp/homepage.html',
    'https://sellercentral-europe.amazon.com/business-reports/api?page=1&size=100',
    'https://sellercentral.amazon.com:443/payments/dashboard/index.html/',
    'https://m.media-amazon.com/images/I/41abc+def.js#x',
    'https://item.upload.taobao.com/sell/v2/publish.htm?itemId=612345678901&spm=a1z0d.%E4%B8%AD',
    'wss://sellercentral.amazon.com/ws/notifications?v=3',
    'http://seller.test:8080/api/orders?a=1&&b=2&a=3',
  ]) {
    const fast = parseCanonicalWebUrl(input);
    assert.ok(fast, `${input} should take the pattern`);
    assert.deepEqual(fast, parseWithUrlParser(input), input);
    assert.deepEqual(parseRequestUrl(input), fast);
  }
});

test('URLs the parser rewrites are left to the parser', () => {
  for (const input of [
    'HTTPS://sellercentral.amazon.com/',
    'https://SellerCentral.amazon.com/',
    'https://user@sellercentral.amazon.com/',
    'https://sellercentral.amazon.com/a/../payments',
    'https://sellercentral.amazon.com/%70ayments',
    'https://xn--r8jz45g.jp/',
    'https://127.0.0.1/',
    'https://0x7f.1/',
    'https://sellercentral.amazon.com/a b',
    'https://sellercentral.amazon.com/?q=it\'s',
    'https://sellercentral.amazon.com:99999/',
    'https://',
  ]) {
    assert.equal(parseCanonicalWebUrl(input), undefined, input);
  }
  assert.equal(parseRequestUrl('https://sellercentral.amazon.com/a/../payments')?.path, '/payments');
  assert.equal(parseRequestUrl('https://sellercentral.amazon.com:99999/'), null);
});
