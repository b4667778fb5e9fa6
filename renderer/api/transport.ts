// How the console reaches the main process: the Electron preload's `window.shopwarden`, or, in
// the system-browser host (F30), the loopback HTTP bridge of shared/ipc/http-bridge.ts.
import type { Transport } from '../../shared/ipc/client';
import { BRIDGE_TOKEN_HEADER, CONSOLE_ID_HEADER, CONSOLE_ID_PATTERN, EVENTS_PATH, INVOKE_PATH, TOKEN_FRAGMENT_KEY } from '../../shared/ipc/http-bridge';
import type { IpcResult } from '../../shared/ipc/result';

declare global {
  interface Window {
    /** Set by the Electron preload (electron/preload/index.ts); absent in the system browser. */
    shopwarden?: Transport;
  }
}

export type HostKind = 'electron' | 'browser';

/** Where the bridge token survives a reload of this tab (never shared with other origins). */
const TOKEN_STORAGE_KEY = 'shopwarden.bridge-token';

function failure(message: string, code: 'forbidden' | 'internal' = 'internal'): IpcResult<never> {
  return { ok: false, error: { code, message, issues: [] } };
}

/**
 * Reads the bridge token from the page address (`#token=…`) once and removes it from the address
 * bar and the history entry, so it is not bookmarked, shown or copied along with the address.
 * A reload of the same tab finds it again in sessionStorage (per tab, same origin only).
 */
export function takeBridgeToken(win: Pick<Window, 'location' | 'history'> & { sessionStorage?: Storage }): string | null {
  const fragment = win.location.hash.replace(/^#/, '');
  const params = new URLSearchParams(fragment);
  const fromHash = params.get(TOKEN_FRAGMENT_KEY);
  if (fromHash !== null) {
    params.delete(TOKEN_FRAGMENT_KEY);
    const rest = params.toString();
    const clean = `${win.location.pathname}${win.location.search}${rest ? `#${rest}` : ''}`;
    win.history.replaceState(win.history.state, '', clean);
    try {
      win.sessionStorage?.setItem(TOKEN_STORAGE_KEY, fromHash);
    } catch {
      // storage refused: the token still works until the page is reloaded
    }
    return fromHash;
  }
  try {
    return win.sessionStorage?.getItem(TOKEN_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

/** A random id per page load: two console tabs get two sessions, as two Electron windows would. */
export function newConsoleId(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  const bytes = random(new Uint8Array(18));
  const id = Array.from(bytes, (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.charAt(b % 64)).join('');
  if (!CONSOLE_ID_PATTERN.test(id)) throw new Error('console id does not fit the bridge pattern');
  return id;
}

export interface HttpTransportOptions {
  token: string;
  consoleId: string;
  /** Same origin by default. */
  base?: string;
  fetch?: typeof fetch;
  EventSource?: typeof EventSource;
}

/** The contract over loopback HTTP: POST /api/invoke/<channel>, events as server-sent events. */
export function httpTransport(options: HttpTransportOptions): Transport {
  const base = options.base ?? '';
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const Source = options.EventSource ?? (typeof EventSource === 'undefined' ? undefined : EventSource);
  return {
    async invoke(channel, payload) {
      let response: Response;
      try {
        response = await doFetch(`${base}${INVOKE_PATH}${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [BRIDGE_TOKEN_HEADER]: options.token, [CONSOLE_ID_HEADER]: options.consoleId },
          body: JSON.stringify(payload ?? {}),
          credentials: 'omit',
          cache: 'no-store',
        });
      } catch (error) {
        return failure(`ShopWarden is not reachable (${error instanceof Error ? error.message : String(error)})`);
      }
      if (response.status === 401 || response.status === 403)
        return failure('this console page is not connected to ShopWarden any more: open the console again from the app', 'forbidden');
      if (!response.ok) return failure(`ShopWarden answered HTTP ${response.status}`);
      try {
        return (await response.json()) as IpcResult<unknown>;
      } catch {
        return failure('ShopWarden answered something that is not JSON');
      }
    },
    onEvent(listener) {
      if (!Source) return () => {};
      const query = new URLSearchParams({ token: options.token, console: options.consoleId });
      const source = new Source(`${base}${EVENTS_PATH}?${query.toString()}`);
      source.onmessage = (message: MessageEvent<string>) => {
        try {
          listener(JSON.parse(message.data));
        } catch {
          // not JSON: ignored (the client validates events anyway)
        }
      };
      return () => source.close();
    },
  };
}

/** A transport that answers every call with the same error (no host found). */
export function unavailableTransport(message: string): Transport {
  return { invoke: async () => failure(message, 'forbidden'), onEvent: () => () => {} };
}

/** The preload's transport when present (Electron), else the HTTP bridge (system browser). */
export function chooseTransport(win: Window = window): { transport: Transport; host: HostKind } {
  if (win.shopwarden && typeof win.shopwarden.invoke === 'function') return { transport: win.shopwarden, host: 'electron' };
  const token = takeBridgeToken(win);
  if (!token) return { transport: unavailableTransport('no console token in the address: open the console from the ShopWarden app'), host: 'browser' };
  return { transport: httpTransport({ token, consoleId: newConsoleId() }), host: 'browser' };
}
