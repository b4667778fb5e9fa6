// Uploads, when the role's switch is off. A file picker a store page opens (an <input
// type=file>, showOpenFilePicker) is intercepted and never answered; a file the person drags
// in from the desktop is stopped before the page or the browser's own handling sees it. So no
// file reaches the page, and each attempt is reported (logged by the core as a host block).
// Not caught: a file pasted from the clipboard. The Electron host also refuses request bodies
// that carry files.
import type { BrowserContext, Page } from 'playwright-core';

export interface UploadBlocked {
  /** The page that asked for a file. */
  url: string;
}

/** From now on, file pickers of `page` are swallowed and reported. */
export function refuseUploads(page: Page, onBlocked: (blocked: UploadBlocked) => void): void {
  // Playwright intercepts the page's file choosers as soon as it has a listener: the native
  // dialog never opens, and a chooser left without files gives the page nothing.
  page.on('filechooser', (chooser) => onBlocked({ url: chooser.page().url() }));
}

/**
 * What the script logs to the console when it refused a drop. The console, rather than a
 * function exposed to the page, so that no global of ours is visible to the platform's scripts.
 */
const DROP_REFUSED_MESSAGE = 'shopwarden: a dropped file was refused';

/**
 * Runs in every frame before the page's own scripts, so it holds the built-ins as the browser
 * made them. A drag the person makes (a trusted event) that carries files is stopped at the
 * window, in the capture phase, before any listener of the page: it never sees the drag, and
 * the cancelled drop does not fill an <input type=file> either (nor open the file as a page).
 * Drags a page script makes carry only data it already has, so they pass.
 */
const REFUSE_FILE_DROPS = `(() => {
  const apply = Reflect.apply;
  const getter = (proto, name) => Object.getOwnPropertyDescriptor(proto, name).get;
  const dataTransferOf = getter(DragEvent.prototype, 'dataTransfer');
  const typesOf = getter(DataTransfer.prototype, 'types');
  const includes = Array.prototype.includes;
  const preventDefault = Event.prototype.preventDefault;
  const stopImmediatePropagation = Event.prototype.stopImmediatePropagation;
  const debug = console.debug;
  const refuse = (event) => {
    if (!event.isTrusted) return;
    const data = apply(dataTransferOf, event, []);
    if (!data || !apply(includes, apply(typesOf, data, []), ['Files'])) return;
    apply(preventDefault, event, []);
    apply(stopImmediatePropagation, event, []);
    if (event.type === 'drop') apply(debug, console, [${JSON.stringify(DROP_REFUSED_MESSAGE)}]);
  };
  for (const type of ['dragenter', 'dragover', 'drop']) window.addEventListener(type, refuse, true);
})();`;

/** From now on, files dragged into any page of `context` are refused and reported. Call before pages load. */
export async function refuseDroppedFiles(context: BrowserContext, onBlocked: (blocked: UploadBlocked) => void): Promise<void> {
  context.on('console', (message) => {
    if (message.type() === 'debug' && message.text() === DROP_REFUSED_MESSAGE) onBlocked({ url: message.page()?.url() ?? '' });
  });
  await context.addInitScript({ content: REFUSE_FILE_DROPS });
}
