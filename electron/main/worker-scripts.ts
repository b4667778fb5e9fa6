// Workers whose own traffic Electron's request hooks never see, told apart by the request for
// their script (onBeforeSendHeaders), the last point where the host can stop them. No Electron import.

/**
 * `service-worker`: its WebSockets and the navigations it answers escape webRequest.
 * `shared-worker`: it has no frame, and Electron intercepts no WebSocket without one.
 * (A dedicated worker's sockets carry its page's frame and are decided like the page's.)
 */
export type UnguardedWorker = 'service-worker' | 'shared-worker';

/** Which unguarded worker a request fetches the script of, from its headers; null: none. */
export function unguardedWorkerScript(requestHeaders: Readonly<Record<string, string>>): UnguardedWorker | null {
  const header = (name: string): string => {
    const found = Object.entries(requestHeaders).find(([key]) => key.toLowerCase() === name);
    return found ? String(found[1]).trim().toLowerCase() : '';
  };
  if (header('service-worker') === 'script') return 'service-worker';
  if (header('sec-fetch-dest') === 'sharedworker') return 'shared-worker';
  return null;
}
