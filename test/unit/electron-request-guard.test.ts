// The Electron host's request-guard adapter against a fake core: who is asked, what is refused,
// and that every path fails closed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Decision, GuardRequest } from '../../shared/model/decision';
import { NavigationPasses } from '../../electron/main/navigation-passes';
import { RequestGuard, hasFileUpload, type HostBlock, type TabInfo } from '../../electron/main/request-guard';
import { unguardedWorkerScript } from '../../electron/main/worker-scripts';

const STORE = 'store-1';
const ALLOWED: Decision = { allowed: true, reason: 'module-view', module: 'orders', level: 'view', ruleId: 'module:orders', filter: 'sellercentral.amazon.com/orders-v3' };
const BLOCKED: Decision = { allowed: false, reason: 'module-none', module: 'payments', level: 'none', ruleId: 'module:payments', filter: 'sellercentral.amazon.com/payments' };
const STEP_UP: Decision = { allowed: false, reason: 'step-up-required', module: 'account', level: 'edit', ruleId: 'r1', filter: 'sellercentral.amazon.com/sw/AccountInfo' };

type Switches = { downloads: boolean; uploads: boolean; devtools: boolean; printing: boolean };
const NONE: Switches = { downloads: false, uploads: false, devtools: false, printing: false };
const ALL: Switches = { downloads: true, uploads: true, devtools: true, printing: true };

function harness(options: { decide?: (r: GuardRequest) => Decision; switches?: (userId: string) => Switches; tabs?: TabInfo[] } = {}) {
  const asked: GuardRequest[] = [];
  const peeked: GuardRequest[] = [];
  const stepUps: { storeId: string; userId: string; url: string; filter: string }[] = [];
  const blockedPages: { tab: number; url: string; reason: string }[] = [];
  const hostBlocks: HostBlock[] = [];
  const tabs = options.tabs ?? [{ id: 10, storeId: STORE, userId: 'staff-1', userKind: 'staff' }];
  const passes = new NavigationPasses();
  const guard = new RequestGuard({
    core: {
      guard: (r) => {
        asked.push(r);
        return (options.decide ?? (() => ALLOWED))(r);
      },
      peek: (r) => {
        peeked.push(r);
        return (options.decide ?? (() => ALLOWED))(r);
      },
      reportStepUp: (r) => {
        stepUps.push(r);
        return { ...r, id: 'req-1', at: 0 };
      },
      switchesFor: (_storeId, userId) => (options.switches ?? (() => NONE))(userId),
    },
    passes,
    tabs: {
      tab: (id) => tabs.find((t) => t.id === id) ?? null,
      usersIn: (storeId) => [...new Map(tabs.filter((t) => t.storeId === storeId).map((t) => [t.userId, { userId: t.userId, userKind: t.userKind }])).values()],
    },
    showBlockedPage: (tab, { url }, decision) => blockedPages.push({ tab: tab.id, url, reason: decision.reason }),
    reportHostBlock: (block) => hostBlocks.push(block),
  });
  return { guard, asked, peeked, stepUps, blockedPages, hostBlocks, passes, tab: tabs[0]! };
}

const orders = 'https://sellercentral.amazon.com/orders-v3';
const payments = 'https://sellercentral.amazon.com/payments/dashboard';

test("a tab's request is decided for the tab's user with the mapped resource type", () => {
  const h = harness();
  assert.deepEqual(h.guard.request(STORE, { webContentsId: 10, url: orders, method: 'GET', resourceType: 'xhr' }), { cancel: false });
  assert.deepEqual(h.asked, [{ storeId: STORE, userId: 'staff-1', url: orders, method: 'GET', resourceType: 'xhr', isMainFrame: false }]);
  h.guard.request(STORE, { webContentsId: 10, url: 'wss://sellercentral.amazon.com/ws', method: 'GET', resourceType: 'webSocket' });
  assert.equal(h.asked[1]?.resourceType, 'websocket');
  h.guard.request(STORE, { webContentsId: 10, url: orders, method: 'GET', resourceType: 'mainFrame' });
  assert.deepEqual([h.asked[2]?.resourceType, h.asked[2]?.isMainFrame], ['mainFrame', true]);
});

