import type { Handlers } from '../dispatch';
import { ServiceError } from '../errors';
import { actor, endTurn, publicUser, shownUsers, signOutOtherConsoles, type ServiceDeps } from '../deps';
import type { CallContext } from '../context';
import type { LoginFailure } from '../../auth';
import type { Channel } from '../../../../shared/ipc/contract';
import type { AuditEventInput } from '../../../../shared/model/audit';
import type { User } from '../../../../shared/model/staff';
import { resealOwnerKey, TrustError } from '../../trust';

type AuthChannels = 'app:status' | 'app:language' | 'auth:setup-owner' | 'auth:login' | 'auth:logout' | 'auth:change-password';

export function loginFailure(failure: LoginFailure): ServiceError {
  if (failure.reason === 'locked')
    return new ServiceError('locked', `too many wrong passwords: locked until ${new Date(failure.lockedUntil).toISOString()}`, [
      { path: 'lockedUntil', message: String(failure.lockedUntil) },
    ]);
  if (failure.reason === 'disabled') return new ServiceError('disabled', 'this account is disabled; ask the owner');
  return new ServiceError('invalid-credentials', 'wrong user name or password');
}

/** Where a password was checked and found wrong, for the rows that say so. */
export interface PasswordCheckSite {
  /** The account whose password was checked (null: no such user name); a lockout is theirs. */
  userId: string | null;
  /** The console channel that checked it, named in the `login-failed` row. */
  channel: Channel;
  /** More for the `login-failed` row (sign-in: the user name typed). */
  detail?: Record<string, unknown>;
  /** The row this channel logs instead of `login-failed` (a step-up approval: its step-up-deny). */
  ownRow?: Omit<AuditEventInput, 'ts'>;
}

/**
 * A password check failed (sign-in, step-up approval, password change, the owner confirming an
 * export): logs it, and a `lockout` row when this very attempt locked the account, so guessing
 * shows in the log whichever screen it goes through. Answers the error to throw.
 */
export function passwordCheckFailed(deps: Pick<ServiceDeps, 'log' | 'clock'>, failure: LoginFailure, site: PasswordCheckSite): ServiceError {
  const ts = deps.clock();
  deps.log(site.ownRow ? { ...site.ownRow, ts } : { ts, kind: 'login-failed', actorId: site.userId, reason: failure.reason, detail: { channel: site.channel, ...site.detail } });
  if (failure.reason === 'locked' && failure.justLocked) deps.log({ ts, kind: 'lockout', actorId: site.userId, detail: { until: failure.lockedUntil } });
  return loginFailure(failure);
}

/**
 * The owner key (F25) re-sealed under the new password, to be written with it (null: no key yet);
 * `failed` when the key is sealed under some older password (the password change stands).
 */
async function resealedOwnerKey(deps: ServiceDeps, current: string, next: string): Promise<{ save: (() => void) | null } | { failed: TrustError }> {
  try {
    return { save: await resealOwnerKey(deps.repos.settings, current, next, { seal: deps.sealParams }) };
  } catch (error) {
    if (error instanceof TrustError) return { failed: error };
    throw error;
  }
}

async function signIn(deps: ServiceDeps, ctx: CallContext, user: User) {
  const previous = ctx.session.user;
  // Signed in at once, with the password just checked: a reset or a disable that lands while
  // the previous person's turn ends below signs this console out like any other.
  const now = deps.clock();
  ctx.session.user = publicUser(user);
  ctx.session.signedInAt = now;
  // Signing in over someone else ends their turn here, as if they had signed out.
  if (previous && previous.id !== user.id) await endTurn(deps, previous.id, 'another-user-signed-in', { next: user.id });
  deps.log({ ts: deps.clock(), kind: 'login', actorId: user.id });
  return { user: publicUser(user), signedInAt: now };
}

export function authHandlers(deps: ServiceDeps): Pick<Handlers, AuthChannels> {
  return {
    'app:status': (_req, ctx) => ({
      needsSetup: deps.auth.needsSetup(),
      session: ctx.session.user && ctx.session.signedInAt !== null ? { user: ctx.session.user, signedInAt: ctx.session.signedInAt } : null,
      users: shownUsers(deps, deps.repos.users.list()).filter((u) => !u.disabled),
    }),

    'app:language': (req) => {
      deps.hooks.languageChosen(req.language);
      return { ok: true as const };
    },

    'auth:setup-owner': async (req, ctx) => {
      const owner = await deps.auth.setupOwner(req.username, req.password, req.displayName);
      deps.policy.reload();
      return signIn(deps, ctx, owner);
    },

    'auth:login': async (req, ctx) => {
      const result = await deps.auth.login(req.username, req.password);
      if (result.ok) return signIn(deps, ctx, result.user);
      const known = deps.repos.users.findByUsername(req.username);
      throw passwordCheckFailed(deps, result, { userId: known?.id ?? null, channel: 'auth:login', detail: { username: req.username } });
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
      const user = actor(ctx);
      const change = await deps.auth.preparePasswordChange(user.id, req.current, req.next);
      if (!change.ok) throw passwordCheckFailed(deps, change, { userId: user.id, channel: 'auth:change-password' });
      // The owner key is sealed with the owner's password: it follows the change, in the same write.
      const ownerKey = user.kind === 'owner' ? await resealedOwnerKey(deps, req.current, req.next) : null;
      deps.db.transaction(() => {
        change.save();
        if (ownerKey && 'save' in ownerKey) ownerKey.save?.();
      })();
      deps.log({ ts: deps.clock(), kind: 'owner-change', actorId: user.id, detail: { entity: 'password', action: 'update', id: user.id } });
      if (ownerKey && 'failed' in ownerKey) {
        // Sealed under an older password: the password change stands; the next policy export says so.
        deps.log({ ts: deps.clock(), kind: 'policy-error', actorId: user.id, reason: 'owner-key-reseal-failed', detail: { code: ownerKey.failed.code } });
      }
      // Consoles signed in with the old password (at another screen) must not keep its rights.
      await signOutOtherConsoles(deps, user.id, ctx.session);
      return { ok: true as const };
    },
  };
}
