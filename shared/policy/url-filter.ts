import { lowerBound, queryIndexOf, type QueryIndex, type RequestUrl } from './request-url';
import { hasHostAndPath, hostKind, normalizeEscapes, type HostKind } from './url-canon';

/**
 * Chrome's URLBlocklist / URLAllowlist filter format
 * (https://www.chromium.org/administrators/url-blocklist-filter-format):
 *
 *   [scheme://][.]host[:port][/path][?query]      (`@query` is accepted in place of `?query`)
 *
 * - scheme: optional, any scheme when absent. Host, port and path can only be given for
 *   http, https, ws, wss and ftp; any other scheme only as `scheme:*` / `scheme://*`.
 * - host: required. `*` alone is every host (also `https://*`). A name matches itself and all
 *   its subdomains; with a leading `.` only itself. IP literals (IPv4, bracketed IPv6) match
 *   only themselves. IDN hosts become punycode, a trailing `.` is ignored, case is ignored.
 * - port: optional, 1-65535; absent = any port. A URL without a port has its scheme's default.
 * - path: optional, a case-sensitive prefix of the URL path (`/ruin` also covers `/ruins`).
 * - query: `&`-separated `key=value` or `key` tokens, case-sensitive, compared with the URL's
 *   tokens as whole strings; a token ending in `*` is a prefix. Every filter token must be
 *   found in the URL, in any order.
 * - user:pass@ and #fragment are ignored.
 *
 * Where the format is silent or Chrome accepts a filter that can never match, this parser
 * rejects it with a message instead (a rule that silently does nothing is worse):
 * - `*` anywhere but as the whole host (`*.example.com`, `example.*`): Chrome takes it as the
 *   literal host "*.example.com", which matches nothing. `example.com` already covers the
 *   subdomains; `.example.com` is the host alone.
 * - `*` in a path (`example.com/*`): Chrome compares it literally; paths are prefixes anyway.
 *   A literal '*' can be written %2A.
 * - `*` inside a query token (only a trailing `*` means "prefix"), a port of `*`.
 * - `.` / `..` path segments: URLs never contain them once parsed.
 * - host names with characters DNS names never have ('=', '!'…), which the URL parser allows.
 * - an `@query` that looks like more path (`npmjs.com/package/@types/node`). `@` starts the
 *   query only after the host part (in the authority it ends user info, as in a URL) and only
 *   when the filter has no `?`; a literal '@' in such a path is written %40.
 * Path and query are canonicalised like a parsed URL (non-ASCII escaped) so that
 * `example.com/商品` matches the URL the browser sends; equivalent escapes are folded on both
 * sides (`%61dmin` is `admin`, see url-canon.ts). Chrome compares the filter text raw.
 * Which filter wins when several match: see compareSpecificity.
 */
export interface UrlFilter {
  /** The filter as written (trimmed). */
  readonly text: string;
  /** The same filter in canonical form; parses back to an equal filter. */
  readonly canonical: string;
  /** Lower case; null = any scheme. */
  readonly scheme: string | null;
  /** Canonical host (as the URL parser writes it, without trailing dot), or '*' for any host. */
  readonly host: string;
  /** null for the '*' host. */
  readonly hostKind: HostKind | null;
  /** False for `.host` filters and IP literals; true for '*'. */
  readonly matchSubdomains: boolean;
  /** null = any port. */
  readonly port: number | null;
  /** Path prefix; '' = any path (a lone '/' is dropped, as the format says). */
  readonly path: string;
  readonly query: readonly QueryToken[];
  readonly queryMatch: QueryMatch;
}

export interface QueryToken {
  /** The token without its trailing '*', canonicalised like a URL's query token. */
  readonly text: string;
  /** Ends in '*' in the filter: matches URL tokens that start with `text`. */
  readonly prefix: boolean;
  /** In `all` mode, the key whose every occurrence must match; null otherwise and for `key*`. */
  readonly key: string | null;
}

/**
 * How a `key=value` token treats a key repeated in the URL. `any` (Chrome's URLBlocklist): one
 * matching occurrence suffices, so blocking `?v=xyz` also blocks `?v=123&v=xyz`. `all`
 * (Chrome's URLAllowlist): every occurrence of the key must match, so allowing `?v=V2` does not
 * allow `?v=V1&v=V2` (servers often read the first or last value). Use `all` for allow rules.
 * When a filter names a key twice (`?v=V1&v=V2`), an occurrence may fit either token.
 */
