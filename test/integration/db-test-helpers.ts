import type { Database } from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openDatabase } from '../../electron/core/db/open';
import { createRepositories, type Repositories } from '../../electron/core/repos';
import type { RoleInput } from '../../shared/model/role';
import type { StoreInput } from '../../shared/model/store';

/** A fresh directory under the OS temp dir, removed when the test file ends. */
export function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shopwarden-db-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.UTC(2025, 0, 1)) {
  let now = start;
  const clock = () => now;
  return Object.assign(clock, {
    set: (t: number) => void (now = t),
    advance: (ms: number) => void (now += ms),
  });
}

export interface TestDb {
  file: string;
  db: Database;
  repos: Repositories;
  clock: ReturnType<typeof manualClock>;
}

/** A migrated database in a new temp file, with repositories on a manual clock. */
export function openTestDb(): TestDb {
  const file = join(freshDir(), 'shopwarden.db');
  const db = openDatabase(file);
  after(() => db.open && db.close());
  const clock = manualClock();
  return { file, db, repos: createRepositories(db, { clock }), clock };
}

/** Every row of every table (sorted, so WITHOUT ROWID tables compare too), plus the header pragmas. */
export function dumpDatabase(db: Database): Record<string, unknown> {
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>;
  const dump: Record<string, unknown> = {
    user_version: db.pragma('user_version', { simple: true }),
    schema: db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY type, name').all(),
  };
  for (const { name } of tables) {
    dump[name] = db
      .prepare(`SELECT * FROM "${name}"`)
      .all()
      .map((row) => JSON.stringify(row))
      .sort();
  }
  return dump;
}

export const amazonUs = (overrides: Partial<StoreInput> = {}): StoreInput => ({
  name: 'Amazon US',
  platformId: 'amazon',
  siteId: 'us',
  homeUrl: 'https://sellercentral.amazon.com/home',
  ...overrides,
});

export const operatorRole = (overrides: Partial<RoleInput> = {}): RoleInput => ({
  name: 'Operator',
  levels: { orders: 'edit', listings: 'view' },
  ...overrides,
});

/** A staff row without going through scrypt (the repos store whatever hash they are given). */
export function addStaff(repos: Repositories, username: string) {
  return repos.users.create({ username, kind: 'staff', passwordHash: 'scrypt$ln=1,r=1,p=1$AAAAAAAAAAAAAAAAAAAAAA==', passwordSalt: 'AAAA' });
}
