import type { z } from 'zod';
import { contract, isChannel, type Channel, type Contract, type ResponseOf } from '../../../shared/ipc/contract';
import type { IpcResult } from '../../../shared/ipc/result';
import { ServiceError, asServiceError, issuesFromZod, managedRefusal } from './errors';
import type { CallContext } from './context';

export type Handler<C extends Channel> = (request: z.output<Contract[C]['request']>, ctx: CallContext) => ResponseOf<C> | Promise<ResponseOf<C>>;
export type Handlers = { [C in Channel]: Handler<C> };

/**
 * The single entry point both hosts call for every console request: checks the channel, the
 * caller's access and the payload against the contract, runs the use-case, and answers through
 * the response schema too, so nothing outside the contract (a password hash…) can leak out.
 */
export async function dispatch(handlers: Handlers, channelName: unknown, payload: unknown, ctx: CallContext): Promise<IpcResult<unknown>> {
  try {
    if (!isChannel(channelName)) throw new ServiceError('unknown-channel', `unknown channel ${JSON.stringify(String(channelName)).slice(0, 80)}`);
    const spec = contract[channelName];
    const user = ctx.session.user;
    if (spec.access !== 'public' && !user) throw new ServiceError('not-signed-in', 'sign in first');
    if (spec.access === 'owner' && user?.kind !== 'owner') throw new ServiceError('forbidden', 'only the owner may do this');
    if (spec.changesPolicy && ctx.policyManaged?.()) throw managedRefusal();
    const parsed = spec.request.safeParse(payload ?? {});
    if (!parsed.success) throw new ServiceError('invalid-payload', `invalid request for ${channelName}`, issuesFromZod(parsed.error.issues));
    const handler = handlers[channelName] as (req: unknown, ctx: CallContext) => unknown;
    const result = await handler(parsed.data, ctx);
    return { ok: true, data: spec.response.parse(result) };
  } catch (error) {
    const expected = asServiceError(error);
    if (expected) return { ok: false, error: { code: expected.code, message: expected.message, issues: expected.issues } };
    ctx.reportInternalError?.(error);
    return { ok: false, error: { code: 'internal', message: 'internal error (logged)', issues: [] } };
  }
}
