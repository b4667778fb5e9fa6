import type { Database } from 'better-sqlite3';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RepoError } from '../../electron/core/db/errors';
import { createRepositories } from '../../electron/core/repos';
import { addStaff, amazonUs, dumpDatabase, openTestDb, operatorRole, type TestDb } from './db-test-helpers';

/**
 * Every multi-row change is all-or-nothing: each test makes a write fail part-way, after at
 * least one row has been written, and checks the database is exactly as before, both row by
 * row and as the serialised database image, byte for byte.
 */
function populated(): TestDb & { ids: Record<string, string> } {
  const t = openTestDb();
  const { repos } = t;
  const us = repos.stores.create(amazonUs({ proxy: { scheme: 'http', host: 'p.example', port: 8080, password: 'pw' } }));
  const de = repos.stores.create(amazonUs({ name: 'DE', siteId: 'de' }));
  const uk = repos.stores.create(amazonUs({ name: 'UK', siteId: 'uk' }));
  const bob = addStaff(repos, 'bob');
  const amy = addStaff(repos, 'amy');
  const operator = repos.roles.create(operatorRole());
  const viewer = repos.roles.create({ name: 'Viewer' });
  repos.assignments.replaceForStore(us.id, [
    { staffId: bob.id, roleId: operator.id },
    { staffId: amy.id, roleId: viewer.id },
  ]);
  repos.assignments.upsert({ staffId: bob.id, storeId: de.id, roleId: viewer.id });
  repos.settings.set('retention', { days: 180 });
  return { ...t, ids: { us: us.id, de: de.id, uk: uk.id, bob: bob.id, amy: amy.id, operator: operator.id, viewer: viewer.id } };
}

function assertUnchangedBy(db: Database, failingWrite: () => unknown, expected: (error: unknown) => boolean): void {
  const rows = dumpDatabase(db);
  const image = db.serialize();
  assert.throws(failingWrite, expected);
  assert.deepEqual(dumpDatabase(db), rows);
  assert.ok(db.serialize().equals(image), 'the database image is byte-for-byte the same');
  assert.equal(db.inTransaction, false);
}

/** Makes the n-th INSERT into `table` (counting from 1) fail inside SQLite, for this connection only. */
function failNthInsert(db: Database, table: string, n: number): void {
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS insert_count (n INTEGER); DELETE FROM insert_count; INSERT INTO insert_count VALUES (0);`);
  db.exec(`CREATE TEMP TRIGGER fail_${table} BEFORE INSERT ON main.${table} BEGIN
    UPDATE insert_count SET n = n + 1;
    SELECT RAISE(ABORT, 'injected failure') WHERE (SELECT n FROM insert_count) >= ${n};
  END`);
}

test('replaceForStore: a later entry with an unknown role undoes the earlier ones', () => {
  const { db, repos, ids } = populated();
  assertUnchangedBy(
    db,
    () =>
      repos.assignments.replaceForStore(ids.us!, [
        { staffId: ids.amy!, roleId: ids.operator! }, // would change amy's role
        { staffId: ids.bob!, roleId: 'no-such-role' },
      ]),
    (e) => e instanceof RepoError && e.code === 'not-found',
  );
});

test('copyToStores: the first target is written, the second fails in SQLite, nothing remains', () => {
  const { db, repos, ids } = populated();
  failNthInsert(db, 'assignments', 3); // the two rows of the first target go in, the third fails
  assertUnchangedBy(db, () => repos.assignments.copyToStores(ids.us!, [ids.de!, ids.uk!]), (e) => e instanceof Error && /injected failure/.test(e.message));
  db.exec('DROP TRIGGER temp.fail_assignments');
  assert.equal(repos.assignments.copyToStores(ids.us!, [ids.de!, ids.uk!]).length, 4, 'works once the fault is gone');
});

test('applyRole: a callback (the clock) throwing after the first row rolls back', () => {
  const { db, ids } = populated();
  let calls = 0;
  const flakyClock = () => {
    if (++calls === 2) throw new Error('clock exploded');
    return 1;
  };
  const repos = createRepositories(db, { clock: flakyClock });
  assertUnchangedBy(db, () => repos.assignments.applyRole(ids.amy!, ids.operator!, [ids.de!, ids.uk!]), (e) => e instanceof Error && e.message === 'clock exploded');
  assert.equal(calls, 2, 'the first row had been written when the failure came');
});

test('upsertMany: an invalid third entry leaves the first two unwritten', () => {
  const { db, repos, ids } = populated();
  assertUnchangedBy(
    db,
    () =>
      repos.assignments.upsertMany([
        { staffId: ids.amy!, storeId: ids.de!, roleId: ids.viewer! },
        { staffId: ids.amy!, storeId: ids.uk!, roleId: ids.viewer! },
        { staffId: ids.bob!, storeId: ids.uk!, roleId: ids.viewer!, validFrom: 10, validUntil: 1 },
      ]),
    (e) => e instanceof RepoError && e.code === 'invalid-input',
  );
});

test('stores.create: a failing secret insert leaves no store row behind', () => {
  const { db, repos } = populated();
  failNthInsert(db, 'secrets', 1);
  assertUnchangedBy(
    db,
    () => repos.stores.create(amazonUs({ name: 'JP', siteId: 'jp', proxy: { scheme: 'http', host: 'p', port: 1, password: 'x' } })),
    (e) => e instanceof Error && /injected failure/.test(e.message),
  );
});

test('stores.update: a failing secret write keeps the old store row', () => {
  const { db, repos, ids } = populated();
  failNthInsert(db, 'secrets', 1);
  assertUnchangedBy(
    db,
    () => repos.stores.update(ids.us!, { name: 'renamed', proxy: { scheme: 'http', host: 'q', port: 2, password: 'new' } }),
    (e) => e instanceof Error && /injected failure/.test(e.message),
  );
});

test('settings.setMany: a bad second value leaves the first unwritten', () => {
  const { db, repos } = populated();
  assertUnchangedBy(db, () => repos.settings.setMany({ retention: { days: 1 }, broken: Number.NaN }), (e) => e instanceof RepoError && e.code === 'invalid-input');
});

test('updateLoginState: a throwing change writes nothing', () => {
  const { db, repos, ids } = populated();
  assertUnchangedBy(
    db,
    () =>
      repos.users.updateLoginState(ids.bob!, () => {
        throw new Error('policy bug');
      }),
    (e) => e instanceof Error && e.message === 'policy bug',
  );
});

test('repository calls compose into one outer transaction that rolls back as a whole', () => {
  const { db, repos, ids } = populated();
  const transfer = db.transaction(() => {
    const jp = repos.stores.create(amazonUs({ name: 'JP', siteId: 'jp' }));
    repos.assignments.copyToStores(ids.us!, [jp.id]);
    repos.roles.delete(ids.operator!); // in use: fails after two successful steps
  });
  assertUnchangedBy(db, () => transfer(), (e) => e instanceof RepoError && e.code === 'conflict');
});
