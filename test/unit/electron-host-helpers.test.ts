// The Electron host's pure helpers (no 'electron' import anywhere in what is tested here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, sep } from 'node:path';
import { EVENT_CHANNEL as SHARED_EVENT_CHANNEL } from '../../shared/ipc/events';
import { ResourceType } from '../../shared/model/decision';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../../electron/preload/channels';
import { guardResourceType } from '../../electron/main/resource-type';
import { consoleUrl, isConsoleUrl, isTrustedConsoleSender } from '../../electron/main/console-origin';
import { CONSOLE_CSP, resolveConsoleFile } from '../../electron/main/console-files';
import { storeTabBounds, visibleSavedBounds, CONSOLE_STRIP_HEIGHT, MIN_WINDOW } from '../../electron/main/layout';
import { pickLanguage } from '../../electron/main/language';
import { plainChromeUserAgent, proxyCredentials, proxyWarning, sessionProxy, sessionUserAgent } from '../../electron/main/network-identity';
import { readTestMode } from '../../electron/main/test-mode';
import { NavigationPasses } from '../../electron/main/navigation-passes';

test('the preload channels: the event channel is the contract one, the invoke channel is distinct', () => {
  assert.equal(EVENT_CHANNEL, SHARED_EVENT_CHANNEL);
  assert.notEqual(INVOKE_CHANNEL, EVENT_CHANNEL);
});

test("resource types: every Electron type maps to a guard type; unknown ones are 'other', never a frame", () => {
  const electronTypes = ['mainFrame', 'subFrame', 'stylesheet', 'script', 'image', 'font', 'object', 'xhr', 'ping', 'cspReport', 'media', 'webSocket', 'other'];
  for (const t of electronTypes) assert.ok(ResourceType.options.includes(guardResourceType(t)), t);
  assert.equal(guardResourceType('mainFrame'), 'mainFrame');
  assert.equal(guardResourceType('subFrame'), 'subFrame');
  assert.equal(guardResourceType('webSocket'), 'websocket');
  assert.equal(guardResourceType('xhr'), 'xhr');
  assert.equal(guardResourceType('ping'), 'ping');
  assert.equal(guardResourceType('object'), 'other');
  for (const odd of ['', 'MAINFRAME', 'mainframe', 'toString', '__proto__', 'constructor', 'worker']) assert.equal(guardResourceType(odd), 'other', odd);
});

test('console origin: app://console only, compared by parsed scheme and host', () => {
  assert.equal(consoleUrl(), 'app://console/index.html');
  assert.equal(consoleUrl({ lang: 'zh', lastUser: 'a b&c' }), 'app://console/index.html?lang=zh&lastUser=a+b%26c');
  for (const ok of ['app://console/index.html', 'app://console/', 'app://console/x?y#z', 'app://console']) assert.ok(isConsoleUrl(ok), ok);
  // Chromium lower-cases the host of a standard scheme before we see it; anything else is refused.
  assert.ok(!isConsoleUrl('app://CONSOLE/'));
  for (const bad of [
    'app://console.evil.com/index.html',
    'app://evil/console',
    'https://console/index.html',
    'app://user@console/',
    'app://console:1234/',
    'file:///app/console/index.html',
    'http://sellercentral.amazon.com/app://console/',
    'app:console',
    'not a url',
    '',
  ])
    assert.ok(!isConsoleUrl(bad), bad);
});

test('IPC sender check: the console webContents, its top frame, on the console origin', () => {
  const good = { senderId: 3, consoleId: 3, frame: { url: 'app://console/index.html#/log', isTopFrame: true } };
  assert.ok(isTrustedConsoleSender(good));
  assert.ok(!isTrustedConsoleSender({ ...good, senderId: 7 }), 'another webContents (a store tab)');
  assert.ok(!isTrustedConsoleSender({ ...good, frame: null }), 'frame gone');
  assert.ok(!isTrustedConsoleSender({ ...good, frame: { url: 'app://console/index.html', isTopFrame: false } }), 'an iframe');
  assert.ok(!isTrustedConsoleSender({ ...good, frame: { url: 'https://evil.example/', isTopFrame: true } }), 'navigated away');
});

test('console files: paths stay inside the renderer folder; client routes fall back to index.html', () => {
  const root = join(sep, 'app', 'dist', 'renderer');
  const files = new Set([join(root, 'index.html'), join(root, 'assets', 'main.js')]);
  const exists = (p: string) => files.has(p);
  assert.deepEqual(resolveConsoleFile(root, 'app://console/', exists), { kind: 'file', path: join(root, 'index.html') });
  assert.deepEqual(resolveConsoleFile(root, 'app://console/assets/main.js?v=1', exists), { kind: 'file', path: join(root, 'assets', 'main.js') });
  assert.deepEqual(resolveConsoleFile(root, 'app://console/log/123', exists), { kind: 'spa-fallback', path: join(root, 'index.html') });
  assert.deepEqual(resolveConsoleFile(root, 'app://console/assets/missing.js', exists), { kind: 'refused' });
  // Dot segments are resolved by the URL parser first: they cannot climb above the origin's root.
  for (const dots of ['app://console/../../etc/passwd', 'app://console/%2e%2e/%2e%2e/etc/passwd'])
    assert.deepEqual(resolveConsoleFile(root, dots, () => true), { kind: 'file', path: join(root, 'etc', 'passwd') }, dots);
  for (const bad of [
    'app://console/..%2f..%2fetc%2fpasswd',
    'app://console/a/%2e%2e%2f%2e%2e%2f%2e%2e%2fx',
    'app://console/assets%5c..%5c..%5csecret',
    'app://console/%00index.html',
    'app://console/%E0%A4%A',
    'app://other/index.html',
    'https://console/index.html',
  ])
    assert.deepEqual(resolveConsoleFile(root, bad, () => true), { kind: 'refused' }, bad);
});

