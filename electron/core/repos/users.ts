import { z } from 'zod';
import { User, UserKind, Username } from '../../../shared/model/staff';
import { RepoError } from '../db/errors';
import { isUniqueViolation, parseInput, parseRow, toFlag } from '../db/rows';
import type { RepoDeps } from './deps';

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  kind: string;
  disabled: number;
  password_hash: string;
  password_salt: string;
  failed_attempts: number;
  locked_until: number | null;
  created_at: number;
  updated_at: number;
}

/** Password material and lockout counters: core-only, never part of `User`. */
export interface UserCredentials {
  passwordHash: string;
  passwordSalt: string;
}

/** Failed-login bookkeeping, changed atomically through `updateLoginState`. */
export interface LoginState {
  failedAttempts: number;
  lockedUntil: number | null;
}

export interface UserAccount {
  user: User;
  credentials: UserCredentials;
  login: LoginState;
}

const NewUser = z.object({
  username: Username,
  displayName: z.string().trim().max(80).default(''),
  kind: UserKind,
  passwordHash: z.string().min(1),
  passwordSalt: z.string().min(1),
});
export type NewUser = z.input<typeof NewUser>;

const UserPatch = z.object({ username: Username.optional(), displayName: z.string().trim().max(80).optional() });
export type UserPatch = z.input<typeof UserPatch>;

/**
 * Comparison form of a login name: NFKC (full-width → ASCII, composed accents) then lower case,
 * so "Alice", "alice" and "ＡＬＩＣＥ" are one account. Stored in a UNIQUE column.
 */
export function usernameKey(username: string): string {
  return username.trim().normalize('NFKC').toLowerCase();
}

/** Accounts (F6, F7). Hashing and lockout policy live in core/auth; this only stores. */
export class UsersRepo {
  constructor(private readonly deps: RepoDeps) {}

  /** The owner first, then staff by name. */
  list(): User[] {
    const rows = this.deps.db.prepare("SELECT * FROM users ORDER BY kind = 'owner' DESC, username_key, id").all() as UserRow[];
    return rows.map(userFromRow);
  }

  get(id: string): User | null {
    const row = this.rowById(id);
    return row ? userFromRow(row) : null;
  }

  /** Case-insensitive (see usernameKey). */
  findByUsername(username: string): User | null {
    const row = this.rowByUsername(username);
    return row ? userFromRow(row) : null;
  }

  getAccount(id: string): UserAccount | null {
    const row = this.rowById(id);
    return row ? accountFromRow(row) : null;
  }

  findAccountByUsername(username: string): UserAccount | null {
    const row = this.rowByUsername(username);
    return row ? accountFromRow(row) : null;
  }

  getOwner(): User | null {
    const row = this.deps.db.prepare("SELECT * FROM users WHERE kind = 'owner'").get() as UserRow | undefined;
    return row ? userFromRow(row) : null;
  }

  hasOwner(): boolean {
    return this.deps.db.prepare("SELECT 1 FROM users WHERE kind = 'owner'").get() !== undefined;
  }

  /** Fails with `conflict` when the name is taken (in any letter case) or an owner already exists. */
  create(input: NewUser): User {
    const user = parseInput(NewUser, input, 'user');
    const id = this.deps.newId();
    const now = this.deps.clock();
    try {
      this.deps.db
        .prepare(
          `INSERT INTO users (id, username, username_key, display_name, kind, disabled, password_hash, password_salt, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`,
        )
        .run(id, user.username, usernameKey(user.username), user.displayName, user.kind, user.passwordHash, user.passwordSalt, now, now);
    } catch (error) {
      throw this.explainUniqueViolation(error, user.username, user.kind);
    }
    return this.get(id)!;
  }

  update(id: string, patch: UserPatch): User {
    const changes = parseInput(UserPatch, patch, 'user change');
    const current = this.require(id);
    const username = changes.username ?? current.username;
    const displayName = changes.displayName ?? current.displayName;
    try {
      this.deps.db
        .prepare('UPDATE users SET username = ?, username_key = ?, display_name = ?, updated_at = ? WHERE id = ?')
        .run(username, usernameKey(username), displayName, this.deps.clock(), id);
    } catch (error) {
      throw this.explainUniqueViolation(error, username, current.kind);
    }
    return this.get(id)!;
  }

