import { test } from 'node:test';
import assert from 'node:assert/strict';
import { guardLogEvent } from '../../electron/core/app/guard-log';
import { toQueuedEvent, toStoredRow } from '../../electron/core/audit/event-row';
import { redactDetail, redactUrl, REDACTED, STORED_URL_MAX, UNPARSABLE_URL_MAX } from '../../electron/core/audit/redact';
import { isSecretName } from '../../electron/core/audit/secret-names';
import type { AuditEventInput } from '../../shared/model/audit';

test('secret query parameters are redacted, everything else is kept byte for byte', () => {
  const url = 'https://sellercentral.amazon.com/orders-v3/fba/all?page=2&sort=order_date_desc&access_token=Atza%7CIwEBIA&ref_=xx_myo_dnav_home';
  assert.equal(redactUrl(url), 'https://sellercentral.amazon.com/orders-v3/fba/all?page=2&sort=order_date_desc&access_token=REDACTED&ref_=xx_myo_dnav_home');
  // Unusual but legal spellings survive untouched: no re-encoding, no normalisation.
  const odd = 'HTTPS://Example.COM:443/a/../b/%7e?q=a+b&empty=&flag&x=%zz#Top';
  assert.equal(redactUrl(odd), odd);
});

test('every listed secret name is redacted, case-insensitively', () => {
  const names = [
    'token', 'access_token', 'refresh_token', 'id_token', 'password', 'passwd', 'pwd', 'secret', 'client_secret', 'sig',
    'signature', 'session', 'sessionid', 'SESSIONID', 'sid', 'auth', 'authorization', 'code', 'key', 'apikey', 'api_key',
    'apiKey', 'otp', 'x-amz-security-token', 'X-Amz-Signature', 'X-Amz-Credential', 'csrf', '_csrf', 'csrf_token',
    'csrfmiddlewaretoken', 'authenticity_token', 'PHPSESSID', 'jsessionid', '_tb_token_', 'spapi_oauth_code', 'Password',
    'user[password]', 'access%5Ftoken', 'accessToken', 'accesstoken',
  ];
  for (const name of names) {
    assert.equal(isSecretName(name), true, name);
    assert.equal(redactUrl(`https://a.example/p?x=1&${name}=s3cr3t&y=2`), `https://a.example/p?x=1&${name}=${REDACTED}&y=2`, name);
  }
});

test('ordinary parameters that merely contain a secret-ish fragment are kept', () => {
  for (const name of ['keyword', 'keywords', 'postal_code', 'country_code', 'monkey', 'author', 'passenger', 'design', 'side', 'sort_order', 'page', 'q', 'ref_', 'templateKey', 'sessionTimeout']) {
    assert.equal(isSecretName(name), false, name);
  }
  const url = 'https://s.taobao.com/search?keyword=%E8%BF%9E%E8%A1%A3%E8%A3%99&postal_code=100000';
  assert.equal(redactUrl(url), url);
});

test('secrets in the fragment, in path parameters and in user:password@ are redacted', () => {
  assert.equal(
    redactUrl('https://app.example/callback#access_token=eyJhbGciOi&token_type=Bearer&state=xyz'),
    'https://app.example/callback#access_token=REDACTED&token_type=REDACTED&state=xyz',
  );
  assert.equal(redactUrl('https://app.example/#/orders?id=7&sid=abc'), 'https://app.example/#/orders?id=7&sid=REDACTED');
  assert.equal(redactUrl('https://shop.example/cart;jsessionid=1A2B3C?item=4'), 'https://shop.example/cart;jsessionid=REDACTED?item=4');
  assert.equal(redactUrl('https://alice:hunter2@proxy.example:8080/p?q=1'), 'https://alice:REDACTED@proxy.example:8080/p?q=1');
  assert.equal(redactUrl('ftp://bob:pw@files.example/x'), 'ftp://bob:REDACTED@files.example/x');
  // A username alone, or an "@" after the authority, is not a password.
  assert.equal(redactUrl('https://alice@proxy.example/p'), 'https://alice@proxy.example/p');
  assert.equal(redactUrl('https://proxy.example/u/alice@x.com:y'), 'https://proxy.example/u/alice@x.com:y');
  // Spellings the URL parser accepts but a naive matcher would miss.
  assert.doesNotMatch(redactUrl('https:alice:hunter2@proxy.example/'), /hunter2/);
  assert.doesNotMatch(redactUrl('  https://alice:hunter2@proxy.example/'), /hunter2/);
  assert.doesNotMatch(redactUrl('https:\\\\alice:hunter2@proxy.example/'), /hunter2/);
  assert.doesNotMatch(redactUrl('https://example.com/?to\tken=abc123'), /abc123/);
});

