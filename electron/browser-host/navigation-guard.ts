// Top-level pages Chromium loads without a network request the Fetch guard could pause:
// data:, blob:, chrome:, about: pages other than blank, devtools:, view-source of a local file…
// Chromium already refuses such navigations when a web page starts them (data: and file:
// top-level, chrome:, javascript: in a new context); what is left are navigations the person
// or the browser starts (typed addresses, bookmarks, Ctrl+N, Playwright's own goto). Those are
// decided after they commit: a blocked one is replaced at once by the blocked page. The
// original page may be visible for a moment; it made no request the guard did not see.
import type { Page } from 'playwright-core';
import type { SessionGuard } from './session-guard';

/** Schemes the request guard already decided before the page loaded. */
const DECIDED_BY_REQUEST_GUARD = new Set(['http:', 'https:', 'file:']);

/** Chromium's own error page (a load that failed) is not content anyone navigated to. */
const CHROMIUM_ERROR_PAGE = 'chrome-error:';

function needsCheck(url: string): boolean {
  if (url === 'about:blank' || url === 'about:srcdoc') return false;
  if (!URL.canParse(url)) return true;
  const { protocol } = new URL(url);
  return !DECIDED_BY_REQUEST_GUARD.has(protocol) && protocol !== CHROMIUM_ERROR_PAGE;
}

export function guardNavigations(page: Page, guard: SessionGuard): void {
  page.on('framenavigated', (frame) => {
    if (frame !== page.mainFrame()) return; // frames: their loads are requests, or blank/srcdoc/data, which decide() allows
    const url = frame.url();
    if (!needsCheck(url)) return;
    const decision = guard.check({ url, method: 'GET', resourceType: 'mainFrame', isMainFrame: true });
    if (decision.allowed) return;
    const html = guard.blockedPage(url, 'GET', decision);
    void page
      .goto('about:blank')
      .then(() => page.setContent(html))
      .catch(() => {}); // the window was closed meanwhile
  });
}