  /** The owner cannot be disabled: nobody could manage the app any more. */
  setDisabled(id: string, disabled: boolean): User {
    const current = this.require(id);
    if (current.kind === 'owner' && disabled) throw new RepoError('conflict', 'the owner account cannot be disabled');
    this.deps.db.prepare('UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?').run(toFlag(disabled), this.deps.clock(), id);
    return this.get(id)!;
  }

  /** New password material; also lifts any lockout, as a fresh password starts a fresh count. */
  setCredentials(id: string, credentials: UserCredentials): void {
    const { changes } = this.deps.db
      .prepare('UPDATE users SET password_hash = ?, password_salt = ?, failed_attempts = 0, locked_until = NULL, updated_at = ? WHERE id = ?')
      .run(credentials.passwordHash, credentials.passwordSalt, this.deps.clock(), id);
    if (changes === 0) throw notFound(id);
  }

  /**
   * Replaces the credentials only if they are still `expected` (a login re-hashing with newer
   * settings must not write back a password that was reset meanwhile). Answers whether it did.
   */
  replaceCredentials(id: string, expected: UserCredentials, next: UserCredentials): boolean {
    const { changes } = this.deps.db
      .prepare('UPDATE users SET password_hash = ?, password_salt = ?, updated_at = ? WHERE id = ? AND password_hash = ? AND password_salt = ?')
      .run(next.passwordHash, next.passwordSalt, this.deps.clock(), id, expected.passwordHash, expected.passwordSalt);
    return changes === 1;
  }

  /**
   * Read-modify-write of the lockout counters in one transaction, so two logins finishing at
   * once cannot lose a failed attempt. `change` also gets the credentials as they are now (a
   * check made against older ones is stale). Returns the state written.
   */
  updateLoginState(id: string, change: (current: LoginState, credentials: UserCredentials) => LoginState): LoginState {
    return this.deps.db.transaction(() => {
      const row = this.rowById(id);
      if (!row) throw notFound(id);
      const next = change({ failedAttempts: row.failed_attempts, lockedUntil: row.locked_until }, { passwordHash: row.password_hash, passwordSalt: row.password_salt });
      this.deps.db.prepare('UPDATE users SET failed_attempts = ?, locked_until = ? WHERE id = ?').run(next.failedAttempts, next.lockedUntil, id);
      return next;
    })();
  }

  /** Deletes a staff account and its assignments (ON DELETE CASCADE). The owner stays. */
  delete(id: string): void {
    const current = this.require(id);
    if (current.kind === 'owner') throw new RepoError('conflict', 'the owner account cannot be deleted');
    this.deps.db.prepare('DELETE FROM users WHERE id = ?').run(id);
  }

  private require(id: string): User {
    const user = this.get(id);
    if (!user) throw notFound(id);
    return user;
  }

  private rowById(id: string): UserRow | undefined {
    return this.deps.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
  }

  private rowByUsername(username: string): UserRow | undefined {
    return this.deps.db.prepare('SELECT * FROM users WHERE username_key = ?').get(usernameKey(username)) as UserRow | undefined;
  }

  private explainUniqueViolation(error: unknown, username: string, kind: string): unknown {
    if (!isUniqueViolation(error)) return error;
    const sameName = this.rowByUsername(username);
    if (sameName) {
      const taken = sameName.username === username ? '' : ` (as "${sameName.username}")`;
      return new RepoError('conflict', `username "${username}" is already taken${taken}`, [{ path: 'username', message: 'already taken' }]);
    }
    if (kind === 'owner') return new RepoError('conflict', 'an owner account already exists');
    return error;
  }
}

function notFound(id: string): RepoError {
  return new RepoError('not-found', `user ${id} not found`);
}

function userFromRow(row: UserRow): User {
  return parseRow(
    User,
    {
      id: row.id,
      username: row.username,
      displayName: row.display_name,
      kind: row.kind,
      disabled: row.disabled === 1,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    },
    'users',
    row.id,
  );
}

function accountFromRow(row: UserRow): UserAccount {
  return {
    user: userFromRow(row),
    credentials: { passwordHash: row.password_hash, passwordSalt: row.password_salt },
    login: { failedAttempts: row.failed_attempts, lockedUntil: row.locked_until },
  };
}
