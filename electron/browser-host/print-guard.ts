// Printing, when the role's switch is off. window.print(), Ctrl+P and the page menu's "Print…"
// all open Chromium's print preview, which the browser reports as a target of its own (a page
// at chrome://print/) that neither Playwright nor the request guard sees as a store page. The
// preview is cancelled the moment it is reported, so nothing is printed or saved as PDF (it
// may flash), and each attempt is reported once. Headless Chromium never opens a preview: only
// a window on a display can print.
import type { CDPSession } from 'playwright-core';
import type { TargetSummary } from './browser-targets';

const PRINT_PREVIEW_URL = 'chrome://print/';

/**
 * What the preview's own Cancel button sends to the browser (chrome.send is the WebUI's message
 * channel); true once sent. Target.closeTarget answers success but leaves the dialog open.
 */
const CANCEL_PREVIEW = "typeof chrome === 'object' && typeof chrome.send === 'function' && (chrome.send('closePrintPreviewDialog'), chrome.send('dialogClose'), true)";
/** The preview's page may not have its WebUI channel yet when it is first reported. */
const CANCEL_ATTEMPTS = 40;
const CANCEL_RETRY_MS = 50;

export function isPrintPreview(target: TargetSummary): boolean {
  return target.type === 'page' && target.url.startsWith(PRINT_PREVIEW_URL);
}

/** A target listener for watchTargets: cancels print previews (once each, reported once). */
export function printPreviewCloser(session: CDPSession, onBlocked: (blocked: { url: string }) => void): (target: TargetSummary) => void {
  const closing = new Set<string>();
  return (target) => {
    if (!isPrintPreview(target) || closing.has(target.targetId)) return;
    closing.add(target.targetId);
    onBlocked({ url: PRINT_PREVIEW_URL });
    void cancelPreview(session, target.targetId);
  };
}

/** A Runtime.evaluate answer as relayed from the preview (or its error). */
interface EvaluateReply {
  result?: { result?: { value?: unknown } };
}

async function cancelPreview(session: CDPSession, targetId: string): Promise<void> {
  try {
    // Playwright's session cannot address a child session itself: messages to the preview are
    // relayed through the browser session (attached without flatten).
    const { sessionId } = await session.send('Target.attachToTarget', { targetId, flatten: false });
    const replies = new Map<number, (message: EvaluateReply) => void>();
    const onMessage = (event: { sessionId: string; message: string }) => {
      if (event.sessionId !== sessionId) return;
      const message = JSON.parse(event.message) as EvaluateReply & { id?: number };
      if (message.id !== undefined) replies.get(message.id)?.(message);
    };
    session.on('Target.receivedMessageFromTarget', onMessage);
    try {
      for (let id = 1; id <= CANCEL_ATTEMPTS; id++) {
        const reply = new Promise<EvaluateReply>((resolve) => replies.set(id, resolve));
        await session.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.evaluate', params: { expression: CANCEL_PREVIEW, returnByValue: true } }) });
        if ((await reply).result?.result?.value === true) return;
        await new Promise((resolve) => setTimeout(resolve, CANCEL_RETRY_MS));
      }
    } finally {
      session.off('Target.receivedMessageFromTarget', onMessage);
    }
  } catch {
    // The preview (or the browser) went away meanwhile.
  }
}
