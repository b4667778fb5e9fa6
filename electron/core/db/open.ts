import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { assertShopWardenFile } from './application-id';
import { assertNotTooNew, checkSequence, migrate, type Migration } from './migrate';
import { MIGRATIONS } from './migrations';

export interface OpenDatabaseOptions {
  /** The schema steps to apply; tests pass their own lists. Defaults to the app's. */
  migrations?: readonly Migration[];
  /** How long a statement waits for another connection's lock before failing with SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating if needed) the app database and brings its schema up to date.
 * - WAL: readers (log viewer) never block the writer (guard, audit batches) and vice versa.
 * - synchronous=NORMAL: with WAL, a power cut can lose the last commits but never corrupts.
 * - foreign_keys=ON: SQLite leaves them off per connection unless asked.
 * - PRAGMA optimize: planner statistics kept roughly current (see below).
 * Refuses files from a newer app version or another program before writing anything to them.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Database.Database {
  const migrations = options.migrations ?? MIGRATIONS;
  checkSequence(migrations);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    assertShopWardenFile(db, file);
    assertNotTooNew(db, migrations, file);
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal' && file !== ':memory:') throw new Error(`could not switch ${file} to WAL journal mode (SQLite answered "${String(mode)}")`);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations, file);
    // The query planner's statistics (sqlite_stat1/4): taken when a table has none yet or has
    // grown or shrunk about tenfold since, so it is cheap on most opens. Without them SQLite
    // guesses which index of a filtered log query is the selective one, and can walk the
    // (decision, ts) index of a million rows for a staff member's hundred. Connections opened
    // after this one read them.
    db.pragma('optimize = 0x10002');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Largest memory map SQLite allows here (it clamps larger values to its compile-time maximum). */
const READ_MMAP_BYTES = 2_000_000_000;

/**
 * A read-only connection to an existing database for the log viewer, exports and checks. The
 * file is memory-mapped: a filtered log page reads rows scattered over hundreds of MB, and
 * through the map each is a memory access instead of a read() into SQLite's own page cache
 * (about 1.5× faster first pages on a million-row log, and no second copy of those pages).
 */
export function openReadConnection(file: string): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma(`mmap_size = ${READ_MMAP_BYTES}`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
