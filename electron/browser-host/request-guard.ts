// The request guard of a store's browser: every HTTP(S) request (and file: navigation) of every
// tab, pop-up, frame and worker of the profile pauses at the browser-level CDP Fetch domain
// until the session guard has decided it. Allowed: continued. Blocked document (top frame or
// frame): answered with the blocked page, so the window says why. Anything else: failed as
// "blocked by client".
//
// Why not Playwright's context.route(): it continues redirect hops without asking the handler
// (a 302 from an allowed page to a blocked one would pass) and continues requests it cannot tie
// to a frame. Fetch at the browser target pauses every hop, including redirects, requests of
// workers and service workers, and navigations typed by the person.
//
// Workers' WebSockets (worker-websocket.ts): requests of type Other, which is what a worker's
// own script arrives as (from its page's frame, so nothing else tells it apart), are also paused
// at their response; one served as JavaScript gets the WebSocket guard put in front of it. The
// guard's checks are answered here.
import type { CDPSession } from 'playwright-core';
import { BLOCKED_PAGE_HEADERS, blockedPageStatus } from '../core/pages/blocked-page';
import type { BrowserTargets } from './browser-targets';
import { guardResourceType } from './resource-type';
import type { SessionGuard } from './session-guard';
import { checkWebSocket } from './websocket-guard';
import { CHECK_ANSWER, isJavaScriptType, websocketCheckTarget, withWebSocketGuard } from './worker-websocket';

interface PausedRequest {
  requestId: string;
  request: { url: string; method: string; headers?: Record<string, string> };
  frameId?: string;
  resourceType: string;
  /** Set when paused at the response (requests of type Other only). */
  responseStatusCode?: number;
  responseStatusText?: string;
  responseHeaders?: Array<{ name: string; value: string }>;
  responseErrorReason?: string;
}

/** Starts guarding; from its return on, no request of the browser passes undecided. */
export async function guardRequests(session: CDPSession, targets: BrowserTargets, guard: SessionGuard): Promise<void> {
  session.on('Fetch.requestPaused', (event) => void answer(session, targets, guard, event));
  await session.send('Fetch.enable', { patterns: [{ urlPattern: '*', requestStage: 'Request' }] });
}

async function answer(session: CDPSession, targets: BrowserTargets, guard: SessionGuard, event: PausedRequest): Promise<void> {
  const { requestId, request, resourceType } = event;
  try {
    if (event.responseStatusCode !== undefined || event.responseErrorReason !== undefined) return await guardWorkerScripts(session, event);
    const socket = websocketCheckTarget(request.url);
    if (socket !== null) return await answerWebSocketCheck(session, guard, requestId, socket, request.headers);
    // Only documents and worker scripts need to know who asked; skip the lookup for the rest.
    const origin = resourceType === 'Document' || resourceType === 'Other' ? await targets.origin(event.frameId) : 'sub-frame';
    const type = guardResourceType(resourceType, origin);
    const decision = guard.check({ url: request.url, method: request.method, resourceType: type, isMainFrame: type === 'mainFrame' });
    if (decision.allowed) {
      await session.send('Fetch.continueRequest', { requestId, interceptResponse: resourceType === 'Other' });
    } else if (resourceType === 'Document') {
      await session.send('Fetch.fulfillRequest', {
        requestId,
        responseCode: blockedPageStatus(decision),
        responseHeaders: [...BLOCKED_PAGE_HEADERS],
        body: Buffer.from(guard.blockedPage(request.url, request.method, decision), 'utf8').toString('base64'),
      });
    } else {
      await session.send('Fetch.failRequest', { requestId, errorReason: 'BlockedByClient' });
    }
  } catch {
    // Fail closed; this also fails when the tab went away meanwhile, which is fine.
    await session.send('Fetch.failRequest', { requestId, errorReason: 'BlockedByClient' }).catch(() => {});
  }
}

/**
 * A worker's WebSocket guard asking about `socket` (worker-websocket.ts): decided and answered
 * here, never sent. A worker built from a data: URL has no origin of its own and asks its page's
 * origin across origins: only such a request (Origin "null") may read the answer from there.
 */
async function answerWebSocketCheck(session: CDPSession, guard: SessionGuard, requestId: string, socket: string, headers: Record<string, string> = {}): Promise<void> {
  const decision = checkWebSocket(guard, socket);
  const opaqueOrigin = Object.entries(headers).some(([name, value]) => name.toLowerCase() === 'origin' && value === 'null');
  await session.send('Fetch.fulfillRequest', {
    requestId,
    responseCode: 200,
    responseHeaders: [
      { name: 'Content-Type', value: 'text/plain; charset=utf-8' },
      { name: 'Cache-Control', value: 'no-store' },
      ...(opaqueOrigin ? [{ name: 'Access-Control-Allow-Origin', value: 'null' }] : []),
    ],
    body: Buffer.from(decision.allowed ? CHECK_ANSWER.allowed : CHECK_ANSWER.blocked, 'utf8').toString('base64'),
  });
}

/**
 * A response of type Other, paused: when it is a script (served as JavaScript), it goes on with
 * the WebSocket guard in front. Anything else, redirects and failed responses go on as they are.
 */
async function guardWorkerScripts(session: CDPSession, event: PausedRequest): Promise<void> {
  const { requestId } = event;
  const status = event.responseStatusCode ?? 0;
  const contentType = event.responseHeaders?.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? '';
  if (event.responseErrorReason !== undefined || status < 200 || status >= 300 || !isJavaScriptType(contentType)) {
    return void (await session.send('Fetch.continueRequest', { requestId }));
  }
  const { body, base64Encoded } = await session.send('Fetch.getResponseBody', { requestId });
  const script = Buffer.from(body, base64Encoded ? 'base64' : 'utf8');
  // The body is handed over decoded, so its length and encoding headers no longer apply.
  const headers = (event.responseHeaders ?? []).filter((h) => !/^(content-length|content-encoding)$/i.test(h.name));
  await session.send('Fetch.fulfillRequest', {
    requestId,
    responseCode: status,
    ...(event.responseStatusText ? { responsePhrase: event.responseStatusText } : {}),
    responseHeaders: headers,
    body: withWebSocketGuard(script).toString('base64'),
  });
}
