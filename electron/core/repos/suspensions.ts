import type { RepoDeps } from './deps';

/** Who suspended a staff member on this computer: an alert rule, or the owner on a managed machine. */
export type SuspensionSource = 'alert' | 'owner';

/**
 * Staff members suspended on this computer (migration 5): they cannot sign in and the guard
 * treats them as disabled, like `users.disabled`, but outside the signed policy a managed staff
 * machine restores its tables from.
 */
export class SuspensionsRepo {
  constructor(private readonly deps: RepoDeps) {}

  userIds(): Set<string> {
    const rows = this.deps.db.prepare('SELECT user_id FROM staff_suspensions').pluck().all() as string[];
    return new Set(rows);
  }

  /** The users as they count on this computer: a suspended one reads as disabled. */
  withSuspensions<U extends { id: string; disabled: boolean }>(users: readonly U[]): U[] {
    const suspended = this.userIds();
    return users.map((user) => (suspended.has(user.id) ? { ...user, disabled: true } : user));
  }

  has(userId: string): boolean {
    return this.deps.db.prepare('SELECT 1 FROM staff_suspensions WHERE user_id = ?').get(userId) !== undefined;
  }

  /** Suspends the user; false when they already were. */
  add(userId: string, source: SuspensionSource): boolean {
    const { changes } = this.deps.db
      .prepare('INSERT INTO staff_suspensions (user_id, source, created_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO NOTHING')
      .run(userId, source, this.deps.clock());
    return changes > 0;
  }

  /** Lifts the user's suspension; false when there was none. */
  remove(userId: string): boolean {
    return this.deps.db.prepare('DELETE FROM staff_suspensions WHERE user_id = ?').run(userId).changes > 0;
  }
}
