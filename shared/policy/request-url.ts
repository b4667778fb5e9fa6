import { defaultPort, hasHostAndPath, hostKind, normalizeEscapes, queryTokens, type HostKind } from './url-canon';

/**
 * A request URL reduced to what URL filters look at. Built by the WHATWG URL parser (the one
 * the browser itself uses), so `user@host` tricks, `..` segments, IDN, IPv4 spellings such as
 * `0x7f.1` and upper case are resolved exactly as the request will be sent.
 */
export interface RequestUrl {
  /** Lower case, without ':' ("https"). */
  readonly scheme: string;
  /**
   * Lower case, punycode, without trailing dots; IPv6 in brackets ("[::1]"); "" for URLs
   * without a network host (data:, about:blank, custom schemes…). Never the credentials.
   */
  readonly host: string;
  /** null when the URL has no host. */
  readonly hostKind: HostKind | null;
  /** The explicit port, else the scheme's default port; null when there is neither. */
  readonly port: number | null;
  /** The parsed path, case kept, with equivalent escapes normalised (see url-canon.ts). */
  readonly path: string;
  /** The query's '&'-separated tokens in URL order (no '?'); the fragment is dropped. */
  readonly query: readonly string[];
}

/** Returns null for anything the URL parser rejects; never throws. */
export function parseRequestUrl(input: string): RequestUrl | null {
  if (typeof input !== 'string') return null;
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return null;
  }
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  // Only http(s), ws(s) and ftp have network hosts; for other schemes (custom://name) the parser
  // keeps an opaque name that host filters must not match (Chrome matches them only with '*').
  let host = hasHostAndPath(scheme) ? url.hostname : '';
  while (host.endsWith('.')) host = host.slice(0, -1);
  const port = url.port === '' ? defaultPort(scheme) : Number(url.port);
  return {
    scheme,
    host,
    hostKind: host === '' ? null : hostKind(host),
    port,
    path: normalizeEscapes(url.pathname),
    query: url.search === '' ? [] : queryTokens(url.search.slice(1)),
  };
}