export type QueryMatch = 'any' | 'all';

export interface ParseOptions {
  /** Default `any`. */
  queryMatch?: QueryMatch;
}

export type ParseResult = { ok: true; filter: UrlFilter } | { ok: false; error: string };

class FilterSyntaxError extends Error {}

function fail(message: string): never {
  throw new FilterSyntaxError(message);
}

const SCHEME = /^[a-z][a-z0-9+.-]*$/i;
/** `scheme:*` or `scheme://*`: every URL of that scheme. */
const WHOLE_SCHEME = /^([a-z][a-z0-9+.-]*):(?:\/\/)?\*$/i;
const SCHEME_PREFIX = /^([^:/?@\\]*):\/\//;
/** A host name after IDN conversion: ASCII letters, digits, '-' and '_' (seen in real names). */
const DNS_NAME = /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/;
const DOT_SEGMENTS = new Set(['.', '..', '%2e', '.%2e', '%2e.', '%2e%2e']);

/** Never throws; `error` says what is wrong in words an owner can act on. */
export function parseUrlFilter(text: string, options: ParseOptions = {}): ParseResult {
  try {
    return { ok: true, filter: parseOrThrow(text, options.queryMatch ?? 'any') };
  } catch (error) {
    if (error instanceof FilterSyntaxError) return { ok: false, error: error.message };
    return { ok: false, error: `cannot be parsed (${String(error)})` };
  }
}

function parseOrThrow(input: string, queryMatch: QueryMatch): UrlFilter {
  if (typeof input !== 'string') fail('the filter must be text');
  const text = input.trim();
  if (text === '') fail('the filter is empty');
  const bad = firstSpaceOrControl(text);
  if (bad >= 0) fail(`contains a space or control character at position ${bad + 1}; write a space as %20`);
  const hash = text.indexOf('#');
  const rest = hash >= 0 ? text.slice(0, hash) : text;
  if (rest === '') fail("the filter is empty before '#' (everything from '#' on is ignored)");

  const whole = WHOLE_SCHEME.exec(rest);
  if (whole) {
    const name = whole[1] as string;
    // `example.com:*` is a host with a port of '*', not the scheme "example.com".
    if (name.includes('.')) fail("port '*' is not allowed: leave the port out to match every port");
    return build(text, { scheme: name.toLowerCase(), host: '*', exact: false, port: null, path: '', query: [] }, queryMatch);
  }

  let scheme: string | null = null;
  let afterScheme = rest;
  const prefix = SCHEME_PREFIX.exec(rest);
  if (prefix) {
    scheme = checkScheme(prefix[1] as string);
    afterScheme = rest.slice(prefix[0].length);
    if (!hasHostAndPath(scheme))
      fail(
        `scheme '${scheme}' only supports '${scheme}://*' or '${scheme}:*' (every ${scheme}: URL); ` +
          'hosts, ports and paths can be given only for http, https, ws, wss and ftp',
      );
  }

  const authorityEnd = afterScheme.search(/[/\\?]/);
  const authority = authorityEnd >= 0 ? afterScheme.slice(0, authorityEnd) : afterScheme;
  const tail = authorityEnd >= 0 ? afterScheme.slice(authorityEnd) : '';
  // As in a URL, the authority's last '@' ends the user info, which filters ignore.
  const at = authority.lastIndexOf('@');
  const hasUserInfo = at >= 0;
  const { hostText, portText } = splitHostPort(authority.slice(at + 1), hasUserInfo);
  const { host, exact } = parseHost(hostText, hasUserInfo);
  const port = portText === null ? null : parsePort(portText, hostText);
  const { pathText, queryText } = splitPathQuery(tail);
  return build(text, { scheme, host, exact, port, path: parsePath(pathText), query: parseQuery(queryText, queryMatch) }, queryMatch);
}

function firstSpaceOrControl(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || /\s/.test(text.charAt(i))) return i;
  }
  return -1;
}

function checkScheme(name: string): string {
  if (name === '') fail("the scheme before '://' is empty");
  if (!SCHEME.test(name))
    fail(`scheme '${name}' is invalid: it must start with a letter and contain only letters, digits, '+', '-' or '.'`);
  return name.toLowerCase();
}

const USER_INFO_HINT = " (text before '@' is user info and ignored; to add a query write 'host?query')";