test('a blocked main frame is cancelled and replaced by the blocked page; a blocked sub-request is only cancelled', () => {
  const h = harness({ decide: (r) => (r.url === payments ? BLOCKED : ALLOWED) });
  assert.deepEqual(h.guard.request(STORE, { webContentsId: 10, url: payments, method: 'GET', resourceType: 'mainFrame' }), { cancel: true });
  assert.deepEqual(h.blockedPages, [{ tab: 10, url: payments, reason: 'module-none' }]);
  assert.deepEqual(h.guard.request(STORE, { webContentsId: 10, url: payments, method: 'GET', resourceType: 'xhr' }), { cancel: true });
  assert.deepEqual(h.guard.request(STORE, { webContentsId: 10, url: payments, method: 'GET', resourceType: 'subFrame' }), { cancel: true });
  assert.equal(h.blockedPages.length, 1, 'iframes and XHR get no blocked page');
});

test('requests no tab sent (service workers) must be allowed for every user who has the store open; nobody open → refused', () => {
  const tabs: TabInfo[] = [
    { id: 10, storeId: STORE, userId: 'owner', userKind: 'owner' },
    { id: 11, storeId: STORE, userId: 'staff-1', userKind: 'staff' },
    { id: 12, storeId: 'other', userId: 'staff-2', userKind: 'staff' },
  ];
  const h = harness({ tabs, decide: (r) => (r.userId === 'staff-1' ? BLOCKED : ALLOWED) });
  assert.deepEqual(h.guard.request(STORE, { url: payments, method: 'GET', resourceType: 'xhr' }), { cancel: true });
  assert.deepEqual(h.asked.map((r) => r.userId).sort(), ['owner', 'staff-1']);
  assert.equal(h.blockedPages.length, 0);

  const empty = harness({ tabs: [] });
  assert.deepEqual(empty.guard.request(STORE, { url: orders, method: 'GET', resourceType: 'other' }), { cancel: true });
  assert.equal(empty.asked.length, 0);
  assert.equal(empty.hostBlocks[0]?.what, 'no-subject');
  // A webContents of another store's tab counts as unknown here.
  const cross = harness({ tabs: [{ id: 12, storeId: 'other', userId: 'staff-2', userKind: 'staff' }] });
  assert.deepEqual(cross.guard.request(STORE, { webContentsId: 12, url: orders, method: 'GET', resourceType: 'xhr' }), { cancel: true });
});

test('an exception anywhere blocks (fail closed) and is reported', () => {
  const h = harness({
    decide: () => {
      throw new Error('boom');
    },
  });
  assert.deepEqual(h.guard.request(STORE, { webContentsId: 10, url: orders, method: 'GET', resourceType: 'mainFrame' }), { cancel: true });
  assert.equal(h.guard.navigation(h.tab, orders, true), false);
  assert.equal(h.guard.popup(h.tab, orders, 'GET'), false);
  assert.equal(h.guard.download(STORE, 10, orders), false);
  assert.deepEqual(
    h.hostBlocks.map((b) => b.what),
    ['error', 'error', 'error', 'error'],
  );
});

test('a navigation decided in will-frame-navigate is not decided (and logged) again by the request hook — GET only', () => {
  const h = harness();
  assert.equal(h.guard.navigation(h.tab, `${orders}#top`, true), true);
  assert.equal(h.asked.length, 1);
  assert.deepEqual(h.guard.request(STORE, { webContentsId: 10, url: orders, method: 'GET', resourceType: 'mainFrame' }), { cancel: false });
  assert.equal(h.asked.length, 1, 'the pass was used');
  h.guard.request(STORE, { webContentsId: 10, url: orders, method: 'GET', resourceType: 'mainFrame' });
  assert.equal(h.asked.length, 2, 'a reload is decided again');
  h.guard.navigation(h.tab, orders, true);
  h.guard.request(STORE, { webContentsId: 10, url: orders, method: 'POST', resourceType: 'mainFrame' });
  assert.deepEqual(h.asked.at(-1)?.method, 'POST', 'a form POST is decided with its method');
  // In-page (pushState) navigations are decided but leave no pass.
  h.guard.navigation(h.tab, `${orders}/spa`, true, { inPage: true });
  const before = h.asked.length;
  h.guard.request(STORE, { webContentsId: 10, url: `${orders}/spa`, method: 'GET', resourceType: 'mainFrame' });
  assert.equal(h.asked.length, before + 1);
});

