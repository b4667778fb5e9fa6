// How `app://console/<path>` maps onto the built renderer folder, and the headers every console
// response carries. No Electron import: unit-tested.
import { extname, join, normalize, sep } from 'node:path';
import { isConsoleUrl } from './console-origin';

/**
 * The console's Content-Security-Policy: only its own scripts, styles and files, no inline
 * script, no framing, no plug-ins, no form posts. Word for word the system-browser host's
 * (electron/browser-host/console-server.ts), so the one renderer build runs under the same rules
 * in both hosts; here 'self' is app://console, which serves nothing but the renderer build.
 */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

export const CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cache-control': 'no-store',
};

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type ConsoleFile =
  | { kind: 'file'; path: string }
  /** No such file: a path without an extension is a client-side route and gets index.html. */
  | { kind: 'spa-fallback'; path: string }
  | { kind: 'refused' };

/**
 * The file under `root` that a console request names. Refuses other origins, malformed escapes,
 * NUL bytes and anything that would leave `root` (`..`, encoded separators, absolute paths).
 * `exists` is asked only about paths inside `root`.
 */
export function resolveConsoleFile(root: string, requestUrl: string, exists: (path: string) => boolean): ConsoleFile {
  if (!isConsoleUrl(requestUrl)) return { kind: 'refused' };
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(requestUrl).pathname);
  } catch {
    return { kind: 'refused' };
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return { kind: 'refused' };
  const base = normalize(root);
  const relative = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const file = normalize(join(base, relative));
  if (!file.startsWith(base.endsWith(sep) ? base : base + sep)) return { kind: 'refused' };
  if (exists(file)) return { kind: 'file', path: file };
  if (extname(file) === '') return { kind: 'spa-fallback', path: join(base, 'index.html') };
  return { kind: 'refused' };
}