function splitHostPort(hostPort: string, hasUserInfo: boolean): { hostText: string; portText: string | null } {
  if (hostPort === '') fail(hasUserInfo ? `the host after '@' is missing${USER_INFO_HINT}` : "the host is missing (write '*' for every host)");
  if (hostPort.startsWith('[') || hostPort.startsWith('.[')) {
    const close = hostPort.indexOf(']');
    if (close < 0) fail("the IPv6 address has no closing ']'");
    const after = hostPort.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) fail(`unexpected '${after}' after the IPv6 address`);
    return { hostText: hostPort.slice(0, close + 1), portText: after === '' ? null : after.slice(1) };
  }
  const colon = hostPort.indexOf(':');
  if (colon < 0) return { hostText: hostPort, portText: null };
  if (hostPort.includes(':', colon + 1)) fail('an IPv6 address must be written in brackets, e.g. [2001:db8::1]');
  return { hostText: hostPort.slice(0, colon), portText: hostPort.slice(colon + 1) };
}

function parseHost(written: string, hasUserInfo: boolean): { host: string; exact: boolean } {
  const exact = written.startsWith('.');
  // A trailing '.' (fully qualified name) is ignored, as the format says.
  const name = (exact ? written.slice(1) : written).replace(/\.$/, '');
  if (name === '') fail(exact ? "the host after the leading '.' is missing" : "the host is missing (write '*' for every host)");
  if (name === '*') {
    if (exact) fail("'.*' is not a host: '*' alone means every host, and a leading '.' excludes subdomains of a named host");
    return { host: '*', exact: false };
  }
  if (name.includes('*')) fail(wildcardInHost(name));
  const host = canonicalHost(name);
  if (host === null) fail(`'${name}' is not a valid host name or IP address${hasUserInfo ? USER_INFO_HINT : ''}`);
  if (host.includes('*')) fail(wildcardInHost(name));
  if (hostKind(host) === 'name') {
    if (host.split('.').includes('')) fail(`host '${name}' has an empty label ('..')`);
    // The URL parser lets through characters no DNS name has ('=', '!', '$'…).
    if (!DNS_NAME.test(host)) fail(`'${name}' is not a valid host name or IP address${hasUserInfo ? USER_INFO_HINT : ''}`);
  }
  return { host, exact };
}

function wildcardInHost(name: string): string {
  return (
    `'*' is only allowed as the whole host (every host), not in '${name}': ` +
    "'example.com' already covers all its subdomains, and '.example.com' is that host alone"
  );
}

/** The URL parser's canonical host (punycode, lower case, IPv4/IPv6 normalised), or null. */
function canonicalHost(name: string): string | null {
  try {
    const url = new URL(`http://${name}/`);
    if (url.username !== '' || url.port !== '' || url.pathname !== '/' || url.search !== '') return null;
    return url.hostname;
  } catch {
    return null;
  }
}

function parsePort(text: string, hostText: string): number {
  if (text === '') fail("the port after ':' is empty");
  if (text === '*') fail("port '*' is not allowed: leave the port out to match every port");
  if (!/^\d+$/.test(text)) {
    const looksLikeScheme = SCHEME.test(hostText) && !hostText.includes('.');
    fail(
      `port '${text}' is not a number` +
        (looksLikeScheme ? ` (a scheme must be followed by '://'; every ${hostText}: URL is '${hostText}:*')` : ''),
    );
  }
  const port = Number(text);
  if (port < 1 || port > 65535) fail(`port ${text} is out of range (1-65535)`);
  return port;
}

function splitPathQuery(tail: string): { pathText: string; queryText: string | null } {
  const question = tail.indexOf('?');
  if (question >= 0) return { pathText: tail.slice(0, question), queryText: tail.slice(question + 1) };
  const at = tail.indexOf('@');
  if (at < 0) return { pathText: tail, queryText: null };
  const queryText = tail.slice(at + 1);
  if (queryText.includes('/'))
    fail(`'@' starts the query, but '${queryText}' looks like more path: write a literal '@' in a path as %40, or start the query with '?'`);
  return { pathText: tail.slice(0, at), queryText };
}

function parsePath(written: string): string {
  if (written === '') return '';
  if (written.includes('*'))
    fail(
      "'*' in a path is not a wildcard: paths already match as prefixes ('example.com/orders' covers '/orders/…'); " +
        'write a literal * as %2A',
    );
  if (written.split(/[/\\]/).some((segment) => DOT_SEGMENTS.has(segment.toLowerCase())))
    fail("the path has a '.' or '..' segment; URLs never do once parsed, so write the path they resolve to");
  const path = normalizeEscapes(new URL(`http://h${written}`).pathname);
  return path === '/' ? '' : path;
}

