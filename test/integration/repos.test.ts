import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { RepoError } from '../../electron/core/db/errors';
import { addStaff, amazonUs, openTestDb, operatorRole } from './db-test-helpers';

const repoError = (code: RepoError['code'], message: RegExp) => (error: unknown) =>
  error instanceof RepoError && error.code === code && message.test(error.message);

test('stores: create fills defaults, get/list/update/delete round-trip', () => {
  const { repos, clock } = openTestDb();
  const us = repos.stores.create(amazonUs());
  assert.equal(us.id.length, 22);
  assert.deepEqual(
    { ...us, id: 'x' },
    {
      id: 'x',
      name: 'Amazon US',
      platformId: 'amazon',
      siteId: 'us',
      homeUrl: 'https://sellercentral.amazon.com/home',
      group: '',
      colour: '#3b82f6',
      proxy: null,
      userAgent: null,
      acceptLanguage: null,
      createdAt: clock(),
      updatedAt: clock(),
    },
  );
  assert.deepEqual(repos.stores.get(us.id), us);
  const de = repos.stores.create(amazonUs({ name: 'amazon DE', siteId: 'de', group: 'EU', userAgent: 'UA', acceptLanguage: 'de-DE' }));
  assert.deepEqual(
    repos.stores.list().map((s) => s.name),
    ['amazon DE', 'Amazon US'],
  );

  clock.advance(1000);
  const renamed = repos.stores.update(us.id, { name: 'Amazon USA', colour: '#112233', userAgent: undefined });
  assert.equal(renamed.name, 'Amazon USA');
  assert.equal(renamed.colour, '#112233');
  assert.equal(renamed.homeUrl, us.homeUrl, 'fields not in the patch are kept');
  assert.equal(renamed.createdAt, us.createdAt);
  assert.equal(renamed.updatedAt, us.createdAt + 1000);
  assert.deepEqual(repos.stores.get(us.id), renamed);

  repos.stores.delete(us.id);
  assert.equal(repos.stores.get(us.id), null);
  assert.deepEqual(repos.stores.list(), [de]);
  assert.throws(() => repos.stores.delete(us.id), repoError('not-found', /store .* not found/));
  assert.throws(() => repos.stores.update(us.id, { name: 'x' }), repoError('not-found', /store .* not found/));
});

test('stores: bad input is refused with the field and the reason', () => {
  const { repos } = openTestDb();
  assert.throws(
    () => repos.stores.create(amazonUs({ homeUrl: 'javascript:alert(1)', colour: 'red' })),
    (error: unknown) =>
      error instanceof RepoError &&
      error.code === 'invalid-input' &&
      /^invalid store: homeUrl: must be an http\(s\) URL; colour: must be a colour like #1a2b3c$/.test(error.message) &&
      error.issues.map((i) => i.path).join() === 'homeUrl,colour',
  );
  const store = repos.stores.create(amazonUs());
  assert.throws(() => repos.stores.update(store.id, { name: '  ' }), repoError('invalid-input', /invalid store: name:/));
  assert.equal(repos.stores.get(store.id)!.name, 'Amazon US');
});

