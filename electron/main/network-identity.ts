// A store's network identity (F3) as Electron settings, computed without Electron (unit-tested).
import type { ProxyConfig, Store } from '../../shared/model/store';

/** The subset of Electron's ProxyConfig we produce. */
export type SessionProxy = { mode: 'system' } | { mode: 'fixed_servers'; proxyRules: string };

/**
 * The proxy a store's session uses. No DIRECT fallback: if the store's proxy is down, its pages
 * fail to load rather than leaving through the machine's own address (防关联). A store without
 * a proxy uses the system's settings, like any browser on that machine.
 */
export function sessionProxy(proxy: ProxyConfig | null): SessionProxy {
  if (!proxy) return { mode: 'system' };
  const host = proxy.host.includes(':') && !proxy.host.startsWith('[') ? `[${proxy.host}]` : proxy.host;
  return { mode: 'fixed_servers', proxyRules: `${proxy.scheme}://${host}:${proxy.port}` };
}

/**
 * Chromium can answer HTTP(S) proxy authentication, but has no SOCKS5 username/password support:
 * such a store's pages will fail to connect. Returned as a warning for the host to print.
 */
export function proxyWarning(proxy: ProxyConfig | null): string | null {
  return proxy && proxy.scheme === 'socks5' && (proxy.username || proxy.password)
    ? 'SOCKS5 proxies with a user name/password are not supported by Chromium; connections through this proxy will fail'
    : null;
}

/**
 * Credentials for a proxy authentication challenge, only when it comes from this store's own
 * proxy (same host and port) — never for a web site's own login prompt.
 */
export function proxyCredentials(
  proxy: ProxyConfig | null,
  challenge: { isProxy: boolean; host: string; port: number },
): { username: string; password: string } | null {
  if (!proxy || !challenge.isProxy || proxy.scheme === 'socks5') return null;
  if (proxy.username === undefined || proxy.password === undefined) return null;
  const bare = (h: string) => h.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare(challenge.host) !== bare(proxy.host) || challenge.port !== proxy.port) return null;
  return { username: proxy.username, password: proxy.password };
}

/**
 * Electron's default user agent without its "Electron/x" and app tokens: store pages see a plain
 * Chrome, so a seller platform cannot tell its sellers apart by this app (防关联).
 */
export function plainChromeUserAgent(fallback: string, appName: string): string {
  const escaped = appName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return fallback
    .replace(/\sElectron\/\S+/g, '')
    .replace(new RegExp(`\\s${escaped}/\\S+`, 'gi'), '')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

/** The user agent and Accept-Language a store's session sends. */
export function sessionUserAgent(store: Pick<Store, 'userAgent' | 'acceptLanguage'>, defaultUserAgent: string): { userAgent: string; acceptLanguages: string | undefined } {
  return { userAgent: store.userAgent ?? defaultUserAgent, acceptLanguages: store.acceptLanguage ?? undefined };
}
