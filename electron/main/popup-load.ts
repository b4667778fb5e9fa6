// The first load of a pop-up tab the host makes itself: Electron gives no guest webContents for a
// link opened with Ctrl/Shift/middle-click (the browser process navigates it, not the page), so
// the host loads the link as Electron would have: with its referrer and a form's POST body.
import type { LoadURLOptions, PostBody, Referrer } from 'electron';

/** What setWindowOpenHandler reported about the pop-up. */
export interface PopupRequest {
  url: string;
  referrer?: Referrer;
  postBody?: PostBody;
}

export function popupLoadOptions({ referrer, postBody }: PopupRequest): LoadURLOptions {
  const options: LoadURLOptions = {};
  if (referrer) options.httpReferrer = referrer;
  if (postBody) {
    // One header line: a line break could not come from Chromium's own form encoding anyway.
    const oneLine = (text: string) => text.replace(/[\r\n]/g, '');
    const boundary = postBody.boundary ? `; boundary=${oneLine(postBody.boundary)}` : '';
    options.postData = postBody.data;
    options.extraHeaders = `content-type: ${oneLine(postBody.contentType)}${boundary}`;
  }
  return options;
}
