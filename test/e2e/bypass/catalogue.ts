// The bypass catalogue: every way a store page (or the person at it) can try to reach a URL the
// role does not allow, defined once and run by one runner per host (bypass-browser-host.test.ts,
// bypass-electron.test.ts). Each scenario is expected BLOCKED (what the window shows), LOGGED
// (the guard's decisions for it are blocks, each one a log row) and NEVER RECEIVED (the fake
// seller site records no request carrying the scenario's tag).
//
// The subject: a staff member with the built-in *operator* role on a Seller Central US store.
// The operator may use orders (where the trigger pages live, `/orders-v3/...`), has downloads
// on, other URLs at View, and no access to payments (`/payments/...`), the target of every
// scenario. Every blocked URL carries `via=<scenario id>` so its traces can be told apart.
import type { DecisionReason, ResourceType } from '../../../shared/model/decision';

export const CATALOGUE_HOST = 'sellercentral.amazon.com';

/** What the runner needs to build a scenario's addresses: the fake site's real port. */
export interface CatalogueEnv {
  port: number;
}

/** What the person sees when the scenario is blocked. */
export type Outcome =
  /** The tab itself ends on the blocked page, at the blocked URL. */
  | { kind: 'page' }
  /** A new window opens on the blocked page. */
  | { kind: 'popup' }
  /** The frame reached through these selectors (outermost first) shows the blocked page. */
  | { kind: 'frame'; frames: string[] }
  /** The page's script was refused: `#outcome` (set by the page) starts with `refused`. */
  | { kind: 'refused' }
  /** Nothing on the page can show it (beacon, resource hints): the guard and the site tell. */
  | { kind: 'silent' }
  /** No file is saved; the tab stays on the trigger page. */
  | { kind: 'download' }
  /** The page's service worker never serves the target: `#sw-status` is refused or failed to fetch. */
  | { kind: 'service-worker' };

export interface BypassScenario {
  /** Stable id; also the `via=` tag of every blocked URL of the scenario. */
  id: string;
  description: string;
  /** The address loaded in the store's tab to start the scenario (a fake-site page, or the blocked URL itself). */
  trigger: (env: CatalogueEnv) => string;
  /** Clicked on the trigger page when the scenario needs a user gesture (pop-ups). */
  click?: string;
  /** The URL that must be blocked, as the page spells it. */
  blocked: { method: 'GET' | 'POST'; url: (env: CatalogueEnv) => string };
  outcome: Outcome;
  /** The guard's decision(s) for the tagged URL: every one blocked with one of these reasons, at least one of these resource types. */
  guard: { reasons: DecisionReason[]; resourceTypes: ResourceType[] };
  /**
   * Set when a host may stop the scenario before any request exists, so that the guard has
   * nothing to decide or log (why, in a sentence). The runner then asserts that the guard
   * allowed nothing and the site received nothing.
   */
  mayBePrevented?: string;
  /** Set when a host cannot block the scenario: reported as a todo test with this reason. */
  knownGap?: { hosts: ('browser-host' | 'electron')[]; reason: string };
}

const sc = (path: string) => `http://${CATALOGUE_HOST}${path}`;
const BASE = '/orders-v3';
const PAGE = '/payments/dashboard';
const JSON_API = '/payments/api/balance';
const ACTION = '/payments/api/withdraw';
const tag = (url: string, id: string) => `${url}${url.includes('?') ? '&' : '?'}via=${id}`;
const page = (id: string) => (): string => sc(tag(PAGE, id));
const NAV: ResourceType[] = ['mainFrame'];
const MODULE_NONE: DecisionReason[] = ['module-none'];

/**
 * A WebSocket to a blocked path from a worker the page builds one way or another: `from` is the
 * fake site's `/worker?from=` (null: a plain worker script), also the scenario id's prefix.
 */
