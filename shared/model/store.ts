import { z } from 'zod';
import { HexColour, Id, Slug, Timestamp } from './common';

export const ProxyConfig = z.object({
  scheme: z.enum(['http', 'https', 'socks5']),
  host: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65535),
  username: z.string().max(256).optional(),
  /** Kept by core in the settings vault, never exported in bundles (F25). */
  password: z.string().max(256).optional(),
});
export type ProxyConfig = z.infer<typeof ProxyConfig>;

/**
 * Whether a proxy password entered for `before` is for `after` too: the same server and account
 * (scheme, host, port, user name). The core drops a stored password otherwise; the store form
 * says so.
 */
export function sameProxyAccount(before: Omit<ProxyConfig, 'password'>, after: Omit<ProxyConfig, 'password'>): boolean {
  return before.scheme === after.scheme && before.host.toLowerCase() === after.host.toLowerCase() && before.port === after.port && (before.username ?? '') === (after.username ?? '');
}

const HttpUrl = z.string().max(2048).refine((v) => {
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}, 'must be an http(s) URL');

/** A store the owner runs on one platform site (F1), with its network identity (F3). */
export const StoreInput = z.object({
  name: z.string().trim().min(1).max(80),
  platformId: Slug,
  siteId: Slug,
  homeUrl: HttpUrl,
  group: z.string().trim().max(40).default(''),
  colour: HexColour.default('#3b82f6'),
  proxy: ProxyConfig.nullable().default(null),
  userAgent: z.string().max(512).nullable().default(null),
  acceptLanguage: z.string().max(128).nullable().default(null),
});
export type StoreInput = z.input<typeof StoreInput>;

export const Store = StoreInput.extend({ id: Id, createdAt: Timestamp, updatedAt: Timestamp });
export type Store = z.infer<typeof Store>;

/** The partition name of a store's browser session. No ':' after "persist:" (breaks on Windows). */
export function storePartition(storeId: string): string {
  return `persist:store-${storeId}`;
}
