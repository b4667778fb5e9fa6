// WebSockets: Chromium's Fetch interception never sees their handshakes, so Playwright's
// WebSocket routing (a WebSocket shim injected into every frame before page scripts run) asks
// the guard. Allowed: connected to the server and relayed. Blocked: closed with 1008 (policy
// violation) before it ever opens; the server never hears of it.
// WebSockets of workers, where Playwright cannot inject its shim, are guarded by
// worker-websocket.ts: put in front of workers' scripts by the request guard, and added to every
// frame here, where it hands itself on to workers built from blob: or data: URLs.
import type { BrowserContext } from 'playwright-core';
import type { Decision } from '../../shared/model/decision';
import type { SessionGuard } from './session-guard';
import { WEBSOCKET_BLOCKED, WORKER_WEBSOCKET_GUARD } from './worker-websocket';

export async function guardWebSockets(context: BrowserContext, guard: SessionGuard): Promise<void> {
  await context.routeWebSocket(
    () => true,
    async (ws) => {
      const decision = checkWebSocket(guard, ws.url());
      if (decision.allowed) ws.connectToServer();
      else await ws.close(WEBSOCKET_BLOCKED);
    },
  );
  await context.addInitScript({ content: WORKER_WEBSOCKET_GUARD });
}

/** A WebSocket handshake to `url` as the guard decides it: a frame's, or a worker's guard asking. */
export function checkWebSocket(guard: SessionGuard, url: string): Decision {
  return guard.check({ url, method: 'GET', resourceType: 'websocket', isMainFrame: false });
}
