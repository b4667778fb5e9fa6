import { StaffInput, Username, type User } from '../../../shared/model/staff';
import type { Clock } from '../db/clock';
import { RepoError } from '../db/errors';
import { parseInput } from '../db/rows';
import type { LoginState, UserAccount, UserCredentials, UsersRepo } from '../repos/users';
import { AuthError } from './errors';
import { afterFailedAttempt, CLEAN_LOGIN_STATE, DEFAULT_LOCKOUT_POLICY, isLocked, type LockoutPolicy } from './lockout';
import { checkNewPassword } from './password-policy';
import { DEFAULT_SCRYPT_PARAMS, dummyCredentials, hashPassword, needsRehash, verifyPassword, type ScryptParams } from './password-hash';

export type LoginFailure =
  | { ok: false; reason: 'invalid-credentials' }
  | { ok: false; reason: 'disabled' }
  /** `justLocked`: this very attempt was the last allowed one (worth an audit "lockout" row). */
  | { ok: false; reason: 'locked'; lockedUntil: number; justLocked: boolean };

export type LoginResult = { ok: true; user: User } | LoginFailure;

export type PasswordChangeResult = { ok: true } | LoginFailure;

/** A password change checked and hashed but not written yet: `save()` writes it. */
export type PreparedPasswordChange = { ok: true; save: () => void } | LoginFailure;

export interface AuthOptions {
  users: UsersRepo;
  clock: Clock;
  /** Cost of new hashes; tests lower it. Defaults to DEFAULT_SCRYPT_PARAMS. */
  scrypt?: ScryptParams;
  lockout?: LockoutPolicy;
  /** Staff suspended on this computer (repos/suspensions.ts) sign in no more than disabled ones. */
  isSuspended?: (userId: string) => boolean;
}

const INVALID: LoginFailure = { ok: false, reason: 'invalid-credentials' };

/**
 * Accounts and sign-in (F6, F7). Every password check costs exactly one scrypt, whether the
 * user exists, is locked or not, so neither the answer's timing nor its absence reveals
 * accounts beyond what the reason says. Wrong passwords count towards the lockout.
 */
export class Auth {
  private readonly users: UsersRepo;
  private readonly clock: Clock;
  private readonly scrypt: ScryptParams;
  private readonly lockout: LockoutPolicy;
  private readonly dummy: UserCredentials;
  private readonly isSuspended: (userId: string) => boolean;

  constructor(options: AuthOptions) {
    this.users = options.users;
    this.clock = options.clock;
    this.scrypt = options.scrypt ?? DEFAULT_SCRYPT_PARAMS;
    this.lockout = options.lockout ?? DEFAULT_LOCKOUT_POLICY;
    this.isSuspended = options.isSuspended ?? (() => false);
    this.dummy = dummyCredentials(this.scrypt);
  }

  /** First run: no owner yet (F6). */
  needsSetup(): boolean {
    return !this.users.hasOwner();
  }

  /** Creates the owner account; refused with `already-set-up` once an owner exists. */
  async setupOwner(username: string, password: string, displayName = ''): Promise<User> {
    this.refuseIfSetUp();
    parseInput(Username, username, 'username');
    checkNewPassword(password);
    const credentials = await hashPassword(password, this.scrypt);
    this.refuseIfSetUp(); // a second setup may have finished while we were hashing
    try {
      return this.users.create({ username, displayName, kind: 'owner', ...credentials });
    } catch (error) {
      if (error instanceof RepoError && error.code === 'conflict') this.refuseIfSetUp();
      throw error;
    }
  }

  /** A staff account (F7); `conflict` when the username is taken in any letter case. */
  async createStaff(input: StaffInput): Promise<User> {
    checkNewPassword(input.password);
    const staff = parseInput(StaffInput, input, 'staff member');
    const taken = this.users.findByUsername(staff.username);
    if (taken) throw new RepoError('conflict', `username "${staff.username}" is already taken`, [{ path: 'username', message: 'already taken' }]);
    const credentials = await hashPassword(staff.password, this.scrypt);
    return this.users.create({ username: staff.username, displayName: staff.displayName, kind: 'staff', ...credentials });
  }

  async login(username: string, password: string): Promise<LoginResult> {
    return this.attempt(this.users.findAccountByUsername(username), password);
  }

