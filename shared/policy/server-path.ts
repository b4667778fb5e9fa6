/**
 * The path as a lenient web server may read it, which is not always the path the browser sends.
 * Filters match the browser's path (Chrome's URLBlocklist semantics), so `//payments`,
 * `/%2Fpayments`, `/orders/..;/payments` and `/;/payments` match no `/payments` filter — yet
 * common servers serve `/payments` for each: nginx and many frameworks merge repeated slashes,
 * Java servlet containers drop `;parameters` from every segment before resolving `..`, and some
 * decode `%2F` / `%5C` into separators. decide() therefore judges such a path under both readings
 * and blocks when either one is blocked (decide.ts).
 */

/**
 * Only paths with one of these can read differently (escapes arrive upper-cased, url-canon.ts).
 * Dot segments are on the list because Node 20's URL parser leaves them after a segment that
 * starts with a dot: it reads `/orders/.x/../../payments` as is, where Chrome sends `/payments`.
 */
const MAY_READ_DIFFERENTLY = /\/\/|;|%2F|%5C|\/\.\.?(?:\/|$)/;

const ENCODED_SEPARATOR = /%2F|%5C/g;

/**
 * The server's reading of an already parsed and escape-normalised path, or null when it reads
 * the same: encoded slashes and backslashes decoded, `;parameters` dropped from each segment,
 * empty segments merged, then `.` and `..` resolved (not above the root).
 */
export function serverReadingOfPath(path: string): string | null {
  if (!MAY_READ_DIFFERENTLY.test(path)) return null;
  const segments = path.replace(ENCODED_SEPARATOR, '/').split('/');
  const kept: string[] = [];
  let segment = '';
  for (const raw of segments) {
    const semicolon = raw.indexOf(';');
    segment = semicolon < 0 ? raw : raw.slice(0, semicolon);
    if (segment === '' || segment === '.') continue;
    if (segment === '..') kept.pop();
    else kept.push(segment);
  }
  // Ending in a separator, '.' or '..' (after its parameters are dropped) names a folder: '/a/'.
  const trailing = kept.length > 0 && (segment === '' || segment === '.' || segment === '..') ? '/' : '';
  const reading = `/${kept.join('/')}${trailing}`;
  return reading === path ? null : reading;
}
