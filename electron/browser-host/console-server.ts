import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { AppCoreApi } from '../core/app/api';
import type { ConsoleSession } from '../core/service/context';
import type { AppEvent } from '../../shared/ipc/events';
import { BRIDGE_TOKEN_HEADER, CONSOLE_ID_HEADER, CONSOLE_ID_PATTERN, EVENTS_PATH, INVOKE_PATH, MAX_REQUEST_BYTES, TOKEN_FRAGMENT_KEY, maxRequestBytes } from '../../shared/ipc/http-bridge';

const MAX_CONSOLES = 32;
/**
 * How long a console's event stream may stay away before its page counts as gone (reloaded or
 * closed: the page's console id dies with it). EventSource reconnects within seconds.
 */
const GONE_AFTER_MS = 10_000;
/** Channels that sign someone in: consoles that lost their stream are ended first. */
const SIGN_IN_CHANNELS = new Set(['auth:login', 'auth:setup-owner']);
const DEFAULT_CONSOLE = 'default-console';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** The console's security headers; the CSP matches the Electron console's (no inline script, same origin only). */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

export interface ConsoleServerOptions {
  core: AppCoreApi;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** Default 0: any free port. */
  port?: number;
  /** How long a console may be without its event stream before it counts as gone; default 10 s. */
  goneAfterMs?: number;
}

interface ConsoleConnection {
  session: ConsoleSession;
  streams: Set<ServerResponse>;
  /** Set while a console that was listening has no event stream: its page may be gone. */
  gone: NodeJS.Timeout | null;
}

/**
 * The system-browser host's console bridge (F30): serves the renderer and answers the IPC
 * contract over loopback HTTP. Only the console page can call it: every API request must carry
 * the per-launch secret (given to the page in its URL fragment, never sent over the network by
 * the browser), come with this server's own Origin, and name this server in Host (no DNS
 * rebinding). A store page runs on another origin and never sees the secret.
 */
export class ConsoleServer {
  readonly token = randomBytes(32).toString('base64url');
  private readonly server: Server;
  private readonly consoles = new Map<string, ConsoleConnection>();
  private closing = false;
  private origin = '';

