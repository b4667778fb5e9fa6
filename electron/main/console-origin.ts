// The console's own origin and the checks made against it (no Electron import: unit-tested).
// The console is served from a privileged custom scheme, `app://console/…`, so it has a stable
// origin of its own that no web page can take.

export const CONSOLE_SCHEME = 'app';
export const CONSOLE_HOST = 'console';

/** The console page's address; `query` carries start-up hints (language, last user). */
export function consoleUrl(query: Readonly<Record<string, string>> = {}): string {
  const url = new URL(`${CONSOLE_SCHEME}://${CONSOLE_HOST}/index.html`);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return url.toString();
}

/**
 * Whether `raw` is an address on the console's origin. Compared by parsed scheme and host (Node's
 * URL reports the origin of a non-special scheme as "null", so origins cannot be compared as
 * strings); no user info, no port.
 */
export function isConsoleUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === `${CONSOLE_SCHEME}:` && url.hostname === CONSOLE_HOST && url.port === '' && url.username === '' && url.password === '';
}

export interface SenderFacts {
  /** webContents id of the sender, and of the console window it must be. */
  senderId: number;
  consoleId: number;
  /** The sending frame: null when it navigated away or was destroyed before the handler ran. */
  frame: { url: string; isTopFrame: boolean } | null;
}

/**
 * An IPC call is accepted only from the console window's own webContents, from its top frame,
 * while that frame shows the console origin. A store page never has the preload, but should
 * anything else ever reach the channel (an iframe in the console, a page the console was
 * navigated to) it is refused here.
 */
export function isTrustedConsoleSender(facts: SenderFacts): boolean {
  return facts.senderId === facts.consoleId && facts.frame !== null && facts.frame.isTopFrame && isConsoleUrl(facts.frame.url);
}