test('blocked navigations: main frame shows the blocked page, sub frame does not; step-up pages are reported to the owner', () => {
  const h = harness({ decide: (r) => (r.url.includes('AccountInfo') ? STEP_UP : BLOCKED) });
  assert.equal(h.guard.navigation(h.tab, payments, false), false);
  assert.equal(h.blockedPages.length, 0);
  const account = 'https://sellercentral.amazon.com/sw/AccountInfo/Home';
  assert.equal(h.guard.navigation(h.tab, account, true), false);
  assert.deepEqual(h.blockedPages, [{ tab: 10, url: account, reason: 'step-up-required' }]);
  assert.deepEqual(h.stepUps, [{ storeId: STORE, userId: 'staff-1', url: account, filter: STEP_UP.filter }]);
  assert.equal(h.guard.popup(h.tab, account, 'GET'), false);
  assert.equal(h.stepUps.length, 2);
  h.guard.request(STORE, { webContentsId: 10, url: account, method: 'GET', resourceType: 'xhr' });
  assert.equal(h.stepUps.length, 2, 'sub-resources do not ask the owner');
});

test('pop-ups are decided as main-frame navigations with the method their form uses', () => {
  const h = harness({ decide: (r) => (r.method === 'POST' ? BLOCKED : ALLOWED) });
  assert.equal(h.guard.popup(h.tab, orders, 'GET'), true);
  assert.equal(h.guard.popup(h.tab, orders, 'POST'), false);
  assert.deepEqual(h.asked.map((r) => [r.method, r.resourceType, r.isMainFrame]), [
    ['GET', 'mainFrame', true],
    ['POST', 'mainFrame', true],
  ]);
});

test('downloads need the guard and the role switch, for every possible user', () => {
  const switchedOff = harness({ switches: () => NONE });
  assert.equal(switchedOff.guard.download(STORE, 10, 'blob:https://sellercentral.amazon.com/123'), false, 'blob: downloads pass the guard as page-internal, the switch still applies');
  assert.equal(switchedOff.asked[0]?.resourceType, 'download', 'the guard is still asked, so the attempt is logged');
  assert.equal(switchedOff.hostBlocks[0]?.what, 'download-switch');
  const on = harness({ switches: () => ALL });
  assert.equal(on.guard.download(STORE, 10, 'https://sellercentral.amazon.com/reports/download/report.csv'), true);
  const refusedByGuard = harness({ switches: () => ALL, decide: () => ({ ...BLOCKED, reason: 'download-disabled' }) });
  assert.equal(refusedByGuard.guard.download(STORE, 10, 'https://sellercentral.amazon.com/r.csv'), false);
  const noTab = harness({ switches: () => ALL, tabs: [] });
  assert.equal(noTab.guard.download(STORE, undefined, 'https://sellercentral.amazon.com/r.csv'), false);
});

test('file uploads are refused when any possible user has uploads switched off', () => {
  const upload = { webContentsId: 10, url: 'https://sellercentral.amazon.com/listing/upload', method: 'POST', resourceType: 'xhr', uploadData: [{ bytes: 'x' }, { file: '/home/u/a.csv' }] };
  const off = harness({ switches: () => NONE });
  assert.deepEqual(off.guard.request(STORE, upload), { cancel: true });
  assert.equal(off.asked.length, 0);
  assert.equal(off.hostBlocks[0]?.what, 'upload');
  const on = harness({ switches: () => ALL });
  assert.deepEqual(on.guard.request(STORE, upload), { cancel: false });
  assert.equal(on.asked.length, 1);
  assert.equal(hasFileUpload(undefined), false);
  assert.equal(hasFileUpload([{}]), false);
  assert.equal(hasFileUpload([{ blobUUID: 'abc' }]), true);
});

