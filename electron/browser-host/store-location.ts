// Where a store page is, for the console's address bar and back/forward buttons (F5): the store
// window of the system-browser host is an app window without browser buttons of its own.
import type { BrowserContext, CDPSession, Page } from 'playwright-core';

export interface StoreLocation {
  url: string;
  title: string;
  canGoBack: boolean;
  canGoForward: boolean;
}

interface NavigationHistory {
  currentIndex: number;
  entries: unknown[];
}

/**
 * Reports `page`'s location after each main-frame navigation and title change, until it closes.
 * Best effort: it only feeds the console's address bar (no decision depends on it), and a page or
 * browser going away mid-question fails it in many ways, so a failed report is skipped.
 */
export function watchLocation(context: BrowserContext, page: Page, report: (location: StoreLocation) => void): void {
  let cdp: Promise<CDPSession> | null = null;
  const history = async (): Promise<NavigationHistory> => {
    cdp ??= context.newCDPSession(page);
    return (await (await cdp).send('Page.getNavigationHistory')) as NavigationHistory;
  };
  const send = async () => {
    if (page.isClosed()) return;
    try {
      const [{ currentIndex, entries }, title] = await Promise.all([history(), page.title().catch(() => '')]);
      if (!page.isClosed()) report({ url: page.url().slice(0, 8192), title: title.slice(0, 1024), canGoBack: currentIndex > 0, canGoForward: currentIndex < entries.length - 1 });
    } catch {
      // closed or navigating away: the next navigation reports again
    }
  };
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) void send();
  });
  // The title arrives with the document, after the navigation event.
  page.on('domcontentloaded', () => void send());
}