test('secrets inside a percent-encoded redirect URL are redacted, the redirect is kept', () => {
  const url = 'https://login.example/signin?return_to=https%3A%2F%2Fshop.example%2Fhome%3Ftab%3D1%26token%3Dabc123&lang=en';
  const redacted = redactUrl(url);
  assert.doesNotMatch(redacted, /abc123/);
  assert.match(redacted, /^https:\/\/login\.example\/signin\?return_to=/);
  assert.equal(decodeURIComponent(new URL(redacted).searchParams.get('return_to')!), 'https://shop.example/home?tab=1&token=REDACTED');
  assert.ok(redacted.endsWith('&lang=en'), redacted);
  // Half-encoded: "?" encoded, "=" not.
  assert.doesNotMatch(redactUrl('https://x.example/?next=/a%3Fpassword=pw1'), /pw1/);
});

test('a malformed escape in a nested redirect does not stop redaction inside it', () => {
  // A literal "100%" that the sender forgot to encode: decodeURIComponent gives up on the whole value.
  const stray = 'https://login.example/signin?return_to=https%3A%2F%2Fshop.example%2Fcb%3Fdiscount%3D100%%26access_token%3Dabc123&lang=en';
  assert.equal(redactUrl(stray), 'https://login.example/signin?return_to=https%3A%2F%2Fshop.example%2Fcb%3Fdiscount%3D100%25%26access_token%3DREDACTED&lang=en');
  assert.equal(redactUrl(redactUrl(stray)), redactUrl(stray), 'idempotent');
  // "%zz" kept, a byte that is not UTF-8 just before the "&" read as U+FFFD: the token still found.
  assert.equal(redactUrl('https://x.example/?next=%2Fcb%3Fq%3D%zz%26token%3Dabc123'), 'https://x.example/?next=%2Fcb%3Fq%3D%25zz%26token%3DREDACTED');
  assert.equal(redactUrl('https://x.example/?next=%2Fcb%3Fq%3D%C3%26token%3Dabc123'), 'https://x.example/?next=%2Fcb%3Fq%3D%EF%BF%BD%26token%3DREDACTED');
  // Valid UTF-8 around the bad escape is still decoded (and re-encoded the same way).
  assert.equal(redactUrl('https://x.example/?next=%2Fs%3Fk%3D%E8%BF%9E%%26sid%3Dabc123'), 'https://x.example/?next=%2Fs%3Fk%3D%E8%BF%9E%25%26sid%3DREDACTED');
});

/** A login URL with a nested, encoded redirect, padded so that cutting it to `kept` characters splits a "%2F". */
function redirectCutInsideEscape(kept: number): string {
  const head = 'https://login.example/signin?return_to=https%3A%2F%2Fshop.example%2Fcb%3Faccess_token%3Dabc123%26state%3D';
  const pad = 'x'.repeat((kept - head.length + 1) % 3);
  const url = `${head}${pad}${'%2F'.repeat(4000)}`;
  assert.match(url.slice(0, kept), /%2$/, 'the cut falls inside an escape');
  return url;
}

