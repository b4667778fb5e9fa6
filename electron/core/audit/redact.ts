import { isSecretName } from './secret-names';

/** What a secret value is replaced with. */
export const REDACTED = 'REDACTED';

/** Unparsable "URLs" are garbage or worse; keep only this much of them. */
export const UNPARSABLE_URL_MAX = 1024;

/** Longest URL the log stores (AuditEventInput.url); longer ones are cut before redaction. */
export const STORED_URL_MAX = 8192;

const TRUNCATION_MARK = '…';

/**
 * Replaces secret values in a URL with REDACTED: query and fragment parameters
 * (`#access_token=`), path parameters (`;jsessionid=`), the password of `user:password@`, and the
 * same inside a URL nested in a parameter, percent-encoded or not (`?return_to=https%3A…%3Ftoken%3D…`).
 * Everything else is kept byte for byte. A string the URL parser rejects is redacted by a looser
 * pattern and truncated. Never throws.
 */
export function redactUrl(url: string): string {
  const text = url.replace(/[\t\n\r]/g, ''); // the URL parser ignores these; so must the matcher
  if (!URL.canParse(text)) return truncate(redactLoosely(text), UNPARSABLE_URL_MAX);
  if (!/[?#;@=&]/.test(text)) return text;
  const authority = locateAuthority(text);
  const redacted =
    authority === null
      ? redactParameters(text, 0)
      : text.slice(0, authority.start) + redactUserinfo(text.slice(authority.start, authority.end)) + redactParameters(text.slice(authority.end), 0);
  return text.includes('@') ? ensurePasswordGone(redacted) : redacted;
}

/**
 * A copy of `detail` with the values of secret-named fields (at any depth) replaced by
 * REDACTED and URL strings passed through redactUrl. Non-plain values are left for
 * canonicalJson to accept or reject.
 */
export function redactDetail(detail: Record<string, unknown>): Record<string, unknown> {
  return redactValue(detail, 0) as Record<string, unknown>;
}

const MAX_DEPTH = 32;
const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return ABSOLUTE_URL.test(value) ? redactUrl(value) : value;
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => redactValue(item, depth + 1));
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const redacted = isSecretName(key) && item !== null && item !== undefined && item !== '' ? REDACTED : redactValue(item, depth + 1);
    // defineProperty, so a "__proto__" key from parsed JSON stays data instead of a prototype.
    Object.defineProperty(copy, key, { value: redacted, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

/** Only the password of `user:password@`; the rest of the text is not looked at. */
function redactPassword(url: string): string {
  const authority = locateAuthority(url);
  if (authority === null) return url;
  const { start, end } = authority;
  return url.slice(0, start) + redactUserinfo(url.slice(start, end)) + url.slice(end);
}

/** Where `user:password@host:port` sits, for schemes that have one. */
function locateAuthority(url: string): { start: number; end: number } | null {
  // http(s)/ws(s)/ftp/file accept any number of slashes or backslashes; other schemes need "//".
  const prefix = /^[\0- ]*(?:(?:https?|wss?|ftp|file):[/\\]*|[a-z][a-z0-9+.-]*:\/\/)/i.exec(url);
  if (prefix === null) return null;
  const start = prefix[0].length;
  const end = url.slice(start).search(/[/\\?#]/);
  return { start, end: end === -1 ? url.length : start + end };
}

function redactUserinfo(authority: string): string {
  const at = authority.lastIndexOf('@');
  if (at === -1) return authority;
  const colon = authority.indexOf(':');
  if (colon === -1 || colon > at || colon === at - 1) return authority;
  return `${authority.slice(0, colon + 1)}${REDACTED}${authority.slice(at)}`;
}

/** Belt and braces for odd spellings the byte-level pass may not locate the password in. */
function ensurePasswordGone(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '' || parsed.password === REDACTED) return url;
    parsed.password = REDACTED;
    return parsed.href;
  } catch {
    return url;
  }
}

/** Redacts `name=value` pieces between ?, &, ; and # (the path piece rarely has a "=" at all). */
function redactParameters(text: string, depth: number): string {
  if (!text.includes('=')) return text;
  let result = '';
  let copiedUpTo = 0;
  let pieceStart = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && !isParameterSeparator(text.charCodeAt(i))) continue;
    const piece = text.slice(pieceStart, i);
    const redacted = redactPiece(piece, depth);
    if (redacted !== piece) {
      result += text.slice(copiedUpTo, pieceStart) + redacted;
      copiedUpTo = i;
    }
    pieceStart = i + 1;
  }
  return copiedUpTo === 0 ? text : result + text.slice(copiedUpTo);
}

function isParameterSeparator(code: number): boolean {
  return code === 0x3f /* ? */ || code === 0x26 /* & */ || code === 0x3b /* ; */ || code === 0x23; /* # */
}

/** How many URLs deep a parameter value is decoded: a redirect, and a redirect inside that. */
const MAX_NESTING = 2;

function redactPiece(piece: string, depth: number): string {
  const eq = piece.indexOf('=');
  if (eq <= 0 || eq === piece.length - 1) return piece;
  const name = piece.slice(0, eq);
  if (isSecretName(name)) return `${name}=${REDACTED}`;
  const value = piece.slice(eq + 1);
  if (depth >= MAX_NESTING) return hidesSecret(value) ? `${name}=${REDACTED}` : piece;
  const redacted = redactNestedUrl(value, depth + 1);
  return redacted === value ? piece : `${name}=${redacted}`;
}

/**
 * Past the nesting limit a value is not taken apart any more; if it still hides a secret (under
 * more layers of encoding), it is redacted whole rather than kept: redaction fails closed.
 */
function hidesSecret(value: string): boolean {
  if (!NESTED_HINT.test(value)) return false;
  let text = value;
  for (let layer = 0; layer < 4; layer++) {
    const decoded = decodeTolerantly(text.replace(/\+/g, ' '));
    if (decoded === text) break;
    text = decoded;
  }
  const secretParameter = text.split(/[?&#;]/).some((piece) => {
    const eq = piece.indexOf('=');
    return eq > 0 && eq < piece.length - 1 && isSecretName(piece.slice(0, eq).trim());
  });
  return secretParameter || redactPassword(text) !== text;
}

/** A value that may hold a URL or query of its own: a "=" or "@", as such or percent-encoded. */
const NESTED_HINT = /[=@]|%3d|%40/i;

/**
 * A parameter value can be a whole URL or query (login redirects), plain or percent-encoded.
 * It is decoded tolerantly, so that one stray "%" or an escape cut in half by truncation cannot
 * hide the secrets around it, redacted like a URL, and re-encoded only if something was redacted.
 */
function redactNestedUrl(value: string, depth: number): string {
  if (!NESTED_HINT.test(value)) return value;
  // The password of a plain `https://user:pa%2Fss@host` first: decoding would turn "%2F" into a "/"
  // that ends the authority early.
  const plain = redactPassword(value);
  const decoded = decodeTolerantly(plain.replace(/\+/g, ' ')); // a "+" in a query is a space
  // Parameters over the whole text, authority included: a nested value need not be a valid URL.
  const redacted = redactParameters(redactPassword(decoded), depth);
  return redacted === decoded ? plain : encodeURIComponent(wellFormed(redacted));
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The text with each lone UTF-16 surrogate as U+FFFD (String#toWellFormed, which this ES2023
 * build does not type): UTF-8, and so SQLite, cannot hold one, and encodeURIComponent throws on
 * one, which raw input (a detail string) can contain.
 */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}
const ESCAPE_RUN = /(?:%[0-9a-f]{2})+/gi;
const NON_ASCII_ESCAPE = /%[89a-f]/i;

/**
 * decodeURIComponent without its all-or-nothing failure: every run of %XX escapes is decoded (a
 * byte that is not UTF-8 as U+FFFD), and a lone "%" or a cut "%2" is kept as written.
 */
function decodeTolerantly(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(ESCAPE_RUN, decodeEscapeRun);
  }
}

/** A byte that is not UTF-8 becomes U+FFFD instead of failing the run (fatal: false). */
const LENIENT_UTF8 = new TextDecoder('utf-8');

/** One run of %XX escapes. */
function decodeEscapeRun(run: string): string {
  if (!NON_ASCII_ESCAPE.test(run)) return decodeURIComponent(run); // ASCII only: cannot fail
  const bytes = new Uint8Array(run.length / 3);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
  return LENIENT_UTF8.decode(bytes);
}

const LOOSE_USERINFO = /(\/\/[^\s/?#@:]*):[^\s/?#@]+@/g;
const LOOSE_PAIR = /([\w.\-[\]%+]+)(\s*(?:=|:|%3[dD])\s*)([^\s&;?#,"'<>]+)/g;

/** For text the URL parser rejects: any `secret=value`, `secret: value` or `//user:pw@`. */
function redactLoosely(text: string): string {
  return text
    .replace(LOOSE_USERINFO, `$1:${REDACTED}@`)
    .replace(LOOSE_PAIR, (match, name: string, separator: string) => (isSecretName(name) ? `${name}${separator}${REDACTED}` : match));
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - TRUNCATION_MARK.length) + TRUNCATION_MARK;
}
