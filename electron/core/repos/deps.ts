import type { Database } from 'better-sqlite3';
import type { Clock } from '../db/clock';
import type { SecretBox } from '../secrets/secret-box';

/** What every repository is built from. `newId` is injectable so tests can predict ids. */
export interface RepoDeps {
  db: Database;
  clock: Clock;
  newId: () => string;
  /** Seals secrets at rest (the host's OS keychain); null keeps them as plain text. */
  secretBox: SecretBox | null;
}

/** The keys of a patch that are actually given: `{ name: undefined }` changes nothing. */
export function definedEntries<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}