test('a URL cut inside an escape of its nested redirect is still redacted when stored', () => {
  // Cut by toQueuedEvent (over STORED_URL_MAX: kept minus one character, plus "…").
  const queued = toQueuedEvent({ ts: 1, kind: 'navigation', actorId: 'u1', storeId: 's1', url: redirectCutInsideEscape(STORED_URL_MAX - 1) });
  assert.equal(queued.url!.length, STORED_URL_MAX);
  const stored = toStoredRow(queued, 1, '0'.repeat(64)).url!;
  assert.doesNotMatch(stored, /abc123/);
  assert.match(stored, /^https:\/\/login\.example\/signin\?return_to=https%3A%2F%2Fshop\.example%2Fcb%3Faccess_token%3DREDACTED%26state%3D/);
  // Cut by the guard before the event is built (a plain slice to 8192, no mark).
  const request = { url: redirectCutInsideEscape(8192), method: 'GET', resourceType: 'mainFrame', userId: 'u1', storeId: 's1', isMainFrame: true } as const;
  const decision = { allowed: true, reason: 'module-view', module: 'orders', level: 'view', ruleId: null, filter: null } as const;
  const event: AuditEventInput = guardLogEvent(request, decision, 1)!;
  const guarded = toStoredRow(toQueuedEvent(event), 1, '0'.repeat(64)).url!;
  assert.doesNotMatch(guarded, /abc123/);
  assert.match(guarded, /access_token%3DREDACTED/);
});

test('the password of a URL nested in a parameter is redacted, encoded or not', () => {
  assert.equal(redactUrl('https://login.example/?next=https%3A%2F%2Falice%3Ahunter2%40proxy.example%2F&x=1'), 'https://login.example/?next=https%3A%2F%2Falice%3AREDACTED%40proxy.example%2F&x=1');
  assert.equal(redactUrl('https://login.example/?next=https://alice:hunter2@proxy.example/&x=1'), 'https://login.example/?next=https://alice:REDACTED@proxy.example/&x=1');
  // A "/" encoded in a plain nested password does not end its authority early.
  assert.doesNotMatch(redactUrl('https://login.example/?next=https://alice:hun%2Fter2@proxy.example/'), /hun|ter2/);
  // Together with a malformed escape, and next to a secret parameter.
  assert.equal(
    redactUrl('https://login.example/?next=https%3A%2F%2Falice%3Ahunter2%40proxy.example%2Fp%3Fq%3D5%%26token%3Dabc123'),
    'https://login.example/?next=https%3A%2F%2Falice%3AREDACTED%40proxy.example%2Fp%3Fq%3D5%25%26token%3DREDACTED',
  );
  // A user name alone, or an e-mail address, is not a password.
  for (const url of ['https://login.example/?next=https%3A%2F%2Falice%40proxy.example%2F', 'https://login.example/?email=alice%40example.com&next=https://alice@proxy.example/']) {
    assert.equal(redactUrl(url), url);
  }
});

test('a double-encoded redirect with a malformed escape inside is redacted at both levels', () => {
  // The inner redirect was encoded by hand and left a raw "%"; the outer one was then encoded properly.
  const inner = 'https%3A%2F%2Fpay.example%2Fdone%3Famount%3D100%%26client_secret%3Dabc123';
  const middle = `https://shop.example/cb?next=${inner}&sid=def456`;
  const url = `https://login.example/signin?return_to=${encodeURIComponent(middle)}`;
  const redacted = redactUrl(url);
  assert.doesNotMatch(redacted, /abc123|def456/);
  assert.equal(
    new URL(redacted).searchParams.get('return_to'),
    'https://shop.example/cb?next=https%3A%2F%2Fpay.example%2Fdone%3Famount%3D100%25%26client_secret%3DREDACTED&sid=REDACTED',
  );
  // The same with the outer level cut inside an escape as well.
  const cut = url.slice(0, url.indexOf('%2526client_secret') + 2);
  assert.doesNotMatch(redactUrl(`${cut}x&token=abc123`), /abc123/);
  assert.doesNotMatch(redactUrl(url.replace('%2526client', '%%2526client')), /abc123/);
});

