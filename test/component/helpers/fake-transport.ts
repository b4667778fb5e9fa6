// An in-memory Transport for component tests: answers each channel with a handler the test
// gives, records every call, and pushes events on demand. (The real host and core are tested
// end to end elsewhere; here only the console's behaviour is under test.)
import type { Transport } from '../../../shared/ipc/client';
import type { Channel, RequestOf, ResponseOf } from '../../../shared/ipc/contract';
import type { AppEvent } from '../../../shared/ipc/events';
import type { IpcError, IpcResult } from '../../../shared/ipc/result';

export class FakeIpcError extends Error {
  constructor(readonly error: IpcError) {
    super(error.message);
  }
}

/** Throw from a handler to answer with an error. */
export function fail(code: IpcError['code'], message: string = code, issues: IpcError['issues'] = []): never {
  throw new FakeIpcError({ code, message, issues });
}

type Handler<C extends Channel> = (payload: RequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>>;
export type Handlers = { [C in Channel]?: Handler<C> };

export interface RecordedCall {
  channel: string;
  payload: unknown;
}

export class FakeTransport implements Transport {
  readonly calls: RecordedCall[] = [];
  private readonly listeners = new Set<(event: unknown) => void>();

  constructor(public handlers: Handlers = {}) {}

  on<C extends Channel>(channel: C, handler: Handler<C>): this {
    (this.handlers as Record<string, unknown>)[channel] = handler;
    return this;
  }

  async invoke(channel: string, payload: unknown): Promise<IpcResult<unknown>> {
    this.calls.push({ channel, payload });
    const handler = (this.handlers as Record<string, ((p: unknown) => unknown) | undefined>)[channel];
    if (!handler) return { ok: false, error: { code: 'unknown-channel', message: `the fake has no handler for ${channel}`, issues: [] } };
    try {
      return { ok: true, data: await handler(payload) };
    } catch (error) {
      if (error instanceof FakeIpcError) return { ok: false, error: error.error };
      throw error;
    }
  }

  onEvent(listener: (event: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: AppEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  callsTo(channel: Channel): unknown[] {
    return this.calls.filter((c) => c.channel === channel).map((c) => c.payload);
  }
}