test('stores: the proxy password lives in secrets, not in the store row', () => {
  const { db, repos } = openTestDb();
  const proxy = { scheme: 'socks5' as const, host: 'proxy.example', port: 1080, username: 'u', password: 'hunter22' };
  const store = repos.stores.create(amazonUs({ proxy }));
  const { password: _pw, ...withoutPassword } = proxy;
  assert.deepEqual(store.proxy, withoutPassword, 'the answer does not carry the password back');

  const rowText = JSON.stringify(db.prepare('SELECT * FROM stores').all());
  assert.ok(!rowText.includes('hunter22'), rowText);
  assert.deepEqual(db.prepare('SELECT store_id, name, value FROM secrets').all(), [{ store_id: store.id, name: 'proxy-password', value: 'hunter22' }]);

  assert.deepEqual(repos.stores.get(store.id)!.proxy, withoutPassword);
  assert.deepEqual(repos.stores.list()[0]!.proxy, withoutPassword);
  assert.deepEqual(repos.stores.getWithSecrets(store.id)!.proxy, proxy);

  // The console edits the proxy without knowing the password: it is kept for the same server and account…
  assert.deepEqual(repos.stores.update(store.id, { proxy: { ...withoutPassword, host: 'PROXY.example' } }).proxy, { ...withoutPassword, host: 'PROXY.example' });
  assert.deepEqual(repos.stores.getWithSecrets(store.id)!.proxy, { ...proxy, host: 'PROXY.example' });
  repos.stores.update(store.id, { name: 'renamed' });
  assert.equal(repos.stores.getWithSecrets(store.id)!.proxy!.password, 'hunter22');
  // …and never sent to another one: a new host, port, scheme or user name drops it unless one is given.
  for (const other of [{ host: 'elsewhere.example' }, { port: 1081 }, { scheme: 'http' as const }, { username: 'v' }]) {
    repos.stores.update(store.id, { proxy: proxy });
    repos.stores.update(store.id, { proxy: { ...withoutPassword, ...other } });
    assert.equal(repos.stores.getWithSecrets(store.id)!.proxy!.password, undefined, JSON.stringify(other));
  }
  repos.stores.update(store.id, { proxy: { ...withoutPassword, host: 'elsewhere.example', password: 'for-elsewhere' } });
  assert.equal(repos.stores.getWithSecrets(store.id)!.proxy!.password, 'for-elsewhere');
  repos.stores.update(store.id, { proxy: { ...withoutPassword, password: 'new-secret' } });
  assert.equal(repos.stores.getWithSecrets(store.id)!.proxy!.password, 'new-secret');
  repos.stores.update(store.id, { proxy: { ...withoutPassword, password: '' } });
  assert.equal(repos.stores.getWithSecrets(store.id)!.proxy!.password, undefined);

  repos.stores.update(store.id, { proxy: proxy });
  repos.stores.update(store.id, { proxy: null });
  assert.equal(repos.stores.getWithSecrets(store.id)!.proxy, null);
  assert.deepEqual(db.prepare('SELECT count(*) AS n FROM secrets').get(), { n: 0 });

  repos.stores.update(store.id, { proxy });
  repos.stores.delete(store.id);
  assert.deepEqual(db.prepare('SELECT count(*) AS n FROM secrets').get(), { n: 0 }, 'secrets go with their store');
});

test('users: usernames are unique whatever the letter case or width', () => {
  const { repos } = openTestDb();
  const alice = addStaff(repos, 'Alice');
  assert.deepEqual(repos.users.findByUsername('alice'), alice);
  assert.deepEqual(repos.users.findByUsername('ＡＬＩＣＥ'), alice, 'full-width letters fold to ASCII');
  assert.throws(() => addStaff(repos, 'ALICE'), repoError('conflict', /^username "ALICE" is already taken \(as "Alice"\)$/));
  assert.throws(() => addStaff(repos, 'Alice'), repoError('conflict', /^username "Alice" is already taken$/));
  const emile = addStaff(repos, 'Émile');
  assert.deepEqual(repos.users.findByUsername('émile'), emile, 'non-ASCII letters fold too');
  assert.throws(() => addStaff(repos, 'ÉMILE'), repoError('conflict', /already taken/));
  const zhang = addStaff(repos, '运营_张三_美国站');
  assert.deepEqual(repos.users.findByUsername('运营_张三_美国站'), zhang);
  assert.throws(() => repos.users.update(zhang.id, { username: 'aLiCe' }), repoError('conflict', /already taken/));
  assert.equal(repos.users.findByUsername('nobody'), null);
});