test('service worker and shared worker scripts: only while nobody but the owner has the store open', () => {
  const owner: TabInfo = { id: 1, storeId: STORE, userId: 'o', userKind: 'owner' };
  const staff: TabInfo = { id: 2, storeId: STORE, userId: 's', userKind: 'staff' };
  for (const kind of ['service-worker', 'shared-worker'] as const) {
    assert.equal(harness({ tabs: [owner] }).guard.workerScript(kind, STORE, undefined, 'https://a.example/w.js'), true, kind);
    assert.equal(harness({ tabs: [owner] }).guard.workerScript(kind, STORE, 1, 'https://a.example/w.js'), true, kind);
    const mixed = harness({ tabs: [owner, staff] });
    assert.equal(mixed.guard.workerScript(kind, STORE, undefined, 'https://a.example/w.js'), false, kind);
    assert.deepEqual([mixed.hostBlocks[0]?.what, mixed.hostBlocks[0]?.userId, mixed.hostBlocks[0]?.url], [kind, 's', 'https://a.example/w.js']);
    assert.equal(harness({ tabs: [owner, staff] }).guard.workerScript(kind, STORE, 1, 'https://a.example/w.js'), false, `${kind}: even from the owner's tab, the worker would serve the staff tab too`);
    assert.equal(harness({ tabs: [] }).guard.workerScript(kind, STORE, undefined, 'https://a.example/w.js'), false, kind);
  }
});

test('worker scripts whose traffic escapes the request hooks are told by their request headers', () => {
  assert.equal(unguardedWorkerScript({ 'Service-Worker': 'script' }), 'service-worker');
  assert.equal(unguardedWorkerScript({ 'service-worker': 'script', 'Sec-Fetch-Dest': 'serviceworker' }), 'service-worker');
  assert.equal(unguardedWorkerScript({ 'Sec-Fetch-Dest': 'sharedworker', 'Sec-Fetch-Mode': 'same-origin' }), 'shared-worker');
  assert.equal(unguardedWorkerScript({ 'sec-fetch-dest': 'SharedWorker' }), 'shared-worker');
  // A dedicated worker's WebSockets have the page's frame and reach webRequest: not refused.
  const ordinaries: Record<string, string>[] = [{ 'Sec-Fetch-Dest': 'worker' }, { 'Sec-Fetch-Dest': 'script' }, { 'Sec-Fetch-Dest': 'document' }, {}, { 'Service-Worker': 'other' }];
  for (const ordinary of ordinaries)
    assert.equal(unguardedWorkerScript(ordinary), null, JSON.stringify(ordinary));
});

test('a blocked step-up POST from script asks the owner once; a GET from script does not (the rule the browser host uses)', () => {
  const h = harness({ decide: () => STEP_UP });
  const save = 'https://sellercentral.amazon.com/sw/AccountInfo/save';
  assert.deepEqual(h.guard.request(STORE, { webContentsId: 10, url: save, method: 'POST', resourceType: 'xhr' }), { cancel: true });
  assert.deepEqual(h.stepUps, [{ storeId: STORE, userId: 'staff-1', url: save, filter: STEP_UP.filter }]);
  assert.deepEqual(h.guard.request(STORE, { webContentsId: 10, url: save, method: 'GET', resourceType: 'xhr' }), { cancel: true });
  assert.equal(h.stepUps.length, 1, 'a background read is only blocked');
  h.guard.request(STORE, { webContentsId: 10, url: save, method: 'delete', resourceType: 'xhr' });
  assert.equal(h.stepUps.length, 2, 'any unsafe method, whatever its case');
  assert.equal(h.blockedPages.length, 0, 'script requests get no blocked page');
  // Nobody's tab (a worker of the store): no user to ask for.
  h.guard.request(STORE, { url: save, method: 'POST', resourceType: 'xhr' });
  assert.equal(h.stepUps.length, 2);
});

