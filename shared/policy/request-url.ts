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
  return parseCanonicalWebUrl(input) ?? parseWithUrlParser(input);
}

/**
 * Web URLs already written exactly as the URL parser writes them: lower-case http(s)/ws(s)
 * scheme and host name (last label starting with a letter, so never an IPv4 spelling), no
 * credentials, and in the path (no escapes) and query only characters the parser leaves as
 * they are. Nearly every request a store page makes looks like this, and splitting it with one
 * pattern costs a fraction of the parser, its getters and the error it throws for bad input.
 */
const CANONICAL_WEB_URL =
  /^(https?|wss?):\/\/((?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*)\.?(?::(\d{1,5}))?(\/[\w\-.~!$&'()*+,;=:@/]*)?(?:\?([\w\-.~!$&()*+,;=:@/?%]*))?(?:#.*)?$/;

/**
 * The pattern's split, or undefined to leave the URL to the parser: punycode labels (the parser
 * checks them), dot segments in the path (it resolves them), ports out of range.
 * request-url.property.test.ts holds it to the parser's result on generated URLs.
 */
export function parseCanonicalWebUrl(input: string): RequestUrl | undefined {
  const match = CANONICAL_WEB_URL.exec(input);
  if (!match) return undefined;
  const [, scheme = '', host = '', portText, path = '/', search = ''] = match;
  if (host.includes('xn--') || path.includes('/.')) return undefined;
  const port = portText === undefined ? defaultPort(scheme) : Number(portText);
  if (port !== null && port > 65_535) return undefined;
  return requestUrl(scheme, host, 'name', port, path, search);
}

/** The WHATWG URL parser's reading (the browser's own), for every URL the pattern leaves. */
export function parseWithUrlParser(input: string): RequestUrl | null {
  // Asking first costs a second parse of the rare URLs that get here, and spares the
  // constructor's error for bad ones, which costs far more (tens of µs).
  if (!URL.canParse(input)) return null;
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
  return requestUrl(scheme, host, host === '' ? null : hostKind(host), port, url.pathname, url.search.slice(1));
}

function requestUrl(scheme: string, host: string, kind: HostKind | null, port: number | null, rawPath: string, query: string): RequestUrl {
  return {
    scheme,
    host,
    hostKind: kind,
    port,
    path: normalizeEscapes(rawPath),
    query: query === '' ? [] : queryTokens(query),
  };
}