test('users: CRUD, one owner only, the owner can be neither disabled nor deleted', () => {
  const { repos, clock } = openTestDb();
  const owner = repos.users.create({ username: 'boss', displayName: 'The Boss', kind: 'owner', passwordHash: 'h', passwordSalt: 's' });
  assert.equal(repos.users.hasOwner(), true);
  assert.deepEqual(repos.users.getOwner(), owner);
  assert.throws(
    () => repos.users.create({ username: 'boss2', kind: 'owner', passwordHash: 'h', passwordSalt: 's' }),
    repoError('conflict', /^an owner account already exists$/),
  );
  const bob = addStaff(repos, 'bob');
  const amy = addStaff(repos, 'amy');
  assert.deepEqual(
    repos.users.list().map((u) => u.username),
    ['boss', 'amy', 'bob'],
    'owner first, then by name',
  );
  assert.deepEqual(
    { kind: bob.kind, disabled: bob.disabled, displayName: bob.displayName },
    { kind: 'staff', disabled: false, displayName: '' },
  );

  clock.advance(5);
  const renamed = repos.users.update(bob.id, { displayName: ' Bob B. ' });
  assert.equal(renamed.displayName, 'Bob B.');
  assert.equal(renamed.updatedAt, bob.createdAt + 5);
  assert.equal(repos.users.setDisabled(bob.id, true).disabled, true);
  assert.equal(repos.users.get(bob.id)!.disabled, true);
  assert.equal(repos.users.setDisabled(bob.id, false).disabled, false);

  assert.throws(() => repos.users.setDisabled(owner.id, true), repoError('conflict', /owner account cannot be disabled/));
  assert.throws(() => repos.users.delete(owner.id), repoError('conflict', /owner account cannot be deleted/));
  assert.throws(() => repos.users.update(bob.id, { username: 'has space' }), repoError('invalid-input', /username: letters, digits/));

  repos.users.delete(amy.id);
  assert.equal(repos.users.get(amy.id), null);
  assert.throws(() => repos.users.delete(amy.id), repoError('not-found', /user .* not found/));
});

test('users: credentials and login counters stay out of User and change atomically', () => {
  const { repos } = openTestDb();
  const bob = addStaff(repos, 'bob');
  assert.deepEqual(Object.keys(bob).sort(), ['createdAt', 'disabled', 'displayName', 'id', 'kind', 'updatedAt', 'username']);
  const state = repos.users.updateLoginState(bob.id, (s) => ({ failedAttempts: s.failedAttempts + 3, lockedUntil: 99 }));
  assert.deepEqual(state, { failedAttempts: 3, lockedUntil: 99 });
  assert.deepEqual(repos.users.findAccountByUsername('BOB')!.login, { failedAttempts: 3, lockedUntil: 99 });
  repos.users.setCredentials(bob.id, { passwordHash: 'new-hash', passwordSalt: 'new-salt' });
  const account = repos.users.getAccount(bob.id)!;
  assert.deepEqual(account.credentials, { passwordHash: 'new-hash', passwordSalt: 'new-salt' });
  assert.deepEqual(account.login, { failedAttempts: 0, lockedUntil: null }, 'a new password lifts the lock');
});

test('roles: JSON fields round-trip, patches merge, defaults apply', () => {
  const { repos, clock } = openTestDb();
  const role = repos.roles.create(
    operatorRole({
      template: 'operator',
      rules: [{ id: 'r1', action: 'block', filter: 'sellercentral.amazon.com/payments', methods: ['POST'] }],
      stepUp: ['sellercentral.amazon.com/account'],
      switches: { downloads: true, uploads: false, devtools: false, printing: true },
    }),
  );
  assert.deepEqual(repos.roles.get(role.id), role);
  assert.equal(role.otherLevel, 'view');
  assert.equal(role.defaultValidityDays, null);
  assert.deepEqual(role.rules, [{ id: 'r1', action: 'block', filter: 'sellercentral.amazon.com/payments', methods: ['POST'], note: '' }]);

  clock.advance(10);
  const updated = repos.roles.update(role.id, { name: 'Senior operator', levels: { orders: 'view' } });
  assert.equal(updated.name, 'Senior operator');
  assert.deepEqual(updated.levels, { orders: 'view' });
  assert.deepEqual(updated.rules, role.rules, 'unpatched JSON fields are kept');
  assert.deepEqual(updated.switches, role.switches);
  assert.equal(updated.updatedAt, role.updatedAt + 10);

  const temp = repos.roles.create({ name: 'temporary', defaultValidityDays: 30 });
  assert.deepEqual(
    repos.roles.list().map((r) => r.name),
    ['Senior operator', 'temporary'],
  );
  assert.throws(() => repos.roles.update(temp.id, { levels: { Orders: 'edit' } as never }), repoError('invalid-input', /levels/));
  repos.roles.delete(temp.id);
  assert.equal(repos.roles.get(temp.id), null);
  assert.throws(() => repos.roles.delete(temp.id), repoError('not-found', /role .* not found/));
});

