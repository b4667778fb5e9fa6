// A minimal HTTP forward proxy on 127.0.0.1 with Basic authentication, for the per-store proxy
// test (F3): it records what reached it and forwards plain-http requests to one upstream port.
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  method: string;
  /** The absolute URL the browser asked the proxy for. */
  url: string;
  headers: IncomingHttpHeaders;
}

export interface TestProxy {
  port: number;
  readonly requests: ProxiedRequest[];
  close(): Promise<void>;
}

export async function startTestProxy(upstreamPort: number, credentials: { username: string; password: string }): Promise<TestProxy> {
  const expected = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  const requests: ProxiedRequest[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '', headers: req.headers });
    if (req.headers['proxy-authorization'] !== expected) {
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="test proxy"', 'Content-Length': '0' });
      res.end();
      return;
    }
    const target = URL.canParse(req.url ?? '') ? new URL(req.url!) : null;
    if (!target || target.protocol !== 'http:') {
      res.writeHead(400).end();
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: target.pathname + target.search, headers }, (response) => {
      res.writeHead(response.statusCode ?? 502, response.headers);
      response.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (_req, socket) => socket.end('HTTP/1.1 405 Method Not Allowed\r\n\r\n'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
