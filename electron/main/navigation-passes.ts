/**
 * One decision per navigation. A renderer-started navigation is decided (and logged) first in
 * `will-frame-navigate` — the only hook that also sees navigations a service worker answers —
 * and then its network request reaches `onBeforeRequest`. An allowed navigation leaves a one-shot
 * pass here so the request check does not decide and log the same navigation a second time.
 * A pass is only for a GET of the exact URL (fragment ignored) in the same webContents, is used
 * once, and expires after `ttlMs`; a POST (form submit) is always decided again with its method.
 */
export class NavigationPasses {
  private readonly passes = new Map<string, number>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs = 5000,
    private readonly maxEntries = 256,
  ) {}

  grant(webContentsId: number, url: string): void {
    const key = passKey(webContentsId, url);
    this.passes.delete(key);
    this.passes.set(key, this.now() + this.ttlMs);
    while (this.passes.size > this.maxEntries) {
      const oldest = this.passes.keys().next().value as string;
      this.passes.delete(oldest);
    }
  }

  /** True (and the pass is used up) when this GET was allowed a moment ago by the navigation hook. */
  take(webContentsId: number, url: string, method: string): boolean {
    const key = passKey(webContentsId, url);
    const expires = this.passes.get(key);
    if (expires === undefined) return false;
    this.passes.delete(key);
    return method.toUpperCase() === 'GET' && this.now() <= expires;
  }

  /** A tab closed: its passes go too. */
  forget(webContentsId: number): void {
    const prefix = `${webContentsId} `;
    for (const key of [...this.passes.keys()]) if (key.startsWith(prefix)) this.passes.delete(key);
  }
}

function passKey(webContentsId: number, url: string): string {
  const hash = url.indexOf('#');
  return `${webContentsId} ${hash === -1 ? url : url.slice(0, hash)}`;
}