test('a lone surrogate next to a nested secret is not a reason to throw', () => {
  assert.equal(redactUrl('https://x.example/?r=\uD800%26token%3Dabc123'), 'https://x.example/?r=%EF%BF%BD%26token%3DREDACTED');
  assert.deepEqual(redactDetail({ to: 'https://x.example/?r=\uDC00%26token%3Dabc123' }), { to: 'https://x.example/?r=%EF%BF%BD%26token%3DREDACTED' });
});

test('unparsable URLs are redacted by a conservative pattern and truncated', () => {
  assert.equal(redactUrl('not a url ?token=abc&x=1'), 'not a url ?token=REDACTED&x=1');
  assert.equal(redactUrl('//alice:pw@host/path password: hunter2'), '//alice:REDACTED@host/path password: REDACTED');
  assert.equal(redactUrl('garbage api_key%3Dabc'), 'garbage api_key%3DREDACTED');
  const long = `weird://?${'a'.repeat(5000)}&secret=zzz`;
  assert.equal(URL.canParse(' http://[::1'), false);
  const junk = `http://[::1/${'x'.repeat(3000)}?token=zzz`;
  const out = redactUrl(junk);
  assert.equal(out.length, UNPARSABLE_URL_MAX);
  assert.ok(out.endsWith('…'), 'marked as cut');
  assert.doesNotMatch(redactUrl(long), /zzz/);
});

test('empty values and bare flags are left alone; redaction is idempotent', () => {
  const url = 'https://x.example/?token=&password&code=abc';
  assert.equal(redactUrl(url), 'https://x.example/?token=&password&code=REDACTED');
  assert.equal(redactUrl(redactUrl(url)), redactUrl(url));
});

test('detail objects: secret-named fields at any depth and URLs inside are redacted', () => {
  const detail = {
    entity: 'store',
    before: { name: 'US', proxy: { host: 'p.example', port: 8080, username: 'u', password: 'old-pw' }, homeUrl: 'https://sc.example/home?session=abc' },
    after: { name: 'US main', proxy: { host: 'p.example', port: 8080, username: 'u', password: 'new-pw' } },
    changes: [{ field: 'apiKey', value: 'k' }, { apiKey: 'k2' }],
    current: null,
    templateKey: 'operator',
  };
  const redacted = redactDetail(detail);
  assert.deepEqual(redacted, {
    entity: 'store',
    before: { name: 'US', proxy: { host: 'p.example', port: 8080, username: 'u', password: REDACTED }, homeUrl: 'https://sc.example/home?session=REDACTED' },
    after: { name: 'US main', proxy: { host: 'p.example', port: 8080, username: 'u', password: REDACTED } },
    changes: [{ field: 'apiKey', value: 'k' }, { apiKey: REDACTED }],
    current: null,
    templateKey: 'operator',
  });
  assert.equal(detail.before.proxy.password, 'old-pw', 'the input is not modified');
});

test('past the nesting limit a value that still hides a secret is redacted whole (fails closed)', () => {
  const layer = (url: string, name: string, inner: string) => `${url}?${name}=${encodeURIComponent(inner)}`;
  const deep = layer('https://a.example/', 'go', layer('https://b.example/', 'r', layer('https://c.example/', 'next', 'https://d.example/cb?access_token=SECRET1')));
  const redacted = redactUrl(deep);
  assert.doesNotMatch(redacted, /SECRET1/);
  assert.match(redacted, /^https:\/\/a\.example\/\?go=https%3A%2F%2Fb\.example%2F/, 'the outer layers are kept');
  // Without a secret inside, the deep value is kept as it is.
  const harmless = layer('https://a.example/', 'go', layer('https://b.example/', 'r', layer('https://c.example/', 'next', 'https://d.example/cb?page=2')));
  assert.equal(redactUrl(harmless), harmless);
});
