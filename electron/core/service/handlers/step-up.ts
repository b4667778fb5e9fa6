import type { Handlers } from '../dispatch';
import { ServiceError } from '../errors';
import { actor, type ServiceDeps } from '../deps';
import { passwordCheckFailed } from './auth';

type StepUpChannels = 'stepup:pending' | 'stepup:approve' | 'stepup:dismiss';

/**
 * F17: the owner, at the staff member's screen, approves one step-up page with their password.
 * The grant covers that page's filter, for that person and store, for N minutes; every answer
 * is logged (a denied step-up is something the owner's alerts watch for).
 */
export function stepUpHandlers(deps: ServiceDeps): Pick<Handlers, StepUpChannels> {
  const ownRequest = (requestId: string, userId: string) => {
    const request = deps.stepUps.get(requestId);
    if (!request || request.userId !== userId) throw new ServiceError('not-found', 'this approval request is no longer waiting');
    return request;
  };
  return {
    'stepup:pending': (_req, ctx) => deps.stepUps.forUser(actor(ctx).id),

    'stepup:approve': async (req, ctx) => {
      const owner = deps.repos.users.getOwner();
      if (!owner) throw new ServiceError('not-found', 'there is no owner account');
      // Claimed before the slow password check, so a second approval meanwhile finds it gone.
      const request = ownRequest(req.requestId, actor(ctx).id);
      deps.stepUps.take(request.id);
      const logged = { actorId: request.userId, storeId: request.storeId, url: request.url, ruleId: request.filter.slice(0, 200) };
      const check = await deps.auth.confirmPassword(owner.id, req.ownerPassword).catch((error: unknown) => {
        deps.stepUps.putBack(request);
        throw error;
      });
      if (!check.ok) {
        deps.stepUps.putBack(request); // the owner may try again
        const denied = { kind: 'step-up-deny', ...logged, decision: 'blocked', reason: `owner-password-${check.reason}` } as const;
        throw passwordCheckFailed(deps, check, { userId: owner.id, channel: 'stepup:approve', ownRow: denied });
      }
      const now = deps.clock();
      const until = now + req.minutes * 60_000;
      deps.policy.addGrant({ userId: request.userId, storeId: request.storeId, filter: request.filter, until });
      deps.log({ ts: now, kind: 'step-up-grant', ...logged, decision: 'allowed', detail: { approvedBy: owner.id, minutes: req.minutes, until } });
      return { until };
    },

    'stepup:dismiss': (req, ctx) => {
      const request = ownRequest(req.requestId, actor(ctx).id);
      deps.stepUps.take(request.id);
      deps.log({ ts: deps.clock(), kind: 'step-up-deny', actorId: request.userId, storeId: request.storeId, url: request.url, decision: 'blocked', reason: 'dismissed' });
      return { ok: true as const };
    },
  };
}