test('assignments: upsert, lookups by staff / store / pair, delete', () => {
  const { repos, clock } = openTestDb();
  const us = repos.stores.create(amazonUs());
  const de = repos.stores.create(amazonUs({ name: 'DE', siteId: 'de' }));
  const bob = addStaff(repos, 'bob');
  const amy = addStaff(repos, 'amy');
  const operator = repos.roles.create(operatorRole());
  const viewer = repos.roles.create({ name: 'Viewer' });

  const bobUs = repos.assignments.upsert({ staffId: bob.id, storeId: us.id, roleId: operator.id, scope: { asin: ['B0ABC12345'] } });
  assert.deepEqual(repos.assignments.get(bobUs.id), bobUs);
  assert.deepEqual(
    { validFrom: bobUs.validFrom, validUntil: bobUs.validUntil, scope: bobUs.scope },
    { validFrom: null, validUntil: null, scope: { asin: ['B0ABC12345'] } },
  );
  clock.advance(1);
  const bobDe = repos.assignments.upsert({ staffId: bob.id, storeId: de.id, roleId: viewer.id, validFrom: 100, validUntil: 200 });
  clock.advance(1);
  const amyUs = repos.assignments.upsert({ staffId: amy.id, storeId: us.id, roleId: viewer.id });

  assert.deepEqual(repos.assignments.listByStaff(bob.id), [bobUs, bobDe]);
  assert.deepEqual(repos.assignments.listByStore(us.id), [bobUs, amyUs]);
  assert.deepEqual(repos.assignments.getFor(bob.id, de.id), bobDe);
  assert.equal(repos.assignments.getFor(amy.id, de.id), null);
  assert.equal(repos.assignments.list().length, 3);

  clock.advance(50);
  const changed = repos.assignments.upsert({ staffId: bob.id, storeId: us.id, roleId: viewer.id });
  assert.equal(changed.id, bobUs.id, 'same (staff, store): same assignment');
  assert.equal(changed.createdAt, bobUs.createdAt);
  assert.equal(changed.updatedAt, clock());
  assert.equal(changed.roleId, viewer.id);
  assert.deepEqual(changed.scope, {}, 'upsert replaces the scope');
  assert.equal(repos.assignments.list().length, 3);

  repos.assignments.delete(amyUs.id);
  assert.throws(() => repos.assignments.delete(amyUs.id), repoError('not-found', /assignment .* not found/));
  assert.equal(repos.assignments.deleteFor(bob.id, de.id), true);
  assert.equal(repos.assignments.deleteFor(bob.id, de.id), false);
  assert.deepEqual(repos.assignments.list(), [changed]);
});

test('assignments: bad references and windows are refused clearly', () => {
  const { repos } = openTestDb();
  const us = repos.stores.create(amazonUs());
  const bob = addStaff(repos, 'bob');
  const owner = repos.users.create({ username: 'boss', kind: 'owner', passwordHash: 'h', passwordSalt: 's' });
  const role = repos.roles.create(operatorRole());
  const base = { staffId: bob.id, storeId: us.id, roleId: role.id };
  assert.throws(() => repos.assignments.upsert({ ...base, roleId: 'nope' }), repoError('not-found', /^role nope not found$/));
  assert.throws(() => repos.assignments.upsert({ ...base, storeId: 'nope' }), repoError('not-found', /^store nope not found$/));
  assert.throws(() => repos.assignments.upsert({ ...base, staffId: 'nope' }), repoError('not-found', /^staff nope not found$/));
  assert.throws(() => repos.assignments.upsert({ ...base, staffId: owner.id }), repoError('invalid-input', /assignments are for staff accounts/));
  assert.throws(() => repos.assignments.upsert({ ...base, validFrom: 5, validUntil: 5 }), repoError('invalid-input', /validUntil: validUntil must be after validFrom/));
  assert.throws(() => repos.assignments.upsert({ ...base, scope: { 'Bad Key': ['x'] } }), repoError('invalid-input', /scope/));
  assert.deepEqual(repos.assignments.list(), []);
});

