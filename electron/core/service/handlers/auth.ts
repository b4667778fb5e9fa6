import type { Handlers } from '../dispatch';
import { ServiceError } from '../errors';
import { actor, endTurn, publicUser, shownUsers, type ServiceDeps } from '../deps';
import type { CallContext } from '../context';
import type { LoginFailure } from '../../auth';
import type { User } from '../../../../shared/model/staff';
import { resealOwnerKey, TrustError } from '../../trust';

type AuthChannels = 'app:status' | 'auth:setup-owner' | 'auth:login' | 'auth:logout' | 'auth:change-password';

export function loginFailure(failure: LoginFailure): ServiceError {
  if (failure.reason === 'locked')
    return new ServiceError('locked', `too many wrong passwords: locked until ${new Date(failure.lockedUntil).toISOString()}`, [
      { path: 'lockedUntil', message: String(failure.lockedUntil) },
    ]);
  if (failure.reason === 'disabled') return new ServiceError('disabled', 'this account is disabled; ask the owner');
  return new ServiceError('invalid-credentials', 'wrong user name or password');
}

async function signIn(deps: ServiceDeps, ctx: CallContext, user: User) {
  const previous = ctx.session.user;
  ctx.session.user = null;
  // Signing in over someone else ends their turn here, as if they had signed out.
  if (previous && previous.id !== user.id) await endTurn(deps, previous.id, 'another-user-signed-in', { next: user.id });
  const now = deps.clock();
  ctx.session.user = publicUser(user);
  ctx.session.signedInAt = now;
  deps.log({ ts: now, kind: 'login', actorId: user.id });
  return { user: ctx.session.user, signedInAt: now };
}

export function authHandlers(deps: ServiceDeps): Pick<Handlers, AuthChannels> {
  return {
    'app:status': (_req, ctx) => ({
      needsSetup: deps.auth.needsSetup(),
      session: ctx.session.user && ctx.session.signedInAt !== null ? { user: ctx.session.user, signedInAt: ctx.session.signedInAt } : null,
      users: shownUsers(deps, deps.repos.users.list()).filter((u) => !u.disabled),
    }),

    'auth:setup-owner': async (req, ctx) => {
      const owner = await deps.auth.setupOwner(req.username, req.password, req.displayName);
      deps.policy.reload();
      return signIn(deps, ctx, owner);
    },

    'auth:login': async (req, ctx) => {
      const result = await deps.auth.login(req.username, req.password);
      if (result.ok) return signIn(deps, ctx, result.user);
      const known = deps.repos.users.findByUsername(req.username);
      const now = deps.clock();
      deps.log({ ts: now, kind: 'login-failed', actorId: known?.id ?? null, reason: result.reason, detail: { username: req.username } });
      if (result.reason === 'locked' && result.justLocked) deps.log({ ts: now, kind: 'lockout', actorId: known?.id ?? null, detail: { until: result.lockedUntil } });
      throw loginFailure(result);
    },

    'auth:logout': async (_req, ctx) => {
      const user = actor(ctx);
      deps.log({ ts: deps.clock(), kind: 'logout', actorId: user.id });
      ctx.session.user = null;
      ctx.session.signedInAt = null;
      // Signing out ends the person's store sessions too: the next person at this screen must not inherit them.
      await deps.hooks.closeStore(null, user.id, 'closed');
      return { ok: true as const };
    },

    'auth:change-password': async (req, ctx) => {
      const result = await deps.auth.changePassword(actor(ctx).id, req.current, req.next);
      if (!result.ok) throw loginFailure(result);
      deps.log({ ts: deps.clock(), kind: 'owner-change', actorId: actor(ctx).id, detail: { entity: 'password', action: 'update', id: actor(ctx).id } });
      if (actor(ctx).kind === 'owner') {
        // The owner key (F25) is sealed with the owner's password: it follows the change.
        try {
          await resealOwnerKey(deps.repos.settings, req.current, req.next, { seal: deps.sealParams });
        } catch (error) {
          if (!(error instanceof TrustError)) throw error;
          // Sealed under an older password: the password change stands; the next policy export says so.
          deps.log({ ts: deps.clock(), kind: 'policy-error', actorId: actor(ctx).id, reason: 'owner-key-reseal-failed', detail: { code: error.code } });
        }
      }
      return { ok: true as const };
    },
  };
}
