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

/**
 * Most query tokens a request URL may have; one with more is refused like an unparsable URL
 * (decide: `invalid-url`). Pages send tens; 10,000 is past any real page (a bulk edit of 1,000
 * ASINs in the query is 1,000) and bounds what a crafted URL of up to Chrome's 2 MB costs a
 * decision: 300,000 distinct junk tokens took 0.3 s even with the QueryIndex, mostly sorting them.
 */
export const MAX_QUERY_TOKENS = 10_000;

/** Returns null for anything the URL parser rejects or with too many query tokens; never throws. */
export function parseRequestUrl(input: string): RequestUrl | null {
  if (typeof input !== 'string') return null;
  const url = parseCanonicalWebUrl(input) ?? parseWithUrlParser(input);
  return url && url.query.length > MAX_QUERY_TOKENS ? null : url;
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

/**
 * Query lists longer than this are looked up through a QueryIndex; shorter ones are scanned, which
 * is quicker than any index for the handful of tokens nearly every URL has.
 */
export const QUERY_INDEX_MIN_TOKENS = 16;

/**
 * A long query's tokens indexed for the filters that name query tokens, so that checking one
 * filter costs a few lookups instead of a pass over every token: a 600 KB query (300,000 junk
 * tokens, then 1,000 `asin=`) against a role with one allow filter per ASIN made a single
 * decision take seconds. Built on first use, once per parsed URL (see queryIndexOf); the sorted
 * lists only when a filter has a prefix (`key=val*`) token.
 */
export class QueryIndex {
  readonly #tokens: ReadonlySet<string>;
  /** Distinct tokens by key: the text before the first '=', or the whole token. */
  #byKey: Map<string, string[]> | null = null;
  readonly #sortedByKey = new Map<string, readonly string[]>();
  #sortedKeys: readonly string[] | null = null;

  constructor(tokens: readonly string[]) {
    this.#tokens = new Set(tokens);
  }

  /** How many distinct tokens. */
  get size(): number {
    return this.#tokens.size;
  }

  has(token: string): boolean {
    return this.#tokens.has(token);
  }

  /** The distinct tokens. */
  tokens(): IterableIterator<string> {
    return this.#tokens.values();
  }

  /** Whether some token starts with `prefix`. */
  hasPrefix(prefix: string): boolean {
    const equals = prefix.indexOf('=');
    // Before its first '=' a token's text is its key, so a prefix without '=' needs only the keys.
    const sorted = equals < 0 ? (this.#sortedKeys ??= [...this.#keys().keys()].sort()) : this.sortedOfKey(prefix.slice(0, equals));
    const first = sorted[lowerBound(sorted, prefix)];
    return first !== undefined && first.startsWith(prefix);
  }

  /** The distinct tokens `key` and `key=…`, in URL order. */
  ofKey(key: string): readonly string[] {
    return this.#keys().get(key) ?? [];
  }

  /** The distinct tokens `key` and `key=…`, sorted (UTF-16 order, as `<` compares). */
  sortedOfKey(key: string): readonly string[] {
    let sorted = this.#sortedByKey.get(key);
    if (!sorted) this.#sortedByKey.set(key, (sorted = [...this.ofKey(key)].sort()));
    return sorted;
  }

  #keys(): Map<string, string[]> {
    if (this.#byKey) return this.#byKey;
    const byKey = new Map<string, string[]>();
    for (const token of this.#tokens) {
      const equals = token.indexOf('=');
      const key = equals < 0 ? token : token.slice(0, equals);
      const tokens = byKey.get(key);
      if (tokens) tokens.push(token);
      else byKey.set(key, [token]);
    }
    return (this.#byKey = byKey);
  }
}

/** The first position in `sorted` whose string is not less than `text`. */
export function lowerBound(sorted: readonly string[], text: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as string) < text) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** By the URL's token list, which each parse makes anew: the index lives as long as the URL. */
const queryIndexes = new WeakMap<readonly string[], QueryIndex>();

/** The URL's query index, or null when its query is short enough to scan. */
export function queryIndexOf(url: RequestUrl): QueryIndex | null {
  if (url.query.length <= QUERY_INDEX_MIN_TOKENS) return null;
  let index = queryIndexes.get(url.query);
  if (!index) queryIndexes.set(url.query, (index = new QueryIndex(url.query)));
  return index;
}
