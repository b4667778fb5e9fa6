// The pure parts of the store-session layer, without a browser: launch options per store and
// person, the blocked page, the fail-closed session guard, resource types, download names.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimFreePath, safeFileName } from '../../electron/browser-host/download-guard';
import { StoreSessionError } from '../../electron/browser-host/errors';
import { guardResourceType } from '../../electron/browser-host/resource-type';
import { FAIL_CLOSED, createSessionGuard, type StepUpNeeded } from '../../electron/browser-host/session-guard';
import { downloadsDir, languageFlags, languageTags, profileDir, proxyOption, storeLaunchOptions } from '../../electron/browser-host/store-launch';
import { hasDisplay } from '../../electron/browser-host/store-sessions';
import type { Decision } from '../../shared/model/decision';
import { makeStore } from './helpers/policy-world';

const decision = (over: Partial<Decision>): Decision => ({ allowed: false, reason: 'module-none', module: null, level: null, ruleId: null, filter: null, ...over });
const NO = { downloads: false, uploads: false, devtools: false, printing: false };
const browser = { executablePath: '/usr/bin/chromium', headless: true, appWindow: true, extraArgs: ['--extra'] };

describe('store launch options', () => {
  test('one profile folder per store, named like the Electron partition; ids that could escape are refused', () => {
    assert.equal(profileDir('/data', 'abc_1-2'), join('/data', 'partitions', 'store-abc_1-2'));
    assert.equal(downloadsDir('/data', 'abc'), join('/data', 'downloads', 'abc'));
    for (const bad of ['..', '../x', 'a/b', 'a:b', ''])
      assert.throws(() => profileDir('/data', bad), (e: unknown) => e instanceof StoreSessionError && e.code === 'invalid-store', bad);
  });

  test('staff: service workers blocked, downloads per switch; the owner: both allowed', () => {
    const store = makeStore('s1');
    const staff = storeLaunchOptions({ dataDir: '/d', store, siteLocale: 'en-US', owner: false, switches: NO, browser }).options;
    assert.deepEqual([staff.serviceWorkers, staff.acceptDownloads], ['block', false]);
    const staffOn = storeLaunchOptions({ dataDir: '/d', store, siteLocale: null, owner: false, switches: { ...NO, downloads: true }, browser }).options;
    assert.equal(staffOn.acceptDownloads, true);
    const owner = storeLaunchOptions({ dataDir: '/d', store, siteLocale: null, owner: true, switches: NO, browser }).options;
    assert.deepEqual([owner.serviceWorkers, owner.acceptDownloads], ['allow', true]);
    assert.equal(staff.downloadsPath, join('/d', 'downloads', 's1', '.incoming'));
    assert.deepEqual(staff.permissions, []);
  });

  test('the File System Access pickers are gone for staff without uploads or without downloads', () => {
    const store = makeStore('s1');
    const noPickers = '--disable-blink-features=FileSystemAccessLocal';
    const args = (owner: boolean, switches: typeof NO) => storeLaunchOptions({ dataDir: '/d', store, siteLocale: null, owner, switches, browser }).options.args!;
    assert.ok(args(false, NO).includes(noPickers));
    assert.ok(args(false, { ...NO, downloads: true }).includes(noPickers), 'uploads off');
    assert.ok(args(false, { ...NO, uploads: true }).includes(noPickers), 'downloads off');
    assert.ok(!args(false, { ...NO, uploads: true, downloads: true }).includes(noPickers), 'both on');
    assert.ok(!args(true, NO).includes(noPickers), 'the owner');
  });

  test('flags: the site locale as language, the store UA, no --app when headless; headed gets a blank --app window', () => {
    const store = makeStore('s1', { userAgent: 'UA/1' });
    const headless = storeLaunchOptions({ dataDir: '/d', store, siteLocale: 'en-US', owner: false, switches: NO, browser }).options;
    assert.ok(headless.args!.includes('--lang=en-US') && headless.args!.includes('--accept-lang=en-US'), 'site locale used');
    assert.ok(headless.args!.includes('--user-agent=UA/1'), 'user agent flag');
    assert.ok(!headless.args!.some((a) => a.startsWith('--app')), 'no app window headless');
    assert.equal(headless.args!.at(-1), '--extra');
    const headed = storeLaunchOptions({ dataDir: '/d', store, siteLocale: null, owner: false, switches: NO, browser: { ...browser, headless: false } }).options;
    assert.ok(headed.args!.includes('--app=about:blank'), 'app window starts blank, before the guard');
    assert.deepEqual([headed.viewport, headed.ignoreDefaultArgs], [null, ['--enable-automation']]);
    assert.throws(
      () => storeLaunchOptions({ dataDir: '/d', store: makeStore('s1', { userAgent: 'UA\r\nX-Evil: 1' }), siteLocale: null, owner: false, switches: NO, browser }),
      (e: unknown) => e instanceof StoreSessionError && e.code === 'invalid-store',
    );
  });

  test('Accept-Language values become tags for --accept-lang; junk is dropped; the store wins over the site', () => {
    assert.deepEqual(languageTags('de-DE,de;q=0.9, en;q=0.5,*;q=0.1,x y'), ['de-DE', 'de', 'en']);
    assert.deepEqual(languageFlags('zh-CN,zh;q=0.9', 'en-US'), ['--lang=zh-CN', '--accept-lang=zh-CN,zh']);
    assert.deepEqual(languageFlags('"; --evil', 'ja-JP'), ['--lang=ja-JP', '--accept-lang=ja-JP']);
    assert.deepEqual(languageFlags(null, null), []);
  });

  test('proxies: http(s)/socks5 servers, IPv6 bracketed, credentials passed; SOCKS5 with a password is refused', () => {
    assert.equal(proxyOption(null), undefined);
    assert.deepEqual(proxyOption({ scheme: 'http', host: 'proxy.example', port: 8080, username: 'u', password: 'p' }), {
      server: 'http://proxy.example:8080',
      username: 'u',
      password: 'p',
    });
    assert.deepEqual(proxyOption({ scheme: 'socks5', host: '::1', port: 1080 }), { server: 'socks5://[::1]:1080' });
    assert.throws(
      () => proxyOption({ scheme: 'socks5', host: 'p', port: 1080, username: 'u', password: 'p' }),
      (e: unknown) => e instanceof StoreSessionError && e.code === 'unsupported-proxy',
    );
  });

  test('a display is assumed off Linux and looked for on Linux', () => {
    assert.equal(hasDisplay({}, 'linux'), false);
    assert.equal(hasDisplay({ DISPLAY: ':99' }, 'linux'), true);
    assert.equal(hasDisplay({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux'), true);
    assert.equal(hasDisplay({}, 'win32'), true);
  });
});

describe('session guard', () => {
  const render = () => '<html></html>';
  const request = { url: 'https://sellercentral.amazon.com/orders-v3', method: 'GET', resourceType: 'mainFrame', isMainFrame: true } as const;

  test('binds store and user; a throwing or malformed guard blocks with "error"; revoked blocks without asking', () => {
    const seen: unknown[] = [];
    const errors: unknown[] = [];
    const allow = createSessionGuard({ storeId: 's', userId: 'u', render, guard: (r) => (seen.push(r), decision({ allowed: true, reason: 'module-view' })) });
    assert.equal(allow.check(request).allowed, true);
    assert.deepEqual(seen, [{ ...request, storeId: 's', userId: 'u' }]);
    allow.revoke();
    assert.deepEqual(allow.check(request), FAIL_CLOSED);
    assert.equal(seen.length, 1, 'a revoked session does not ask the guard');

    const throwing = createSessionGuard({ storeId: 's', userId: 'u', render, onError: (e) => errors.push(e), guard: () => { throw new Error('boom'); } });
    assert.deepEqual(throwing.check(request), FAIL_CLOSED);
    assert.equal(errors.length, 1);
    for (const bad of [null, undefined, {}, { allowed: 'yes', reason: 'owner' }, { allowed: 1, reason: 'owner' }]) {
      const g = createSessionGuard({ storeId: 's', userId: 'u', render, guard: () => bad as unknown as Decision });
      assert.equal(g.check(request).allowed, false, JSON.stringify(bad));
    }
  });

  test('step-up: the owner is asked for navigations and changes, not for background reads', () => {
    const asked: StepUpNeeded[] = [];
    const g = createSessionGuard({
      storeId: 's',
      userId: 'u',
      render,
      onStepUpNeeded: (r) => asked.push(r),
      guard: () => decision({ reason: 'step-up-required', filter: 'f' }),
    });
    g.check(request);
    g.check({ ...request, resourceType: 'subFrame', isMainFrame: false });
    g.check({ ...request, resourceType: 'xhr', isMainFrame: false, method: 'POST' });
    g.check({ ...request, resourceType: 'xhr', isMainFrame: false });
    g.check({ ...request, resourceType: 'image', isMainFrame: false });
    assert.deepEqual(asked.map((a) => a.filter), ['f', 'f', 'f']);
    assert.deepEqual(asked[0], { storeId: 's', userId: 'u', url: request.url, filter: 'f' });
  });
});

describe('resource types and download names', () => {
  test('CDP resource types map to the guard’s; documents by frame, worker scripts as worker', () => {
    assert.equal(guardResourceType('Document', 'top-frame'), 'mainFrame');
    assert.equal(guardResourceType('Document', 'sub-frame'), 'subFrame');
    assert.equal(guardResourceType('Other', 'worker'), 'worker');
    assert.equal(guardResourceType('Other', 'top-frame'), 'other');
    assert.equal(guardResourceType('XHR', 'sub-frame'), 'xhr');
    assert.equal(guardResourceType('Ping', 'sub-frame'), 'ping');
    assert.equal(guardResourceType('Prefetch', 'sub-frame'), 'other');
    assert.equal(guardResourceType('constructor', 'sub-frame'), 'other');
  });

  test('download names stay inside the folder and never overwrite', () => {
    assert.equal(safeFileName('../../etc/passwd'), 'passwd');
    assert.equal(safeFileName('C:\\Windows\\evil.exe'), 'evil.exe');
    assert.equal(safeFileName('a<b>:c?.csv'), 'a_b__c_.csv');
    assert.equal(safeFileName('...'), 'download');
    assert.equal(safeFileName('CON.txt'), 'download-CON.txt');
    assert.equal(safeFileName('report\u0000.csv'), 'report_.csv');
    const dir = mkdtempSync(join(tmpdir(), 'sw-free-path-'));
    try {
      mkdirSync(dir, { recursive: true });
      assert.equal(claimFreePath(dir, 'report.csv'), join(dir, 'report.csv'));
      writeFileSync(join(dir, 'report (2).csv'), 'kept');
      // Claimed names are taken at once, before anything is written into them.
      assert.equal(claimFreePath(dir, 'report.csv'), join(dir, 'report (3).csv'));
      assert.equal(claimFreePath(dir, 'report.csv'), join(dir, 'report (4).csv'));
      assert.equal(readFileSync(join(dir, 'report (2).csv'), 'utf8'), 'kept');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