  constructor(private readonly options: ConsoleServerOptions) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500, SECURITY_HEADERS);
        res.end();
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${port}`;
    return this.origin;
  }

  /** The address the console window opens: the secret travels in the fragment only. */
  consoleUrl(): string {
    return `${this.origin}/#${TOKEN_FRAGMENT_KEY}=${this.token}`;
  }

  /** Pushes an event to every console, or to those signed in as `userId`. */
  emit(event: AppEvent, userId?: string): void {
    const line = `data: ${JSON.stringify(event)}\n\n`;
    for (const { session, streams } of this.consoles.values()) {
      if (userId !== undefined && session.user?.id !== userId) continue;
      for (const stream of streams) stream.write(line);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const { streams, gone } of this.consoles.values()) {
      if (gone) clearTimeout(gone);
      for (const stream of streams) stream.end();
    }
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    if (req.headers.host !== this.origin.slice('http://'.length)) return this.refuse(res, 421, 'wrong host');
    if (url.pathname.startsWith('/api/')) {
      if (!this.hasToken(req, url)) return this.refuse(res, 401, 'missing or wrong console token');
      if (req.method === 'POST' && req.headers.origin !== this.origin) return this.refuse(res, 403, 'wrong origin');
      const consoleId = this.consoleId(req, url);
      if (!consoleId) return this.refuse(res, 400, `malformed ${CONSOLE_ID_HEADER}`);
      if (req.method === 'POST' && url.pathname.startsWith(INVOKE_PATH)) return this.invoke(req, res, url.pathname.slice(INVOKE_PATH.length), consoleId);
      if (req.method === 'GET' && url.pathname === EVENTS_PATH) return this.events(req, res, consoleId);
      return this.refuse(res, 404, 'no such API');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return this.refuse(res, 405, 'method not allowed');
    return this.serveStatic(url.pathname, res);
  }

  private hasToken(req: IncomingMessage, url: URL): boolean {
    const given = String(req.headers[BRIDGE_TOKEN_HEADER] ?? url.searchParams.get('token') ?? '');
    const expected = Buffer.from(this.token);
    const actual = Buffer.from(given);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  /** A page that sends no console id shares the default session. */
  private consoleId(req: IncomingMessage, url: URL): string | null {
    const id = req.headers[CONSOLE_ID_HEADER] ?? url.searchParams.get('console') ?? DEFAULT_CONSOLE;
    return typeof id === 'string' && CONSOLE_ID_PATTERN.test(id) ? id : null;
  }

  /** One console session per page load, like one per Electron window. */
  private connection(consoleId: string): ConsoleConnection {
    let connection = this.consoles.get(consoleId);
    if (!connection) {
      if (this.consoles.size >= MAX_CONSOLES) this.dropIdleConsole();
      connection = { session: this.options.core.newSession(), streams: new Set(), gone: null };
      this.consoles.set(consoleId, connection);
    }
    return connection;
  }

  private dropIdleConsole(): void {
    for (const [id, connection] of this.consoles) {
      if (connection.streams.size > 0) continue;
      this.endConsole(id).catch((error: unknown) => console.error('[console] could not end an idle console:', error));
      return;
    }
  }

  /**
   * The page of this console is gone (a reload makes a new console id): whoever was signed in
   * there is signed out and their store windows close, so that the next person to sign in at
   * this screen does not find them open with the previous person's rights.
   */
  private endConsole(id: string): Promise<void> {
    const connection = this.consoles.get(id);
    if (!connection) return Promise.resolve();
    if (connection.gone) clearTimeout(connection.gone);
    this.consoles.delete(id);
    return this.options.core.endSession(connection.session);
  }

  /** Ends, before someone signs in, every other console whose page went away. */
  private async endGoneConsoles(except: string): Promise<void> {
    const gone = [...this.consoles].filter(([id, connection]) => id !== except && connection.gone !== null);
    await Promise.all(gone.map(([id]) => this.endConsole(id)));
  }

  private async invoke(req: IncomingMessage, res: ServerResponse, channel: string, consoleId: string): Promise<void> {
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return this.refuse(res, 415, 'JSON only');
    let payload: unknown;
    try {
      payload = JSON.parse(await readBody(req, maxRequestBytes(decodeURIComponent(channel))));
    } catch (error) {
      return error instanceof BodyTooLarge ? this.refuse(res, 413, 'request too large') : this.refuse(res, 400, 'the body is not JSON');
    }
    const name = decodeURIComponent(channel);
    if (SIGN_IN_CHANNELS.has(name)) await this.endGoneConsoles(consoleId);
    const result = await this.options.core.invoke(this.connection(consoleId).session, name, payload);
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(result));
  }

  private events(req: IncomingMessage, res: ServerResponse, consoleId: string): void {
    const connection = this.connection(consoleId);
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
    res.write(': connected\n\n');
    connection.streams.add(res);
    if (connection.gone) clearTimeout(connection.gone);
    connection.gone = null;
    req.on('close', () => {
      connection.streams.delete(res);
      if (this.closing || connection.streams.size > 0 || this.consoles.get(consoleId) !== connection) return;
      const endGone = () => this.endConsole(consoleId).catch((error: unknown) => console.error('[console] could not end a console that went away:', error));
      connection.gone = setTimeout(() => void endGone(), this.options.goneAfterMs ?? GONE_AFTER_MS);
      connection.gone.unref();
    });
  }

  private serveStatic(pathname: string, res: ServerResponse): void {
    const root = normalize(this.options.staticDir);
    const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = normalize(join(root, relative));
    if (!file.startsWith(root + sep)) return this.refuse(res, 404, 'not found');
    let target = file;
    try {
      if (!statSync(target).isFile()) throw new Error('not a file');
    } catch {
      // The console is a single-page app: unknown paths without an extension get index.html.
      if (extname(file) !== '') return this.refuse(res, 404, 'not found');
      target = join(root, 'index.html');
    }
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': CONTENT_TYPES[extname(target)] ?? 'application/octet-stream' });
    // A file gone or unreadable after the check (the console rebuilt meanwhile) cuts this
    // response short; unhandled, the stream's error would end the whole host.
    createReadStream(target)
      .on('error', () => res.destroy())
      .pipe(res);
  }

  private refuse(res: ServerResponse, status: number, message: string): void {
    res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
    res.end(message);
  }
}

class BodyTooLarge extends Error {}

/** Reads a JSON body; a too large one is drained (up to a hard cap) so the caller still gets an answer. */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit + MAX_REQUEST_BYTES * 8) req.destroy();
      else if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => (size > limit ? reject(new BodyTooLarge()) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}
