// WebSockets: Chromium's Fetch interception never sees their handshakes, so Playwright's
// WebSocket routing (a WebSocket shim injected into every frame before page scripts run) asks
// the guard. Allowed: connected to the server and relayed. Blocked: closed with 1008 (policy
// violation) before it ever opens; the server never hears of it.
// WebSockets of workers, where Playwright cannot inject its shim, are guarded by
// worker-websocket.ts: put in front of workers' scripts by the request guard, and added to every
// frame here, where it hands itself on to workers built from blob: or data: URLs.
import type { BrowserContext, WebSocketRoute } from 'playwright-core';
import type { Decision } from '../../shared/model/decision';
import type { SessionGuard } from './session-guard';
import { WEBSOCKET_BLOCKED, WORKER_WEBSOCKET_GUARD } from './worker-websocket';

/** The frames' WebSockets a session has open now (workers' are not tracked: worker-websocket.ts). */
export interface OpenWebSockets {
  /**
   * Decides every open socket again, as a new handshake (so each one ended is logged as a
   * block), and closes those now blocked on both sides with 1008.
   */
  closeBlocked(): Promise<void>;
}

export async function guardWebSockets(context: BrowserContext, guard: SessionGuard): Promise<OpenWebSockets> {
  const open = new Set<{ url: string; close(): Promise<void> }>();
  await context.routeWebSocket(
    () => true,
    async (ws) => {
      const decision = checkWebSocket(guard, ws.url());
      if (!decision.allowed) return ws.close(WEBSOCKET_BLOCKED);
      const server = ws.connectToServer();
      const socket = { url: ws.url(), close: () => Promise.all([ws.close(WEBSOCKET_BLOCKED), server.close(WEBSOCKET_BLOCKED)]).then(() => {}) };
      open.add(socket);
      // Handling a close turns off Playwright's own forwarding of it to the other side.
      ws.onClose((code, reason) => {
        open.delete(socket);
        void server.close(sendable(code, reason)).catch(() => {});
      });
      server.onClose((code, reason) => {
        open.delete(socket);
        void ws.close({ code, reason }).catch(() => {});
      });
    },
  );
  await context.addInitScript({ content: WORKER_WEBSOCKET_GUARD });
  return {
    async closeBlocked() {
      const blocked = [...open].filter((socket) => !checkWebSocket(guard, socket.url).allowed);
      for (const socket of blocked) open.delete(socket);
      await Promise.all(blocked.map((socket) => socket.close().catch(() => {})));
    },
  };
}

/** A page's close as a close frame may carry it: 1005/1006/1015 only report what happened and cannot be sent. */
function sendable(code: number | undefined, reason: string | undefined): Parameters<WebSocketRoute['close']>[0] {
  return code === undefined || code === 1005 || code === 1006 || code === 1015 ? {} : { code, reason: reason ?? '' };
}

/** A WebSocket handshake to `url` as the guard decides it: a frame's, or a worker's guard asking. */
export function checkWebSocket(guard: SessionGuard, url: string): Decision {
  return guard.check({ url, method: 'GET', resourceType: 'websocket', isMainFrame: false });
}
