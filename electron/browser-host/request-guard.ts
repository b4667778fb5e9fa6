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
import type { CDPSession } from 'playwright-core';
import { BLOCKED_PAGE_HEADERS, blockedPageStatus } from '../core/pages/blocked-page';
import type { BrowserTargets } from './browser-targets';
import { guardResourceType } from './resource-type';
import type { SessionGuard } from './session-guard';

interface PausedRequest {
  requestId: string;
  request: { url: string; method: string };
  frameId?: string;
  resourceType: string;
}

/** Starts guarding; from its return on, no request of the browser passes undecided. */
export async function guardRequests(session: CDPSession, targets: BrowserTargets, guard: SessionGuard): Promise<void> {
  session.on('Fetch.requestPaused', (event) => void answer(session, targets, guard, event));
  await session.send('Fetch.enable', { patterns: [{ urlPattern: '*', requestStage: 'Request' }] });
}

async function answer(session: CDPSession, targets: BrowserTargets, guard: SessionGuard, event: PausedRequest): Promise<void> {
  const { requestId, request, resourceType } = event;
  try {
    // Only documents and worker scripts need to know who asked; skip the lookup for the rest.
    const origin = resourceType === 'Document' || resourceType === 'Other' ? await targets.origin(event.frameId) : 'sub-frame';
    const type = guardResourceType(resourceType, origin);
    const decision = guard.check({ url: request.url, method: request.method, resourceType: type, isMainFrame: type === 'mainFrame' });
    if (decision.allowed) {
      await session.send('Fetch.continueRequest', { requestId });
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
