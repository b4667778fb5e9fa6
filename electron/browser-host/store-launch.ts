// Where a store's browser profile lives and how its Chromium is launched (F2, F3): one
// persistent user-data dir per store — the system-browser twin of Electron's
// `persist:store-<id>` partition — with the store's proxy, user agent and languages. Pure: it
// computes paths and options, it launches nothing.
import { join } from 'node:path';
import type { BrowserType } from 'playwright-core';
import { Id } from '../../shared/model/common';
import type { SensitiveSwitches } from '../../shared/model/role';
import type { ProxyConfig, Store } from '../../shared/model/store';
import { CHROMIUM_FLAGS, USE_CHROMIUM_SANDBOX } from './chromium';
import { StoreSessionError } from './errors';
import { hasControlChar } from './text';
import { FILE_PICKERS_BLINK_FEATURE, filePickersAllowed } from '../core/app/file-pickers';

export type PersistentContextOptions = NonNullable<Parameters<BrowserType['launchPersistentContext']>[1]>;

function checkedStoreId(storeId: string): string {
  // Ids are [A-Za-z0-9_-]: safe as a folder name on every OS, never "..".
  if (!Id.safeParse(storeId).success) throw new StoreSessionError('invalid-store', `store id "${storeId}" cannot name a profile folder`);
  return storeId;
}

/** `<dataDir>/partitions/store-<id>`: cookies, storage, cache and service workers of one store. */
export function profileDir(dataDir: string, storeId: string): string {
  return join(dataDir, 'partitions', `store-${checkedStoreId(storeId)}`);
}

/** `<dataDir>/downloads/<id>`: files the guard let through, kept when the store's session is wiped. */
export function downloadsDir(dataDir: string, storeId: string): string {
  return join(dataDir, 'downloads', checkedStoreId(storeId));
}

const LANGUAGE_TAG = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/;

/**
 * The language tags of an Accept-Language value ("de-DE,de;q=0.9,en;q=0.5" → de-DE, de, en), in
 * order, without weights (Chromium adds its own) and without anything that is not a tag.
 */
export function languageTags(acceptLanguage: string): string[] {
  const tags = acceptLanguage.split(',').map((part) => part.split(';')[0]!.trim());
  return [...new Set(tags.filter((tag) => LANGUAGE_TAG.test(tag)))];
}

/**
 * Chromium flags for the store's languages: `--accept-lang` sets both the Accept-Language header
 * of every request (main frames, sub-resources, workers alike) and navigator.languages;
 * `--lang` the browser's own UI and navigator.language.
 */
export function languageFlags(acceptLanguage: string | null, siteLocale: string | null): string[] {
  const tags = languageTags(acceptLanguage ?? '');
  const chosen = tags.length > 0 ? tags : siteLocale && LANGUAGE_TAG.test(siteLocale) ? [siteLocale] : [];
  return chosen.length === 0 ? [] : [`--lang=${chosen[0]}`, `--accept-lang=${chosen.join(',')}`];
}

/** Playwright's proxy option for the store (F3). Chromium cannot authenticate to SOCKS5: refused, never silently direct. */
export function proxyOption(proxy: ProxyConfig | null): PersistentContextOptions['proxy'] {
  if (!proxy) return undefined;
  if (proxy.scheme === 'socks5' && (proxy.username || proxy.password))
    throw new StoreSessionError('unsupported-proxy', 'Chrome/Chromium cannot sign in to a SOCKS5 proxy: use an HTTP(S) proxy, or one without a password');
  const host = proxy.host.includes(':') && !proxy.host.startsWith('[') ? `[${proxy.host}]` : proxy.host;
  return {
    server: `${proxy.scheme}://${host}:${proxy.port}`,
    ...(proxy.username ? { username: proxy.username } : {}),
    ...(proxy.password ? { password: proxy.password } : {}),
  };
}

export interface BrowserSettings {
  executablePath: string;
  headless: boolean;
  /** Headed only: a chromeless `--app` window (no address bar, tabs or bookmarks). */
  appWindow: boolean;
  /** Appended last, e.g. `--host-resolver-rules` in tests. */
  extraArgs: readonly string[];
}

export interface StoreLaunch {
  dataDir: string;
  store: Store;
  /** The site's locale from the catalogue, used when the store sets no Accept-Language. */
  siteLocale: string | null;
  owner: boolean;
  switches: SensitiveSwitches;
  browser: BrowserSettings;
}

/** The user-data dir and the launchPersistentContext options of one store session. */
export function storeLaunchOptions(launch: StoreLaunch): { userDataDir: string; options: PersistentContextOptions } {
  const { store, browser } = launch;
  const userAgent = store.userAgent?.trim();
  if (userAgent && hasControlChar(userAgent)) throw new StoreSessionError('invalid-store', 'the store’s user agent contains control characters');
  const args = [
    ...CHROMIUM_FLAGS,
    ...languageFlags(store.acceptLanguage, launch.siteLocale),
    ...(userAgent ? [`--user-agent=${userAgent}`] : []),
    // The window opens blank: the guard is attached before the store's first page loads.
    ...(browser.appWindow && !browser.headless ? ['--app=about:blank'] : []),
    ...(filePickersAllowed(launch.owner, launch.switches) ? [] : [`--disable-blink-features=${FILE_PICKERS_BLINK_FEATURE}`]),
    ...browser.extraArgs,
  ];
  return {
    userDataDir: profileDir(launch.dataDir, store.id),
    options: {
      executablePath: browser.executablePath,
      headless: browser.headless,
      chromiumSandbox: USE_CHROMIUM_SANDBOX,
      args,
      // Headed: no "controlled by automated test software" bar; the page follows the window size.
      ...(browser.headless ? {} : { ignoreDefaultArgs: ['--enable-automation'], viewport: null }),
      proxy: proxyOption(store.proxy),
      // Staff: no service worker may answer for the network (it could serve a cached blocked page).
      serviceWorkers: launch.owner ? 'allow' : 'block',
      acceptDownloads: launch.owner || launch.switches.downloads,
      downloadsPath: join(downloadsDir(launch.dataDir, store.id), '.incoming'),
      permissions: [],
    },
  };
}