test('assignments: replaceForStore, copyToStores and applyRole', () => {
  const { repos } = openTestDb();
  const [us, de, uk] = ['us', 'de', 'uk'].map((site) => repos.stores.create(amazonUs({ name: site, siteId: site })));
  const [bob, amy, cat] = ['bob', 'amy', 'cat'].map((name) => addStaff(repos, name));
  const operator = repos.roles.create(operatorRole());
  const viewer = repos.roles.create({ name: 'Viewer' });

  const first = repos.assignments.replaceForStore(us!.id, [
    { staffId: bob!.id, roleId: operator.id },
    { staffId: amy!.id, roleId: viewer.id, validUntil: 5000 },
  ]);
  assert.equal(first.length, 2);
  const second = repos.assignments.replaceForStore(us!.id, [
    { staffId: amy!.id, roleId: operator.id },
    { staffId: cat!.id, roleId: viewer.id },
  ]);
  assert.deepEqual(
    second.map((a) => [a.staffId, a.roleId, a.validUntil]).sort(),
    [
      [amy!.id, operator.id, null],
      [cat!.id, viewer.id, null],
    ].sort(),
  );
  assert.equal(second.find((a) => a.staffId === amy!.id)!.id, first.find((a) => a.staffId === amy!.id)!.id, 'amy kept her row');
  assert.equal(repos.assignments.getFor(bob!.id, us!.id), null, 'bob was removed');
  assert.throws(
    () => repos.assignments.replaceForStore(us!.id, [{ staffId: amy!.id, roleId: operator.id }, { staffId: amy!.id, roleId: viewer.id }]),
    repoError('invalid-input', /listed twice/),
  );

  repos.assignments.upsert({ staffId: bob!.id, storeId: de!.id, roleId: viewer.id });
  repos.assignments.upsert({ staffId: amy!.id, storeId: de!.id, roleId: viewer.id });
  const copied = repos.assignments.copyToStores(us!.id, [de!.id, uk!.id, us!.id, de!.id]);
  assert.equal(copied.length, 4, 'two staff × two distinct targets (the source itself is skipped)');
  const view = (storeId: string) =>
    repos.assignments
      .listByStore(storeId)
      .map((a) => `${a.staffId === amy!.id ? 'amy' : a.staffId === bob!.id ? 'bob' : 'cat'}:${a.roleId === operator.id ? 'operator' : 'viewer'}`)
      .sort();
  assert.deepEqual(view(de!.id), ['amy:operator', 'bob:viewer', 'cat:viewer'], 'existing pair overwritten, others left alone');
  assert.deepEqual(view(uk!.id), ['amy:operator', 'cat:viewer']);

  const applied = repos.assignments.applyRole(bob!.id, operator.id, [us!.id, uk!.id, us!.id], { validUntil: 9000, scope: { asin: ['B01'] } });
  assert.equal(applied.length, 2);
  for (const a of applied) assert.deepEqual([a.staffId, a.roleId, a.validUntil, a.scope], [bob!.id, operator.id, 9000, { asin: ['B01'] }]);
  // Applying a role again keeps what the request leaves out: a scheduled start, and the scope.
  repos.assignments.upsert({ staffId: bob!.id, storeId: uk!.id, roleId: operator.id, validFrom: 5000, validUntil: 9000, scope: { asin: ['B01'] } });
  const [again] = repos.assignments.applyRole(bob!.id, viewer.id, [uk!.id], { validUntil: null });
  assert.deepEqual([again!.roleId, again!.validFrom, again!.validUntil, again!.scope], [viewer.id, 5000, null, { asin: ['B01'] }]);
  assert.throws(() => repos.assignments.copyToStores('nope', [uk!.id]), repoError('not-found', /store nope/));
});

