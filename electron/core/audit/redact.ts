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
 * (`#access_token=`), path parameters (`;jsessionid=`), percent-encoded URLs nested in a
 * parameter (`?return_to=https%3A…%3Ftoken%3D…`) and the password of `user:password@`. Everything
 * else is kept byte for byte. A string the URL parser rejects is redacted by a looser pattern
 * and truncated. Never throws.
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

function redactPiece(piece: string, depth: number): string {
  const eq = piece.indexOf('=');
  if (eq <= 0 || eq === piece.length - 1) return piece;
  const name = piece.slice(0, eq);
  if (isSecretName(name)) return `${name}=${REDACTED}`;
  const value = piece.slice(eq + 1);
  if (depth < 2 && /=|%3d/i.test(value)) {
    // A percent-encoded URL or query inside a parameter (login redirects): redact inside it.
    const decoded = safeDecode(value);
    if (decoded !== null) {
      const inner = redactParameters(decoded, depth + 1);
      if (inner !== decoded) return `${name}=${encodeURIComponent(inner)}`;
    }
  }
  return piece;
}

function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return null;
  }
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
