// Uploads, when the role's switch is off. A file picker a store page opens (an <input
// type=file>, showOpenFilePicker) is intercepted and never answered; a file the person drags
// in from the desktop or pastes from the clipboard (a copied file, a screenshot) is stopped
// before the page or the browser's own handling sees it. So no file reaches the page, and each
// attempt is reported (logged by the core as a host block). The Electron host also refuses
// request bodies that carry files.
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
 * What the script logs to the console when it refused a drop or a paste. The console, rather
 * than a function exposed to the page, so that no global of ours is visible to the platform's
 * scripts.
 */
const FILE_REFUSED_MESSAGE = 'shopwarden: a dropped or pasted file was refused';

/**
 * Runs in every frame before the page's own scripts, so it holds the built-ins as the browser
 * made them. A drag or a paste the person makes (a trusted event) that carries files is
 * stopped at the window, in the capture phase, before any listener of the page: it never sees
 * the files, and the cancelled drop or paste does not fill an <input type=file> or an editor
 * either (nor open the file as a page). Text pastes and drags pass as usual, and so do events
 * a page script makes, which carry only data it already has.
 */
const REFUSE_FILE_TRANSFERS = `(() => {
  const apply = Reflect.apply;
  const getter = (proto, name) => Object.getOwnPropertyDescriptor(proto, name).get;
  const dataTransferOf = getter(DragEvent.prototype, 'dataTransfer');
  const clipboardDataOf = getter(ClipboardEvent.prototype, 'clipboardData');
  const typesOf = getter(DataTransfer.prototype, 'types');
  const includes = Array.prototype.includes;
  const preventDefault = Event.prototype.preventDefault;
  const stopImmediatePropagation = Event.prototype.stopImmediatePropagation;
  const debug = console.debug;
  const refuse = (transferOf) => (event) => {
    if (!event.isTrusted) return;
    const data = apply(transferOf, event, []);
    if (!data || !apply(includes, apply(typesOf, data, []), ['Files'])) return;
    apply(preventDefault, event, []);
    apply(stopImmediatePropagation, event, []);
    if (event.type === 'drop' || event.type === 'paste') apply(debug, console, [${JSON.stringify(FILE_REFUSED_MESSAGE)}]);
  };
  for (const type of ['dragenter', 'dragover', 'drop']) window.addEventListener(type, refuse(dataTransferOf), true);
  window.addEventListener('paste', refuse(clipboardDataOf), true);
})();`;

/** From now on, files dragged or pasted into any page of `context` are refused and reported. Call before pages load. */
export async function refuseDroppedOrPastedFiles(context: BrowserContext, onBlocked: (blocked: UploadBlocked) => void): Promise<void> {
  context.on('console', (message) => {
    if (message.type() === 'debug' && message.text() === FILE_REFUSED_MESSAGE) onBlocked({ url: message.page()?.url() ?? '' });
  });
  await context.addInitScript({ content: REFUSE_FILE_TRANSFERS });
}
