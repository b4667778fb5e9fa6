// Uploads, when the role's switch is off: a file picker a store page opens (an <input
// type=file>, showOpenFilePicker) is intercepted and never answered, so no file reaches the
// page, and the attempt is reported (logged by the core as a host block). Files dragged in
// from the desktop use no picker and are not caught here; the Electron host also refuses
// request bodies that carry files.
import type { Page } from 'playwright-core';

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
