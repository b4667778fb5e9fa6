import type { Channel, RequestOf, ResponseOf } from './contract';
import { AppEvent } from './events';
import type { IpcError, IpcResult } from './result';

/**
 * How a console reaches the main process. The Electron preload exposes exactly this object as
 * `window.shopwarden`; the system-browser host's page builds one over HTTP (see http-bridge.ts).
 */
export interface Transport {
  invoke(channel: string, payload: unknown): Promise<IpcResult<unknown>>;
  /** Returns the unsubscribe function. */
  onEvent(listener: (event: unknown) => void): () => void;
}

/** A failed call, carrying the service's error code and field issues for forms to show. */
export class IpcCallError extends Error {
  readonly code: IpcError['code'];
  readonly issues: IpcError['issues'];
  constructor(
    readonly channel: string,
    error: IpcError,
  ) {
    super(error.message);
    this.name = 'IpcCallError';
    this.code = error.code;
    this.issues = error.issues;
  }
}

export interface ShopWardenClient {
  call<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<ResponseOf<C>>;
  onEvent(listener: (event: AppEvent) => void): () => void;
}

/** The typed API on top of a transport: the renderer uses nothing else to talk to the host. */
export function createClient(transport: Transport): ShopWardenClient {
  return {
    async call(channel, payload) {
      const result = await transport.invoke(channel, payload);
      if (!result.ok) throw new IpcCallError(channel, result.error);
      return result.data as never;
    },
    onEvent(listener) {
      return transport.onEvent((raw) => {
        const parsed = AppEvent.safeParse(raw);
        if (parsed.success) listener(parsed.data);
      });
    },
  };
}