test('DevTools opened against the role switch: decided (and so logged) by the guard as a devtools: navigation, like the browser host', () => {
  const h = harness({ decide: () => ({ ...BLOCKED, reason: 'scheme-blocked', module: null, level: null, ruleId: null, filter: null }) });
  h.guard.devToolsOpened(h.tab, 'devtools://devtools/bundled/devtools_app.html');
  assert.deepEqual(h.asked, [{ storeId: STORE, userId: 'staff-1', url: 'devtools://devtools/bundled/devtools_app.html', method: 'GET', resourceType: 'mainFrame', isMainFrame: true }]);
  assert.deepEqual([h.blockedPages, h.stepUps, h.hostBlocks], [[], [], []], 'the tab keeps its page');
  const failing = harness({
    decide: () => {
      throw new Error('boom');
    },
  });
  failing.guard.devToolsOpened(failing.tab, 'devtools://devtools/');
  assert.deepEqual(failing.hostBlocks.map((b) => [b.what, b.url]), [['error', 'devtools://devtools/']]);
});

test('after a policy change, tabs whose page or allowed WebSocket is now blocked are the ones to reload', () => {
  const tabs: TabInfo[] = [
    { id: 10, storeId: STORE, userId: 'staff-1', userKind: 'staff' },
    { id: 11, storeId: STORE, userId: 'staff-1', userKind: 'staff' },
    { id: 12, storeId: STORE, userId: 'staff-1', userKind: 'staff' },
  ];
  let blocked = new Set<string>();
  const h = harness({ tabs, decide: (r) => (blocked.has(r.url) ? BLOCKED : ALLOWED) });
  const chat = 'wss://sellercentral.amazon.com/messaging/ws';
  const live = 'wss://sellercentral.amazon.com/orders-v3/ws';
  h.guard.request(STORE, { webContentsId: 10, url: chat, method: 'GET', resourceType: 'webSocket' });
  h.guard.request(STORE, { webContentsId: 11, url: live, method: 'GET', resourceType: 'webSocket' });
  const open = [
    { tab: tabs[0]!, url: orders },
    { tab: tabs[1]!, url: orders },
    { tab: tabs[2]!, url: 'https://sellercentral.amazon.com/messaging/inbox' },
  ];
  assert.deepEqual(h.guard.tabsToReload(open), [], 'nothing changed, nothing reloads');
  h.asked.length = 0;
  h.peeked.length = 0;

  blocked = new Set([chat, 'https://sellercentral.amazon.com/messaging/inbox']);
  assert.deepEqual(h.guard.tabsToReload(open).map((t) => t.id), [10, 12]);
  // Pages are peeked (their reload is what gets logged); a socket now blocked goes through the logging guard.
  assert.deepEqual(h.peeked.map((r) => [r.url, r.resourceType]), [[orders, 'mainFrame'], [orders, 'mainFrame'], ['https://sellercentral.amazon.com/messaging/inbox', 'mainFrame']]);
  assert.deepEqual(h.asked.map((r) => [r.url, r.resourceType, r.userId]), [[chat, 'websocket', 'staff-1'], [live, 'websocket', 'staff-1']]);

  // A new document in a tab ends its sockets; a closed tab is forgotten; the blocked page and blank tabs are not web pages.
  h.guard.request(STORE, { webContentsId: 11, url: orders, method: 'GET', resourceType: 'mainFrame' });
  h.guard.documentChanged(10);
  const others = [{ tab: tabs[0]!, url: orders }, { tab: tabs[1]!, url: 'data:text/html,blocked' }, { tab: tabs[2]!, url: 'about:blank' }];
  assert.deepEqual(h.guard.tabsToReload(others), [], 'tab 10 has no socket left; 11 keeps its allowed one (a main-frame request that may not replace the page, a download say, ends none)');
  blocked = new Set([live]);
  assert.deepEqual(h.guard.tabsToReload([{ tab: tabs[1]!, url: orders }]).map((t) => t.id), [11]);
  h.guard.tabsToReload([]);
  h.asked.length = 0;
  assert.deepEqual(h.guard.tabsToReload([{ tab: tabs[1]!, url: orders }]), [], 'its sockets went when it was not open');
  assert.equal(h.asked.length, 0);
});

test('deciding again fails closed: a guard that throws reloads the tab', () => {
  const h = harness({
    decide: () => {
      throw new Error('policy broken');
    },
  });
  assert.deepEqual(h.guard.tabsToReload([{ tab: h.tab, url: orders }]).map((t) => t.id), [10]);
});