test('foreign keys: deleting a store or a staff member deletes their assignments; a role in use cannot be deleted', () => {
  const { repos } = openTestDb();
  const us = repos.stores.create(amazonUs());
  const de = repos.stores.create(amazonUs({ name: 'DE', siteId: 'de' }));
  const bob = addStaff(repos, 'bob');
  const amy = addStaff(repos, 'amy');
  const role = repos.roles.create(operatorRole({ name: 'Ops' }));
  repos.assignments.applyRole(bob.id, role.id, [us.id, de.id]);
  repos.assignments.applyRole(amy.id, role.id, [us.id, de.id]);

  repos.stores.delete(us.id);
  assert.deepEqual(repos.assignments.listByStore(us.id), []);
  assert.equal(repos.assignments.list().length, 2);

  repos.users.delete(amy.id);
  assert.deepEqual(repos.assignments.listByStaff(amy.id), []);
  assert.equal(repos.assignments.list().length, 1);

  assert.equal(repos.roles.countAssignments(role.id), 1);
  assert.throws(
    () => repos.roles.delete(role.id),
    repoError('conflict', /^role "Ops" is used by 1 assignment; give those staff another role or remove the assignments first$/),
  );
  assert.ok(repos.roles.get(role.id), 'the role is still there');
  repos.assignments.deleteFor(bob.id, de.id);
  repos.roles.delete(role.id);
  assert.equal(repos.roles.get(role.id), null);
});

test('settings: JSON values round-trip and are read through a schema', () => {
  const { repos } = openTestDb();
  const Retention = z.object({ days: z.number().int().positive() });
  assert.equal(repos.settings.get('retention', Retention), undefined);
  repos.settings.set('retention', { days: 180 });
  assert.deepEqual(repos.settings.get('retention', Retention), { days: 180 });
  repos.settings.set('retention', { days: 90 });
  assert.deepEqual(repos.settings.getRaw('retention'), { days: 90 });
  repos.settings.setMany({ locale: 'zh-CN', flags: [true, null, 1.5] });
  assert.deepEqual(repos.settings.keys(), ['flags', 'locale', 'retention']);
  assert.deepEqual(repos.settings.getRaw('flags'), [true, null, 1.5]);

  assert.throws(() => repos.settings.get('locale', Retention), repoError('corrupt-row', /row "locale" of table settings is corrupt/));
  for (const bad of [undefined, Number.NaN, new Date(0), { a: undefined }, new Map()]) {
    assert.throws(() => repos.settings.set('bad', bad), repoError('invalid-input', /must be a plain JSON value/), String(bad));
  }
  assert.throws(() => repos.settings.set('', 1), repoError('invalid-input', /setting keys/));
  assert.equal(repos.settings.delete('locale'), true);
  assert.equal(repos.settings.delete('locale'), false);
  assert.equal(repos.settings.getRaw('locale'), undefined);
});

test('a row damaged outside the app fails with its table, id and field', () => {
  const { db, repos } = openTestDb();
  const store = repos.stores.create(amazonUs());
  db.prepare("UPDATE stores SET colour = 'red' WHERE id = ?").run(store.id);
  assert.throws(() => repos.stores.get(store.id), repoError('corrupt-row', new RegExp(`^row "${store.id}" of table stores is corrupt: colour: must be a colour`)));
  assert.throws(() => repos.stores.list(), repoError('corrupt-row', /table stores/));

  const role = repos.roles.create(operatorRole());
  db.pragma('ignore_check_constraints = ON'); // what a hand edit with another tool could do
  db.prepare("UPDATE roles SET rules = '[{oops' WHERE id = ?").run(role.id);
  assert.throws(() => repos.roles.get(role.id), repoError('corrupt-row', /table roles is corrupt: rules is not valid JSON/));
  db.prepare(`UPDATE roles SET rules = '[]', levels = '{"orders":"admin"}' WHERE id = ?`).run(role.id);
  assert.throws(() => repos.roles.get(role.id), repoError('corrupt-row', /table roles is corrupt: levels\.orders: /));
});