  /** Checks the password of a known user, e.g. the owner approving a step-up (F17). Same rules as login. */
  async confirmPassword(userId: string, password: string): Promise<LoginResult> {
    return this.attempt(this.users.getAccount(userId), password);
  }

  /** The user's own change: needs the current password (a wrong one counts towards the lockout). */
  async changePassword(userId: string, currentPassword: string, nextPassword: string): Promise<PasswordChangeResult> {
    const change = await this.preparePasswordChange(userId, currentPassword, nextPassword);
    if (!change.ok) return change;
    change.save();
    return { ok: true };
  }

  /**
   * changePassword without the write: checks the current password and hashes the next one, and
   * writes nothing until `save()`, which a caller can run in one transaction with writes that
   * must follow the password (the owner key sealed with it).
   */
  async preparePasswordChange(userId: string, currentPassword: string, nextPassword: string): Promise<PreparedPasswordChange> {
    checkNewPassword(nextPassword, 'next');
    const account = this.users.getAccount(userId);
    if (!account) throw new RepoError('not-found', `user ${userId} not found`);
    const check = await this.attempt(account, currentPassword);
    if (!check.ok) return check;
    const credentials = await hashPassword(nextPassword, this.scrypt);
    return { ok: true, save: () => this.users.setCredentials(userId, credentials) };
  }

  /** The owner sets a new password for someone (forgotten password); also lifts a lockout. */
  async resetPassword(userId: string, nextPassword: string): Promise<void> {
    checkNewPassword(nextPassword);
    if (!this.users.get(userId)) throw new RepoError('not-found', `user ${userId} not found`);
    this.users.setCredentials(userId, await hashPassword(nextPassword, this.scrypt));
  }

  private refuseIfSetUp(): void {
    if (this.users.hasOwner()) throw new AuthError('already-set-up', 'the owner account already exists; sign in instead');
  }

  private updateLoginStateIfExists(id: string, change: (current: LoginState, credentials: UserCredentials) => LoginState): LoginState | null {
    try {
      return this.users.updateLoginState(id, change);
    } catch (error) {
      if (error instanceof RepoError && error.code === 'not-found') return null;
      throw error;
    }
  }

  private async attempt(account: UserAccount | null, password: string): Promise<LoginResult> {
    if (!account) {
      await verifyPassword(password, this.dummy);
      return INVALID;
    }
    const { id } = account.user;
    if (isLocked(account.login, this.clock())) {
      await verifyPassword(password, this.dummy);
      return { ok: false, reason: 'locked', lockedUntil: account.login.lockedUntil, justLocked: false };
    }
    const matches = await verifyPassword(password, account.credentials);
    // Re-read inside the write: another attempt may have changed the counters while we hashed,
    // and the owner may have reset the password (the check was against the old one: no match).
    const now = this.clock();
    let justLocked = false;
    let stale = false;
    const state = this.updateLoginStateIfExists(id, (current, credentials) => {
      if (isLocked(current, now)) return current;
      if (!sameCredentials(credentials, account.credentials)) {
        stale = true;
        return current;
      }
      if (matches) return CLEAN_LOGIN_STATE;
      const next = afterFailedAttempt(current, now, this.lockout);
      justLocked = isLocked(next, now);
      return next;
    });
    if (!state || stale) return INVALID; // deleted, or given a new password, while we hashed
    if (isLocked(state, now)) return { ok: false, reason: 'locked', lockedUntil: state.lockedUntil, justLocked };
    if (!matches) return INVALID;
    // Stronger hashing settings since: re-hashed, unless the password changed meanwhile.
    if (needsRehash(account.credentials, this.scrypt) && !this.users.replaceCredentials(id, account.credentials, await hashPassword(password, this.scrypt))) return INVALID;
    // Read last, after every wait: disabled or suspended meanwhile is not signed in.
    const user = this.users.get(id);
    if (!user) return INVALID;
    if (user.disabled || this.isSuspended(user.id)) return { ok: false, reason: 'disabled' };
    return { ok: true, user };
  }
}

function sameCredentials(a: UserCredentials, b: UserCredentials): boolean {
  return a.passwordHash === b.passwordHash && a.passwordSalt === b.passwordSalt;
}
