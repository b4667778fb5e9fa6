import type { Database } from 'better-sqlite3';
import type { Platform } from '../../../shared/catalog/schema';
import type { PublicUser } from '../../../shared/ipc/contract';
import type { AuditEventInput, ChainVerdict } from '../../../shared/model/audit';
import type { User } from '../../../shared/model/staff';
import type { PolicyHolder } from '../app/policy-holder';
import type { HostHooks } from '../app/host';
import type { StepUpDesk } from '../app/step-up-desk';
import type { AlertWatch } from '../app/alert-watch';
import type { SealParams } from '../trust/sealed-key';
import type { TrustDeps } from '../trust';
import type { ManagedPolicy } from '../trust/managed-policy';
import type { ConsoleSessions } from '../app/console-sessions';
import type { LogCutGate } from '../app/log-cut-gate';
import type { AuditReader } from '../audit';
import type { Auth } from '../auth';
import type { Clock } from '../db/clock';
import type { Repositories } from '../repos';
import type { CallContext, ConsoleSession } from './context';

/** Everything the use-cases work with; built once by AppCore. */
export interface ServiceDeps {
  repos: Repositories;
  auth: Auth;
  /** Appends one row to the operation log (batched by the writer). */
  log: (event: AuditEventInput) => void;
  /** Writes a row as part of the caller's open transaction; call the answer after the commit. */
  logInTransaction: (event: AuditEventInput) => () => void;
  reader: AuditReader;
  /** Commits queued log rows, so the owner's view includes what just happened. */
  flushLog: () => void;
  /** A reader on a connection of its own, for long iterations (exports). */
  openReader: () => { reader: AuditReader; close: () => void };
  /** The database file, for export workers that open their own connections. */
  databaseFile: string;
  verifyLog: () => ChainVerdict;
  policy: PolicyHolder;
  hooks: HostHooks;
  clock: Clock;
  platforms: () => readonly Platform[];
  sessions: ConsoleSessions;
  stepUps: StepUpDesk;
  /** Where log exports are written. */
  exportsDir: string;
  /** The write connection, for the trust use-cases' own transactions (electron/core/trust). */
  db: Database;
  /** Where retention writes its archives (F22). */
  archivesDir: string;
  /** Exports read the log whole: retention's cut waits for them (and they for it). */
  logCutGate: LogCutGate;
  /** The alert rules watching the log (F24). */
  alerts: AlertWatch;
  /** Whether this machine takes its policy from signed bundles only, and the key they need (F25). */
  managed: ManagedPolicy;
  /** Cost of sealing the owner key (tests lower it); default the trust core's. */
  sealParams?: SealParams;
}

/** What the trust core needs, from the service's deps (its log rows go through the one writer). */
export function trustDeps(deps: ServiceDeps): TrustDeps {
  return { db: deps.db, repos: deps.repos, clock: deps.clock, log: deps.log, logInTransaction: deps.logInTransaction };
}

/**
 * Closes every store of the user and signs them out everywhere, at once (F7): after disabling,
 * deleting or resetting the password of a staff member, and after an automatic suspension.
 */
export async function cutOffStaff(deps: Pick<ServiceDeps, 'sessions' | 'hooks'>, userId: string, reason: 'disabled' | 'password-reset'): Promise<void> {
  // Told before signing out: hosts route the event to the consoles signed in as the user.
  deps.hooks.emit({ type: 'signed-out', reason }, userId);
  deps.sessions.signOutEverywhere(userId);
  await deps.hooks.closeStore(null, userId, reason === 'disabled' ? 'disabled' : 'revoked');
}

/**
 * A person's turn at a console ended without them signing out (someone signed in over them, or
 * the console went away): logged as a logout, and their store windows close unless they are
 * still signed in on another console — the next person must not carry on in them.
 */
export async function endTurn(
  deps: Pick<ServiceDeps, 'sessions' | 'hooks' | 'log' | 'clock'>,
  userId: string,
  reason: 'another-user-signed-in' | 'console-closed' | 'password-changed',
  detail: Record<string, unknown> = {},
): Promise<void> {
  deps.log({ ts: deps.clock(), kind: 'logout', actorId: userId, reason, detail });
  if (!deps.sessions.isSignedIn(userId)) await deps.hooks.closeStore(null, userId, 'closed');
}

/**
 * The user changed their own password: every other console signed in as them (maybe with the
 * old password, at another screen) is signed out and told so; the one that made the change
 * stays. Their store windows are the person's, who is still signed in here, so they stay open.
 */
export async function signOutOtherConsoles(deps: Pick<ServiceDeps, 'sessions' | 'hooks' | 'log' | 'clock'>, userId: string, keep: ConsoleSession): Promise<void> {
  if (!deps.sessions.isSignedIn(userId, keep)) return;
  // Hosts send a user's event to the consoles signed in as them at that moment: this one is left out.
  const kept = keep.user;
  keep.user = null;
  try {
    deps.hooks.emit({ type: 'signed-out', reason: 'logout' }, userId);
  } finally {
    keep.user = kept;
  }
  const consoles = deps.sessions.signOutEverywhere(userId, keep);
  await endTurn(deps, userId, 'password-changed', { consoles });
}

export function publicUser(user: User): PublicUser {
  return { id: user.id, username: user.username, displayName: user.displayName, kind: user.kind, disabled: user.disabled };
}

/** Users as the console shows them: suspended on this computer reads as disabled. */
export function shownUsers(deps: Pick<ServiceDeps, 'repos'>, users: readonly User[]): PublicUser[] {
  return deps.repos.suspensions.withSuspensions(users).map(publicUser);
}

export function shownUser(deps: Pick<ServiceDeps, 'repos'>, user: User): PublicUser {
  return shownUsers(deps, [user])[0]!;
}

/** The signed-in user of a call (dispatch has already checked access). */
export function actor(ctx: CallContext): PublicUser {
  const user = ctx.session.user;
  if (!user) throw new Error('handler reached without a signed-in user');
  return user;
}

/**
 * An owner-change row (F19) with the entity as it was and as it is, so the log viewer can show
 * what changed. Secrets never get here: repositories answer without them.
 */
export function logChange(deps: ServiceDeps, ctx: CallContext, entity: string, action: 'create' | 'update' | 'delete', id: string, before: unknown, after: unknown, storeId: string | null = null): void {
  deps.log({
    ts: deps.clock(),
    kind: 'owner-change',
    actorId: actor(ctx).id,
    storeId,
    detail: { entity, action, id, before: before ?? null, after: after ?? null },
  });
}