function parseQuery(written: string | null, queryMatch: QueryMatch): QueryToken[] {
  if (written === null || written === '') return [];
  // Escape the way the URL parser escapes a request's query, so both compare as equal strings.
  const escaped = new URL(`http://h/?${written}`).search.slice(1);
  const tokens = new Map<string, QueryToken>();
  for (const raw of escaped.split('&')) {
    if (raw === '') continue;
    const prefix = raw.endsWith('*');
    const body = prefix ? raw.slice(0, -1) : raw;
    if (body === '') fail("query token '*' has nothing before the '*'");
    if (body.includes('*')) fail(`query token '${raw}': '*' is only allowed at the end (prefix match); write a literal * as %2A`);
    const text = normalizeEscapes(body);
    const equals = text.indexOf('=');
    const key = equals >= 0 ? text.slice(0, equals) : prefix ? null : text;
    tokens.set(`${prefix ? '*' : '='}${text}`, { text, prefix, key: queryMatch === 'all' ? key : null });
  }
  return [...tokens.values()];
}

interface Parts {
  scheme: string | null;
  host: string;
  exact: boolean;
  port: number | null;
  path: string;
  query: QueryToken[];
}

function build(text: string, parts: Parts, queryMatch: QueryMatch): UrlFilter {
  const kind = parts.host === '*' ? null : hostKind(parts.host);
  const matchSubdomains = parts.host === '*' || (kind === 'name' && !parts.exact);
  const filter = { ...parts, hostKind: kind, matchSubdomains, queryMatch };
  return {
    text,
    canonical: formatFilter(filter),
    scheme: parts.scheme,
    host: parts.host,
    hostKind: kind,
    matchSubdomains,
    port: parts.port,
    path: parts.path,
    query: parts.query,
    queryMatch,
  };
}

/** Canonical text of a filter: re-escapes what is syntax in filters but literal in the parts. */
function formatFilter(f: Omit<UrlFilter, 'text' | 'canonical'>): string {
  const scheme = f.scheme === null ? '' : `${f.scheme}://`;
  const host = f.host === '*' || f.matchSubdomains || f.hostKind !== 'name' ? f.host : `.${f.host}`;
  const port = f.port === null ? '' : `:${f.port}`;
  const path = f.path.replace(/\*/g, '%2A').replace(/@/g, '%40');
  const tokens = f.query.map((t) => t.text.replace(/\*/g, '%2A') + (t.prefix ? '*' : ''));
  return `${scheme}${host}${port}${path}${tokens.length ? `?${tokens.join('&')}` : ''}`;
}

/** True when `url` is in the filter's host (itself, or a subdomain when allowed). */
export function hostMatches(filter: UrlFilter, url: RequestUrl): boolean {
  if (filter.host === '*') return true;
  if (url.host === filter.host) return true;
  if (!filter.matchSubdomains || url.hostKind !== 'name') return false;
  // `url.host` ends with "." + filter.host (an empty label before it still counts, as in the index walk).
  const dot = url.host.length - filter.host.length - 1;
  return dot >= 0 && url.host.charCodeAt(dot) === 46 /* . */ && url.host.endsWith(filter.host);
}

/**
 * The checks left once host and path are known to match (the index finds those by lookup):
 * scheme, port and query tokens.
 */
export function matchesSchemePortQuery(filter: UrlFilter, url: RequestUrl): boolean {
  if (filter.scheme !== null && filter.scheme !== url.scheme) return false;
  if (filter.port !== null && filter.port !== url.port) return false;
  if (filter.query.length === 0) return true;
  const index = queryIndexOf(url);
  return index ? queryMatchesIndexed(filter, index) : queryMatches(filter, url.query);
}

export function matchesFilter(filter: UrlFilter, url: RequestUrl): boolean {
  return hostMatches(filter, url) && url.path.startsWith(filter.path) && matchesSchemePortQuery(filter, url);
}

