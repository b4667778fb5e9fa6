import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SHOPWARDEN_APPLICATION_ID } from '../../electron/core/db/application-id';
import { DatabaseTooNewError } from '../../electron/core/db/errors';
import { newId } from '../../electron/core/db/ids';
import type { Migration } from '../../electron/core/db/migrate';
import { MIGRATIONS } from '../../electron/core/db/migrations';
import { openDatabase } from '../../electron/core/db/open';
import { createRepositories } from '../../electron/core/repos';
import { Id } from '../../shared/model/common';
import { amazonUs, freshDir } from './db-test-helpers';

const tableNames = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);

test('a new file is migrated from empty to the latest version with every table', () => {
  const file = join(freshDir(), 'nested', 'dir', 'app.db');
  const db = openDatabase(file);
  try {
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
    assert.equal(db.pragma('application_id', { simple: true }), SHOPWARDEN_APPLICATION_ID);
    // audit_url* is the URL index (an FTS5 table and its shadow tables); SQLite's own sqlite_stat* are left out.
    const expected = ['assignments', 'audit_cut', 'audit_head', 'audit_log', 'audit_url', 'audit_url_config', 'audit_url_data', 'audit_url_idx', 'audit_url_mark', 'imported_audit', 'log_machines', 'roles', 'secrets', 'settings', 'staff_suspensions', 'stores', 'users'];
    assert.deepEqual(tableNames(db), expected);
    const indexes = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>).map((r) => r.name);
    for (const name of ['assignments_store', 'assignments_role', 'users_single_owner', 'audit_log_ts', 'audit_log_module_ts']) assert.ok(indexes.includes(name), name);
  } finally {
    db.close();
  }
});

test('connections run in WAL mode with foreign keys on, synchronous NORMAL and a busy timeout', () => {
  const file = join(freshDir(), 'app.db');
  const db = openDatabase(file, { busyTimeoutMs: 1234 });
  try {
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    assert.equal(db.pragma('synchronous', { simple: true }), 1); // 1 = NORMAL
    assert.equal(db.pragma('busy_timeout', { simple: true }), 1234);
    createRepositories(db).settings.set('k', 1);
    assert.ok(existsSync(`${file}-wal`), 'a write goes to the -wal file');
  } finally {
    db.close();
  }
  // WAL is a property of the file: a plain connection sees it too.
  const plain = new Database(file);
  assert.equal(plain.pragma('journal_mode', { simple: true }), 'wal');
  plain.close();
});

test('reopening an existing file keeps its data and runs no migration twice', () => {
  const file = join(freshDir(), 'app.db');
  const first = openDatabase(file);
  const created = createRepositories(first).stores.create(amazonUs());
  first.close();

  let ran = 0;
  const counting: Migration[] = MIGRATIONS.map((m) => ({ ...m, up: (db) => (ran++, m.up(db)) }));
  const second = openDatabase(file, { migrations: counting });
  try {
    assert.equal(ran, 0);
    assert.deepEqual(createRepositories(second).stores.get(created.id), created);
  } finally {
    second.close();
  }
});

test('a database from a newer app version is refused, with a clear error, and left untouched', () => {
  const file = join(freshDir(), 'app.db');
  openDatabase(file).close();
  const raw = new Database(file);
  raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
  raw.close();
  const before = readFileSync(file);

  assert.throws(
    () => openDatabase(file),
    (error: unknown) =>
      error instanceof DatabaseTooNewError &&
      error.fileVersion === MIGRATIONS.length + 1 &&
      error.knownVersion === MIGRATIONS.length &&
      error.message.includes(`schema version ${MIGRATIONS.length + 1}, but this version of ShopWarden only knows versions up to ${MIGRATIONS.length}`) &&
      /newer ShopWarden/.test(error.message),
  );
  assert.deepEqual(readFileSync(file), before);
});

test("another program's SQLite file is refused", () => {
  const file = join(freshDir(), 'other.db');
  const raw = new Database(file);
  raw.pragma('application_id = 42');
  raw.close();
  assert.throws(() => openDatabase(file), /not a ShopWarden database \(SQLite application_id 42\)/);
});

test('a failing migration rolls back completely and leaves the previous version', () => {
  const file = join(freshDir(), 'app.db');
  const one: Migration = { version: 1, name: 'one', up: (db) => db.exec('CREATE TABLE a (x INTEGER)') };
  const brokenTwo: Migration = {
    version: 2,
    name: 'two',
    up: (db) => {
      db.exec('CREATE TABLE b (x INTEGER); INSERT INTO a VALUES (1)');
      throw new Error('disk on fire');
    },
  };
  assert.throws(() => openDatabase(file, { migrations: [one, brokenTwo] }), /migration 2 \("two"\) of .*app\.db failed: disk on fire/);

  const raw = new Database(file);
  assert.equal(raw.pragma('user_version', { simple: true }), 1);
  assert.deepEqual(tableNames(raw), ['a']);
  assert.deepEqual(raw.prepare('SELECT * FROM a').all(), []);
  raw.close();

  const fixedTwo: Migration = { version: 2, name: 'two', up: (db) => db.exec('CREATE TABLE b (x INTEGER)') };
  const db = openDatabase(file, { migrations: [one, fixedTwo] });
  assert.deepEqual(tableNames(db), ['a', 'b']);
  assert.equal(db.pragma('user_version', { simple: true }), 2);
  db.close();
});

test('a migration list with a gap is rejected before touching the file', () => {
  const file = join(freshDir(), 'app.db');
  const gap: Migration[] = [
    { version: 1, name: 'one', up: () => {} },
    { version: 3, name: 'three', up: () => {} },
  ];
  assert.throws(() => openDatabase(file, { migrations: gap }), /entry 1 \("three"\) has version 3, expected 2/);
  assert.equal(existsSync(file), false);
});

test('the audit table from core/audit is part of migration 1 and refuses edits', () => {
  const db = openDatabase(join(freshDir(), 'app.db'));
  try {
    db.prepare("INSERT INTO audit_log (ts, kind, prev_hash, hash) VALUES (1, 'login', 'p', 'h')").run();
    assert.throws(() => db.prepare("UPDATE audit_log SET kind = 'logout'").run(), /append-only/);
    assert.throws(() => db.prepare('DELETE FROM audit_log').run(), /append-only/);
  } finally {
    db.close();
  }
});

test('newId makes distinct ids that fit the Id schema', () => {
  const ids = new Set(Array.from({ length: 1000 }, newId));
  assert.equal(ids.size, 1000);
  for (const id of ids) {
    assert.equal(id.length, 22);
    assert.ok(Id.safeParse(id).success, id);
  }
});
