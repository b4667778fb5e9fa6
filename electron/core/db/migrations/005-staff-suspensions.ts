import type { Database } from 'better-sqlite3';
import type { Migration } from '../migrate';

/**
 * Suspensions are this computer's own (repos/suspensions.ts): an alert that suspends a staff
 * member automatically (F24), or the owner disabling someone on a managed staff machine, where
 * the users table is the owner's signed policy and is put back from it. Kept apart from
 * `users.disabled` so the signed policy never sees them; a person removed by a policy goes with
 * their suspension.
 */
export const staffSuspensionsSchema: Migration = {
  version: 5,
  name: 'staff suspensions kept on this computer',
  up(db: Database) {
    db.exec(`
CREATE TABLE staff_suspensions (
  user_id    TEXT    PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  source     TEXT    NOT NULL CHECK (source IN ('alert', 'owner')),
  created_at INTEGER NOT NULL
) STRICT;
`);
  },
};
