// DevTools. A normal Chromium window offers F12, Ctrl+Shift+I and "Inspect" and no command-line
// switch turns them off (only the DeveloperToolsAvailability enterprise policy, installed by an
// administrator, does). What the host can do: close every DevTools window the moment the browser
// reports it, when the role's devtools switch is off, and log the attempt as a blocked
// navigation to its devtools:// address. The window may flash open; it never stays.
import type { CDPSession } from 'playwright-core';
import type { TargetSummary } from './browser-targets';
import type { SessionGuard } from './session-guard';

export function isDevToolsTarget(target: TargetSummary): boolean {
  return target.url.startsWith('devtools://');
}

/** A target listener for watchTargets: closes DevTools windows (once each, logged once). */
export function devToolsCloser(session: CDPSession, guard: SessionGuard): (target: TargetSummary) => void {
  const closing = new Set<string>();
  return (target) => {
    if (!isDevToolsTarget(target) || closing.has(target.targetId)) return;
    closing.add(target.targetId);
    guard.check({ url: target.url, method: 'GET', resourceType: 'mainFrame', isMainFrame: true });
    session.send('Target.closeTarget', { targetId: target.targetId }).catch(() => {});
  };
}
