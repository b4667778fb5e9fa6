/**
 * Canonical forms shared by filters (url-filter.ts) and request URLs (request-url.ts): both
 * sides go through the same WHATWG URL parser and the same steps below, so a filter and a URL
 * that mean the same thing compare equal as plain strings.
 */

/** Ports a URL has when it names none (the WHATWG "special" schemes). */
const DEFAULT_PORTS: ReadonlyMap<string, number> = new Map([
  ['http', 80],
  ['https', 443],
  ['ws', 80],
  ['wss', 443],
  ['ftp', 21],
]);

export function defaultPort(scheme: string): number | null {
  return DEFAULT_PORTS.get(scheme) ?? null;
}

/** Schemes whose URLs have a host, port and path that filters may name (the special schemes). */
export function hasHostAndPath(scheme: string): boolean {
  return DEFAULT_PORTS.has(scheme);
}

export type HostKind = 'name' | 'ipv4' | 'ipv6';

const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** Kind of a host as the URL parser canonicalised it (IPv4 in dotted decimal, IPv6 in brackets). */
export function hostKind(host: string): HostKind {
  if (host.startsWith('[')) return 'ipv6';
  return IPV4.test(host) ? 'ipv4' : 'name';
}

/**
 * Characters whose percent-escaped and literal spellings mean the same in a path or query:
 * RFC 3986 unreserved characters (§6.2.2.2), plus '@' and '*', which the URL parser never
 * escapes in paths or queries. Decoding them closes trivial bypasses such as `/%61dmin` for
 * `/admin`, and lets a filter name a literal '@' or '*' as %40 / %2A (both are syntax in filters).
 */
const SAME_WHEN_DECODED = /^[A-Za-z0-9\-._~@*]$/;
const ESCAPE = /%([0-9A-Fa-f]{2})/g;

/**
 * Decodes the escapes listed above and upper-cases the hex digits of all others (RFC 3986
 * §6.2.2.1), leaving reserved characters such as %2F, %26 and %3D escaped.
 */
export function normalizeEscapes(text: string): string {
  if (!text.includes('%')) return text;
  return text.replace(ESCAPE, (escape, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return SAME_WHEN_DECODED.test(char) ? char : escape.toUpperCase();
  });
}

/** A query string (without '?') as the set of its '&'-separated tokens, canonicalised. */
export function queryTokens(query: string): string[] {
  const tokens: string[] = [];
  for (const token of query.split('&')) if (token !== '') tokens.push(normalizeEscapes(token));
  return tokens;
}
