import type { Database } from 'better-sqlite3';
import { DatabaseTooNewError } from './errors';

/**
 * One step of the schema. Versions run 1, 2, 3… with no gaps; each `up` runs inside its own
 * transaction together with the bump of `PRAGMA user_version`, so a failing step leaves the
 * file exactly at the previous version. Steps never change once released: add a new one.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.at(-1)?.version ?? 0;
}

/** Versions must run 1, 2, 3… in order: a gap or a swap is a programming error. */
export function checkSequence(migrations: readonly Migration[]): void {
  migrations.forEach((m, index) => {
    if (m.version !== index + 1) {
      throw new Error(`migration list is broken: entry ${index} ("${m.name}") has version ${m.version}, expected ${index + 1}`);
    }
  });
}

export function assertNotTooNew(db: Database, migrations: readonly Migration[], file: string): void {
  const version = schemaVersion(db);
  const known = latestVersion(migrations);
  if (version > known) throw new DatabaseTooNewError(file, version, known);
}

/** Brings the database up to the newest version; returns the versions before and after. */
export function migrate(db: Database, migrations: readonly Migration[], file: string): { from: number; to: number } {
  checkSequence(migrations);
  assertNotTooNew(db, migrations, file);
  const from = schemaVersion(db);
  for (const migration of migrations) {
    // IMMEDIATE takes the write lock before re-reading the version, so two processes opening
    // the same new file cannot both run the same step.
    const step = db.transaction(() => {
      if (schemaVersion(db) >= migration.version) return;
      try {
        migration.up(db);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`migration ${migration.version} ("${migration.name}") of ${file} failed: ${reason}`, { cause: error });
      }
      db.pragma(`user_version = ${migration.version}`);
    });
    step.immediate();
  }
  return { from, to: schemaVersion(db) };
}