function workerWebSocket(from: string | null, what: string, limits: Pick<BypassScenario, 'mayBePrevented' | 'knownGap'> = {}): BypassScenario {
  const id = `${from === null ? '' : `${from}-`}worker-websocket`;
  return {
    id,
    description: `a WebSocket to a blocked path, from ${what}`,
    trigger: () => sc(`${BASE}/worker?kind=websocket${from === null ? '' : `&from=${from}`}`),
    blocked: { method: 'GET', url: () => `ws://${CATALOGUE_HOST}/payments/ws?via=${id}` },
    outcome: { kind: 'refused' },
    guard: { reasons: MODULE_NONE, resourceTypes: ['websocket'] },
    ...limits,
  };
}

/** Electron intercepts no WebSocket without a frame, and a shared worker has none (electron/main/worker-scripts.ts). */
const SHARED_WORKER_LIMITS = {
  prevented: 'the Electron host refuses staff the script of a shared worker (the page sees "worker failed"), so the worker and its socket never exist',
  gap: 'Electron: a shared worker built from a blob: URL fetches no script the host could refuse, and its WebSocket escapes webRequest',
};

export const BYPASS_CATALOGUE: readonly BypassScenario[] = Object.freeze([
  {
    id: 'direct',
    description: 'typed address of the blocked page',
    trigger: page('direct'),
    blocked: { method: 'GET', url: page('direct') },
    outcome: { kind: 'page' },
    guard: { reasons: MODULE_NONE, resourceTypes: NAV },
  },
  {
    id: 'target-blank',
    description: 'a link with target=_blank',
    trigger: () => sc(`${BASE}/popup`),
    click: '#blank-link',
    blocked: { method: 'GET', url: page('target-blank') },
    outcome: { kind: 'popup' },
    guard: { reasons: MODULE_NONE, resourceTypes: NAV },
  },
  {
    id: 'window-open',
    description: 'window.open from a button',
    trigger: () => sc(`${BASE}/popup`),
    click: '#open-popup',
    blocked: { method: 'GET', url: page('window-open') },
    outcome: { kind: 'popup' },
    guard: { reasons: MODULE_NONE, resourceTypes: NAV },
  },
  {
    id: 'meta-refresh',
    description: '<meta http-equiv="refresh"> to the blocked page',
    trigger: () => sc(`${BASE}/meta-refresh`),
    blocked: { method: 'GET', url: page('meta-refresh') },
    outcome: { kind: 'page' },
    guard: { reasons: MODULE_NONE, resourceTypes: NAV },
  },
  {
    id: 'js-location',
    description: 'script sets location.href',
    trigger: () => sc(`${BASE}/js-location`),
    blocked: { method: 'GET', url: page('js-location') },
    outcome: { kind: 'page' },
    guard: { reasons: MODULE_NONE, resourceTypes: NAV },
  },
  ...(['301', '302', '307'] as const).map(
    (status): BypassScenario => ({
      id: `redirect-${status}`,
      description: `an allowed orders URL answers ${status} to the blocked page`,
      trigger: () => sc(`${BASE}/go-payments${status === '302' ? '' : `-${status}`}`),
      blocked: { method: 'GET', url: page(`redirect-${status}`) },
      outcome: { kind: 'page' },
      guard: { reasons: MODULE_NONE, resourceTypes: NAV },
    }),
  ),
  {
    id: 'redirect-307-post',
    description: 'a form POST to an allowed URL that 307s (method and body kept) to the blocked page',
    trigger: () => sc(`${BASE}/post-redirect`),
    blocked: { method: 'POST', url: page('redirect-307-post') },
    outcome: { kind: 'page' },
    guard: { reasons: MODULE_NONE, resourceTypes: NAV },
  },
  {
    id: 'redirect-chain',
    description: 'a chain of allowed hops (302 → 301 → 307) ending on the blocked page',
    trigger: () => sc(`${BASE}/go-payments-chain`),
    blocked: { method: 'GET', url: page('redirect-chain') },
    outcome: { kind: 'page' },
    guard: { reasons: MODULE_NONE, resourceTypes: NAV },
  },
  {
    id: 'iframe',
    description: 'an iframe of the blocked page',
    trigger: () => sc(`${BASE}/frames`),
    blocked: { method: 'GET', url: page('iframe') },
    outcome: { kind: 'frame', frames: ['#blocked-frame'] },
    guard: { reasons: MODULE_NONE, resourceTypes: ['subFrame'] },
  },
  {
    id: 'nested-iframe',
    description: 'an iframe of the blocked page inside an allowed iframe',
    trigger: () => sc(`${BASE}/frames`),
    blocked: { method: 'GET', url: page('nested-iframe') },
    outcome: { kind: 'frame', frames: ['#inner-frame', '#nested-blocked-frame'] },
    guard: { reasons: MODULE_NONE, resourceTypes: ['subFrame'] },
  },
  {
    id: 'fetch',
    description: 'fetch() of the blocked JSON API',
    trigger: () => sc(`${BASE}/script-request?kind=fetch`),
    blocked: { method: 'GET', url: () => sc(tag(JSON_API, 'fetch')) },
    outcome: { kind: 'refused' },
    // Chromium's Fetch domain reports fetch() as XHR.
    guard: { reasons: MODULE_NONE, resourceTypes: ['fetch', 'xhr'] },
  },
  {
    id: 'xhr',
    description: 'XMLHttpRequest POST to the blocked action',
    trigger: () => sc(`${BASE}/script-request?kind=xhr`),
    blocked: { method: 'POST', url: () => sc(tag(ACTION, 'xhr')) },
    outcome: { kind: 'refused' },
    guard: { reasons: MODULE_NONE, resourceTypes: ['xhr'] },
  },
  {
    id: 'beacon',
    description: 'navigator.sendBeacon to the blocked action',
    trigger: () => sc(`${BASE}/beacon`),
    blocked: { method: 'POST', url: () => sc(tag(ACTION, 'beacon')) },
    outcome: { kind: 'silent' },
    guard: { reasons: MODULE_NONE, resourceTypes: ['ping'] },
  },
  {
    id: 'websocket',
    description: 'a WebSocket to a blocked path, from the page',
    trigger: () => sc(`${BASE}/script-request?kind=websocket`),
    blocked: { method: 'GET', url: () => `ws://${CATALOGUE_HOST}/payments/ws?via=websocket` },
    outcome: { kind: 'refused' },
    guard: { reasons: MODULE_NONE, resourceTypes: ['websocket'] },
  },
  {
    id: 'worker-fetch',
    description: 'fetch() from a dedicated worker',
    trigger: () => sc(`${BASE}/worker?kind=fetch`),
    blocked: { method: 'GET', url: () => sc(tag(JSON_API, 'worker-fetch')) },
    outcome: { kind: 'refused' },
    guard: { reasons: MODULE_NONE, resourceTypes: ['fetch', 'xhr'] },
  },
  workerWebSocket(null, 'a dedicated worker'),
  workerWebSocket('blob', 'a worker built from a blob: URL'),
  workerWebSocket('data', 'a worker built from a data: URL'),
  workerWebSocket('module', 'a module a module worker imports'),
  workerWebSocket('shared', 'a shared worker', { mayBePrevented: SHARED_WORKER_LIMITS.prevented }),
  workerWebSocket('shared-blob', 'a shared worker built from a blob: URL', { knownGap: { hosts: ['electron'], reason: SHARED_WORKER_LIMITS.gap } }),
  workerWebSocket('frame-blob', 'a blob: worker built with the Worker of a new empty frame'),
  {
    id: 'form-post',
    description: 'a form POSTed to the blocked action',
    trigger: () => sc(`${BASE}/forms?submit=post`),
    blocked: { method: 'POST', url: () => sc(tag(ACTION, 'form-post')) },
    outcome: { kind: 'page' },
    guard: { reasons: MODULE_NONE, resourceTypes: NAV },
  },
  {
    id: 'form-get',
    description: 'a GET form whose action is the blocked page',
    trigger: () => sc(`${BASE}/forms?submit=get`),
    blocked: { method: 'GET', url: page('form-get') },
    outcome: { kind: 'page' },
    guard: { reasons: MODULE_NONE, resourceTypes: NAV },
  },
  {
    id: 'prefetch',
    description: '<link rel="prefetch"> of the blocked API',
    trigger: () => sc(`${BASE}/hints?kind=prefetch`),
    blocked: { method: 'GET', url: () => sc(tag(JSON_API, 'prefetch')) },
    outcome: { kind: 'silent' },
    guard: { reasons: MODULE_NONE, resourceTypes: ['other', 'fetch', 'xhr', 'script'] },
  },
  {
    id: 'preload',
    description: '<link rel="preload" as="fetch"> of the blocked API',
    trigger: () => sc(`${BASE}/hints?kind=preload`),
    blocked: { method: 'GET', url: () => sc(tag(JSON_API, 'preload')) },
    outcome: { kind: 'silent' },
    guard: { reasons: MODULE_NONE, resourceTypes: ['fetch', 'xhr', 'other'] },
  },
  {
    id: 'service-worker',
    description: 'a service worker answers an allowed URL by fetching the blocked API itself',
    trigger: () => sc(`${BASE}/sw`),
    blocked: { method: 'GET', url: () => sc(tag(JSON_API, 'service-worker')) },
    outcome: { kind: 'service-worker' },
    guard: { reasons: MODULE_NONE, resourceTypes: ['fetch', 'xhr', 'other'] },
    mayBePrevented:
      'the system-browser host gives staff no service workers at all (registration refused), so the worker and its fetch never exist; the owner’s workers are allowed and their fetches go through the guard',
  },
  {
    id: 'download',
    description: 'a download link (download attribute) to a blocked file, for a role with downloads on',
    trigger: () => sc(`${BASE}/download`),
    blocked: { method: 'GET', url: () => sc(tag('/payments/statement.csv', 'download')) },
    outcome: { kind: 'download' },
    guard: { reasons: MODULE_NONE, resourceTypes: ['mainFrame', 'download', 'other'] },
  },
  {
    id: 'data-frame',
    description: 'a data: iframe that navigates itself to the blocked page',
    trigger: () => sc(`${BASE}/local-frame?kind=data`),
    blocked: { method: 'GET', url: page('data-frame') },
    outcome: { kind: 'frame', frames: ['#local-frame'] },
    guard: { reasons: MODULE_NONE, resourceTypes: ['subFrame'] },
  },
  {
    id: 'blob-frame',
    description: 'a blob: iframe built by the page that fetches the blocked API',
    trigger: () => sc(`${BASE}/local-frame?kind=blob`),
    blocked: { method: 'GET', url: () => sc(tag(JSON_API, 'blob-frame')) },
    outcome: { kind: 'refused' },
    guard: { reasons: MODULE_NONE, resourceTypes: ['fetch', 'xhr'] },
  },
  // Spellings of the blocked address, typed by the person.
  {
    id: 'userinfo',
    description: 'user@host: an allowed-looking address as credentials before the real host',
    trigger: () => `http://${CATALOGUE_HOST}:orders-v3@${CATALOGUE_HOST}${PAGE}?via=userinfo`,
    blocked: { method: 'GET', url: () => `http://${CATALOGUE_HOST}:orders-v3@${CATALOGUE_HOST}${PAGE}?via=userinfo` },
    outcome: { kind: 'page' },
    guard: { reasons: MODULE_NONE, resourceTypes: NAV },
  },
  {
    id: 'mixed-case',
    description: 'mixed-case host and scheme',
    trigger: () => `HTTP://SellerCentral.Amazon.COM${PAGE}?via=mixed-case`,
    blocked: { method: 'GET', url: () => `HTTP://SellerCentral.Amazon.COM${PAGE}?via=mixed-case` },
    outcome: { kind: 'page' },
    guard: { reasons: MODULE_NONE, resourceTypes: NAV },
  },
  {
    id: 'trailing-dot',
    description: 'the fully qualified host with a trailing dot',
    trigger: () => `http://${CATALOGUE_HOST}.${PAGE}?via=trailing-dot`,
    blocked: { method: 'GET', url: () => `http://${CATALOGUE_HOST}.${PAGE}?via=trailing-dot` },
    outcome: { kind: 'page' },
    guard: { reasons: MODULE_NONE, resourceTypes: NAV },
  },
  {
    id: 'percent-encoded',
    description: 'percent-encoded letters in the path (/%70ayments/%64ashboard)',
    trigger: () => sc('/%70ayments/%64ashboard?via=percent-encoded'),
    blocked: { method: 'GET', url: () => sc('/%70ayments/%64ashboard?via=percent-encoded') },
    outcome: { kind: 'page' },
    guard: { reasons: MODULE_NONE, resourceTypes: NAV },
  },
  {
    id: 'dot-segments',
    description: 'an allowed prefix with (encoded) .. segments back out of it',
    trigger: () => sc(`${BASE}/%2e%2e/orders-v3/../payments/dashboard?via=dot-segments`),
    blocked: { method: 'GET', url: () => sc(`${BASE}/%2e%2e/orders-v3/../payments/dashboard?via=dot-segments`) },
    outcome: { kind: 'page' },
    guard: { reasons: MODULE_NONE, resourceTypes: NAV },
  },
  // Spellings a lenient server serves from the blocked page (the fake site routes the way
  // nginx and servlet containers do: test/fixtures/fake-seller/http.ts servedPath).
  {
    id: 'double-slash',
    description: 'repeated slashes before the blocked path (//payments), merged by the server',
    trigger: () => sc(`/${PAGE}?via=double-slash`),
    blocked: { method: 'GET', url: () => sc(`/${PAGE}?via=double-slash`) },
    outcome: { kind: 'page' },
    guard: { reasons: MODULE_NONE, resourceTypes: NAV },
  },
  {
    id: 'path-parameters',
    description: 'an allowed prefix left by ..; (a servlet container drops ;… and then resolves ..)',
    trigger: () => sc(`${BASE}/..;/payments/dashboard?via=path-parameters`),
    blocked: { method: 'GET', url: () => sc(`${BASE}/..;/payments/dashboard?via=path-parameters`) },
    outcome: { kind: 'page' },
    guard: { reasons: MODULE_NONE, resourceTypes: NAV },
  },
  {
    id: 'encoded-slash',
    description: 'an allowed prefix left through encoded slashes (/orders-v3%2F..%2Fpayments)',
    trigger: () => sc(`${BASE}%2F..%2Fpayments/dashboard?via=encoded-slash`),
    blocked: { method: 'GET', url: () => sc(`${BASE}%2F..%2Fpayments/dashboard?via=encoded-slash`) },
    outcome: { kind: 'page' },
    guard: { reasons: MODULE_NONE, resourceTypes: NAV },
  },
  {
    id: 'ip-literal',
    description: 'the platform host’s IP address instead of its name (the fake site answers as Seller Central there)',
    trigger: ({ port }) => `http://127.0.0.1:${port}${PAGE}?via=ip-literal`,
    blocked: { method: 'GET', url: ({ port }) => `http://127.0.0.1:${port}${PAGE}?via=ip-literal` },
    outcome: { kind: 'page' },
    guard: { reasons: ['other-none'], resourceTypes: NAV },
  },
]);

/** True when a URL (as the guard or the site saw it) carries exactly this scenario's tag. */
export function hasTag(url: string, id: string): boolean {
  return new RegExp(`[?&]via=${id.replace(/[-]/g, '\\-')}(&|$)`).test(url);
}

/** Path prefix no scenario may ever get a page under (as the site serves it: servedPath), on any host. */
export const BLOCKED_PREFIX = '/payments';
