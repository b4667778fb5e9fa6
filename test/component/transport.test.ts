import { closeDom, window as domWindow } from './helpers/dom';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseTransport, httpTransport, newConsoleId, takeBridgeToken } from '../../renderer/api/transport';
import { BRIDGE_TOKEN_HEADER, CONSOLE_ID_HEADER, CONSOLE_ID_PATTERN } from '../../shared/ipc/http-bridge';
import type { Transport } from '../../shared/ipc/client';

after(() => closeDom());

describe('console transport', () => {
  test('the bridge token is read from the fragment once and removed from the address bar', () => {
    domWindow.history.replaceState(null, '', '/?lang=zh#token=s3cr3t-token');
    const token = takeBridgeToken(domWindow as unknown as Window);
    assert.equal(token, 's3cr3t-token');
    assert.equal(domWindow.location.hash, '');
    assert.equal(domWindow.location.href, 'http://127.0.0.1:4000/?lang=zh');
    // A reload of the same tab still finds it (sessionStorage, same origin only).
    assert.equal(takeBridgeToken(domWindow as unknown as Window), 's3cr3t-token');
  });

  test('calls go to /api/invoke/<channel> with the token and console id; HTTP refusals become errors', async () => {
    const requests: { url: string; init: RequestInit }[] = [];
    let status = 200;
    const fakeFetch = (async (url: string, init: RequestInit) => {
      requests.push({ url, init });
      return new Response(JSON.stringify({ ok: true, data: { count: 3 } }), { status });
    }) as unknown as typeof fetch;
    const consoleId = newConsoleId();
    assert.match(consoleId, CONSOLE_ID_PATTERN);
    const transport = httpTransport({ token: 'tok', consoleId, fetch: fakeFetch });
    assert.deepEqual(await transport.invoke('log:count', { filter: {} }), { ok: true, data: { count: 3 } });
    const headers = requests[0]!.init.headers as Record<string, string>;
    assert.equal(requests[0]!.url, '/api/invoke/log%3Acount');
    assert.equal(requests[0]!.init.method, 'POST');
    assert.equal(headers[BRIDGE_TOKEN_HEADER], 'tok');
    assert.equal(headers[CONSOLE_ID_HEADER], consoleId);
    assert.equal(requests[0]!.init.body, JSON.stringify({ filter: {} }));
    status = 401;
    const refused = await transport.invoke('log:count', {});
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.error.code, 'forbidden');
  });

  test('events come from the SSE stream with token and console id in the query', () => {
    const opened: string[] = [];
    class FakeSource {
      onmessage: ((m: { data: string }) => void) | null = null;
      closed = false;
      constructor(url: string) {
        opened.push(url);
        sources.push(this);
      }
      close() {
        this.closed = true;
      }
    }
    const sources: FakeSource[] = [];
    const transport = httpTransport({ token: 'tok', consoleId: 'console-123', fetch: fetch, EventSource: FakeSource as unknown as typeof EventSource });
    const got: unknown[] = [];
    const stop = transport.onEvent((e) => got.push(e));
    assert.equal(opened[0], '/api/events?token=tok&console=console-123');
    sources[0]!.onmessage!({ data: JSON.stringify({ type: 'policy-changed' }) });
    sources[0]!.onmessage!({ data: 'not json' });
    assert.deepEqual(got, [{ type: 'policy-changed' }]);
    stop();
    assert.equal(sources[0]!.closed, true);
  });

  test('the Electron preload’s window.shopwarden is used when present', () => {
    const preload: Transport = { invoke: async () => ({ ok: true, data: null }), onEvent: () => () => {} };
    const w = domWindow as unknown as Window;
    w.shopwarden = preload;
    try {
      const chosen = chooseTransport(w);
      assert.equal(chosen.host, 'electron');
      assert.equal(chosen.transport, preload);
    } finally {
      delete w.shopwarden;
    }
  });
});