test('console CSP: no inline script, no eval, nothing from other origins, no framing', () => {
  const directives = new Map(CONSOLE_CSP.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
  assert.deepEqual(directives.get('script-src'), ["'self'"]);
  assert.deepEqual(directives.get('default-src'), ["'self'"]);
  assert.deepEqual(directives.get('object-src'), ["'none'"]);
  assert.deepEqual(directives.get('frame-ancestors'), ["'none'"]);
  assert.ok(!CONSOLE_CSP.includes('unsafe-'), CONSOLE_CSP);
  assert.ok(!/https?:|\*/.test(CONSOLE_CSP), CONSOLE_CSP);
});

test('layout: the store tab fills the window below the console strip, never negative', () => {
  assert.deepEqual(storeTabBounds(1280, 800), { x: 0, y: CONSOLE_STRIP_HEIGHT, width: 1280, height: 800 - CONSOLE_STRIP_HEIGHT });
  assert.deepEqual(storeTabBounds(1000.7, 50, 88), { x: 0, y: 50, width: 1000, height: 0 });
  assert.deepEqual(storeTabBounds(-5, -5), { x: 0, y: 0, width: 0, height: 0 });
});

test('saved window bounds are used only when they are on a display that exists now', () => {
  const screens = [{ x: 0, y: 0, width: 1920, height: 1040 }];
  assert.deepEqual(visibleSavedBounds({ x: 100, y: 80, width: 1200, height: 800 }, screens), { x: 100, y: 80, width: 1200, height: 800 });
  assert.equal(visibleSavedBounds({ x: 2500, y: 100, width: 1200, height: 800 }, screens), null, 'on an unplugged monitor');
  assert.equal(visibleSavedBounds({ x: 100, y: -2000, width: 1200, height: 800 }, screens), null);
  assert.equal(visibleSavedBounds(null, screens), null);
  assert.equal(visibleSavedBounds({ x: Number.NaN, y: 0, width: 1, height: 1 }, screens), null);
  assert.deepEqual(visibleSavedBounds({ x: 0, y: 0, width: 10, height: 10 }, screens), { x: 0, y: 0, ...MIN_WINDOW }, 'grown to the minimum size');
  const two = [...screens, { x: 1920, y: 0, width: 2560, height: 1400 }];
  assert.ok(visibleSavedBounds({ x: 2500, y: 100, width: 1200, height: 800 }, two));
});

test('language: saved choice, else the first system language we have, else English', () => {
  assert.equal(pickLanguage('zh', ['en-US']), 'zh');
  assert.equal(pickLanguage(null, ['zh-Hans-CN', 'en-US']), 'zh');
  assert.equal(pickLanguage(undefined, ['zh_TW']), 'zh');
  assert.equal(pickLanguage('fr', ['de-DE', 'en-GB', 'zh-CN']), 'en');
  assert.equal(pickLanguage(null, ['ja-JP']), 'en');
  assert.equal(pickLanguage(null, []), 'en');
});

test('proxy: rules per scheme, IPv6 bracketed, no DIRECT fallback; system settings without one', () => {
  assert.deepEqual(sessionProxy(null), { mode: 'system' });
  assert.deepEqual(sessionProxy({ scheme: 'http', host: 'proxy.example', port: 8080 }), { mode: 'fixed_servers', proxyRules: 'http://proxy.example:8080' });
  assert.deepEqual(sessionProxy({ scheme: 'socks5', host: '10.0.0.2', port: 1080 }), { mode: 'fixed_servers', proxyRules: 'socks5://10.0.0.2:1080' });
  assert.deepEqual(sessionProxy({ scheme: 'https', host: '2001:db8::1', port: 443 }), { mode: 'fixed_servers', proxyRules: 'https://[2001:db8::1]:443' });
  assert.ok(!sessionProxy({ scheme: 'http', host: 'p', port: 1 }).toString().includes('direct'));
  assert.match(proxyWarning({ scheme: 'socks5', host: 'p', port: 1, username: 'u', password: 'p' }) ?? '', /SOCKS5/);
  assert.equal(proxyWarning({ scheme: 'http', host: 'p', port: 1, username: 'u', password: 'p' }), null);
});

test("proxy credentials go only to the store's own proxy, never to a site's login prompt", () => {
  const proxy = { scheme: 'http' as const, host: 'Proxy.Example', port: 3128, username: 'u', password: 'secret' };
  assert.deepEqual(proxyCredentials(proxy, { isProxy: true, host: 'proxy.example', port: 3128 }), { username: 'u', password: 'secret' });
  assert.equal(proxyCredentials(proxy, { isProxy: false, host: 'proxy.example', port: 3128 }), null, 'a web site asking');
  assert.equal(proxyCredentials(proxy, { isProxy: true, host: 'other.example', port: 3128 }), null);
  assert.equal(proxyCredentials(proxy, { isProxy: true, host: 'proxy.example', port: 8080 }), null);
  assert.equal(proxyCredentials({ ...proxy, password: undefined }, { isProxy: true, host: 'proxy.example', port: 3128 }), null);
  assert.equal(proxyCredentials(null, { isProxy: true, host: 'proxy.example', port: 3128 }), null);
  const v6 = { scheme: 'https' as const, host: '2001:db8::1', port: 443, username: 'u', password: 'p' };
  assert.ok(proxyCredentials(v6, { isProxy: true, host: '[2001:db8::1]', port: 443 }));
});

test('user agent: Electron and app tokens removed; the store may set its own and Accept-Language', () => {
  const fallback = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) ShopWarden/0.1.0 Chrome/140.0.7339.41 Electron/45.4.1 Safari/537.36';
  const plain = plainChromeUserAgent(fallback, 'ShopWarden');
  assert.equal(plain, 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.7339.41 Safari/537.36');
  assert.equal(plainChromeUserAgent(fallback.replace('ShopWarden', 'shopwarden'), 'ShopWarden'), plain);
  assert.deepEqual(sessionUserAgent({ userAgent: null, acceptLanguage: null }, plain), { userAgent: plain, acceptLanguages: undefined });
  assert.deepEqual(sessionUserAgent({ userAgent: 'UA/1', acceptLanguage: 'de-DE,de' }, plain), { userAgent: 'UA/1', acceptLanguages: 'de-DE,de' });
});

test('test mode: only unpackaged with SHOPWARDEN_E2E=1; resolver rules may only point at loopback', () => {
  const env = { SHOPWARDEN_E2E: '1', SHOPWARDEN_E2E_USER_DATA: '/tmp/x', SHOPWARDEN_E2E_HOST_RULES: 'MAP sellercentral.amazon.com 127.0.0.1:4321,EXCLUDE localhost' };
  assert.equal(readTestMode(env, true), null, 'packaged builds ignore it');
  assert.equal(readTestMode({ ...env, SHOPWARDEN_E2E: 'true' }, false), null);
  assert.equal(readTestMode({}, false), null);
  assert.deepEqual(readTestMode(env, false), {
    userDataDir: '/tmp/x',
    switches: [['host-resolver-rules', 'MAP sellercentral.amazon.com 127.0.0.1:4321, EXCLUDE localhost']],
  });
  assert.deepEqual(readTestMode({ SHOPWARDEN_E2E: '1' }, false), { userDataDir: null, switches: [] });
  for (const rules of ['MAP * 10.0.0.1', 'MAP a.example 10.0.0.1', 'MAP a.example 127.0.0.1, MAP b.example evil.example', 'EXCLUDE *'])
    assert.throws(() => readTestMode({ SHOPWARDEN_E2E: '1', SHOPWARDEN_E2E_HOST_RULES: rules }, false), /SHOPWARDEN_E2E_HOST_RULES/, rules);
});

test('navigation passes: one use, GET only, same webContents and URL (fragment ignored), expire, forgotten with the tab', () => {
  let now = 1000;
  const passes = new NavigationPasses(() => now, 5000, 3);
  passes.grant(1, 'https://a.example/orders#top');
  assert.equal(passes.take(2, 'https://a.example/orders', 'GET'), false, 'another webContents');
  assert.equal(passes.take(1, 'https://a.example/orders', 'GET'), true);
  assert.equal(passes.take(1, 'https://a.example/orders', 'GET'), false, 'used up');
  passes.grant(1, 'https://a.example/form');
  assert.equal(passes.take(1, 'https://a.example/form', 'POST'), false, 'a POST is always decided');
  assert.equal(passes.take(1, 'https://a.example/form', 'GET'), false, 'and the pass is gone');
  passes.grant(1, 'https://a.example/slow');
  now += 5001;
  assert.equal(passes.take(1, 'https://a.example/slow', 'get'), false, 'expired');
  passes.grant(1, 'https://a.example/a');
  passes.grant(1, 'https://a.example/b');
  passes.grant(1, 'https://a.example/c');
  passes.grant(1, 'https://a.example/d');
  assert.equal(passes.take(1, 'https://a.example/a', 'GET'), false, 'evicted beyond the cap');
  assert.equal(passes.take(1, 'https://a.example/d', 'GET'), true);
  passes.grant(9, 'https://a.example/x');
  passes.forget(9);
  assert.equal(passes.take(9, 'https://a.example/x', 'GET'), false);
});