function queryMatches(filter: UrlFilter, urlTokens: readonly string[]): boolean {
  // Every filter token is present…
  for (const token of filter.query) {
    let present = false;
    for (const candidate of urlTokens) if ((present = tokenMatches(token, candidate))) break;
    if (!present) return false;
  }
  if (filter.queryMatch === 'any') return true;
  // …and in `all` mode, every URL occurrence of a key the filter names fits one of its tokens.
  for (const candidate of urlTokens) {
    let keyNamed = false;
    let fits = false;
    for (const token of filter.query) {
      if (token.key === null || !hasKey(candidate, token.key)) continue;
      keyNamed = true;
      if ((fits = tokenMatches(token, candidate))) break;
    }
    if (keyNamed && !fits) return false;
  }
  return true;
}

/**
 * queryMatches for a long query, through its index: the same answer, in lookups rather than a
 * pass over the URL's tokens for every filter (see QueryIndex).
 */
function queryMatchesIndexed(filter: UrlFilter, index: QueryIndex): boolean {
  for (const token of filter.query) if (!(token.prefix ? index.hasPrefix(token.text) : index.has(token.text))) return false;
  if (filter.queryMatch === 'any') return true;
  const query = filter.query;
  for (let i = 0; i < query.length; i++) {
    const key = (query[i] as QueryToken).key;
    if (key === null || query.slice(0, i).some((earlier) => earlier.key === key)) continue;
    if (!everyOccurrenceFits(query, key, index)) return false;
  }
  return true;
}

/** `all` mode for one key: each distinct URL token with that key fits one of the filter's tokens with it. */
function everyOccurrenceFits(query: readonly QueryToken[], key: string, index: QueryIndex): boolean {
  const exact: string[] = [];
  const prefixes: string[] = [];
  for (const token of query) if (token.key === key) (token.prefix ? prefixes : exact).push(token.text);
  if (prefixes.length === 0) {
    const occurrences = index.ofKey(key);
    // More distinct values than the filter names cannot all fit: no need to look at them.
    return occurrences.length <= exact.length && occurrences.every((o) => exact.includes(o));
  }
  // Count the occurrences covered: a prefix's matches are a run of the sorted list, and prefixes
  // of which none starts another cover disjoint runs; then the exact tokens outside those runs.
  const sorted = index.sortedOfKey(key);
  const outer = prefixes.sort().filter((p, i, all) => !all.slice(0, i).some((q) => p.startsWith(q)));
  let covered = 0;
  for (const prefix of outer) covered += prefixRun(sorted, prefix);
  for (const text of exact) if (index.has(text) && !outer.some((p) => text.startsWith(p))) covered++;
  return covered === sorted.length;
}

/** How many strings of `sorted` start with `prefix` (they are consecutive). */
function prefixRun(sorted: readonly string[], prefix: string): number {
  const start = lowerBound(sorted, prefix);
  let low = start;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as string).startsWith(prefix)) low = middle + 1;
    else high = middle;
  }
  return low - start;
}

function tokenMatches(token: QueryToken, candidate: string): boolean {
  return token.prefix ? candidate.startsWith(token.text) : candidate === token.text;
}

/** `key` or `key=…` */
function hasKey(candidate: string, key: string): boolean {
  return candidate.startsWith(key) && (candidate.length === key.length || candidate.charCodeAt(key.length) === 61 /* = */);
}

/**
 * Orders filters by how specifically they describe a URL they both match; negative when `a`
 * is more specific, so `filters.sort(compareSpecificity)` puts the winner first. Criteria in
 * order (the first difference decides):
 *  1. longer host (a filter for `a.b.example.com` beats `example.com`; `.host` and `host` are
 *     the same length; the `*` host comes last);
 *  2. longer path;
 *  3. more query tokens;
 *  4. with a scheme before without;
 *  5. with a port before without.
 * 1-3 are Chrome's documented order; 4-5 only break ties Chrome leaves to "allow wins" (the
 * caller still applies that among the values that remain tied). Scheme and port deliberately
 * rank below the path: otherwise `https://example.com` would override every path rule written
 * without a scheme, although nearly every URL is https anyway.
 */
export function compareSpecificity(a: UrlFilter, b: UrlFilter): number {
  return hostRank(b) - hostRank(a) || b.path.length - a.path.length || samePathRank(b) - samePathRank(a);
}

function hostRank(filter: UrlFilter): number {
  return filter.host === '*' ? -1 : filter.host.length;
}

/**
 * Criteria 3-5 of compareSpecificity as one number (higher is more specific), for filters that
 * share host and path: query tokens, then scheme, then port.
 */
export function samePathRank(filter: UrlFilter): number {
  return filter.query.length * 4 + (filter.scheme === null ? 0 : 2) + (filter.port === null ? 0 : 1);
}
