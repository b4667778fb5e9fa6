import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changedFields } from '../../shared/audit/changes';

// An owner-change row's before/after turned into the fields that changed (the log viewer's table).

const role = {
  id: 'r1',
  name: 'Operator US',
  description: '',
  levels: { orders: 'edit', payments: 'none' },
  otherLevel: 'view',
  rules: [
    { id: 'a', action: 'allow', filter: '{seller}/reports', note: '' },
    { id: 'b', action: 'block', filter: '{seller}/orders/cancel', note: '' },
  ],
  switches: { downloads: false, uploads: false, devtools: false, printing: false },
  stepUp: ['{seller}/sw/AccountInfo'],
  createdAt: 1,
  updatedAt: 1,
};

test('an update lists each changed field by its path, and nothing else (not even updatedAt)', () => {
  const after = { ...role, description: 'Day-to-day', levels: { ...role.levels, payments: 'view' }, switches: { ...role.switches, downloads: true }, updatedAt: 2 };
  assert.deepEqual(changedFields(role, after), {
    changes: [
      { path: ['description'], before: '', after: 'Day-to-day' },
      { path: ['levels', 'payments'], before: 'none', after: 'view' },
      { path: ['switches', 'downloads'], before: false, after: true },
    ],
    more: 0,
  });
  assert.deepEqual(changedFields(role, { ...role, updatedAt: 9 }), { changes: [], more: 0 });
});

test('list items with ids are matched by id: one inserted rule is one change, an edited rule names its field', () => {
  const inserted = { id: 'c', action: 'allow', filter: '{seller}/ads', note: '' };
  const after = { ...role, rules: [inserted, { ...role.rules[0]!, filter: '{seller}/reports/v2' }, role.rules[1]!] };
  assert.deepEqual(changedFields(role, after).changes, [
    { path: ['rules', 'a', 'filter'], before: '{seller}/reports', after: '{seller}/reports/v2' },
    { path: ['rules', 'c'], before: undefined, after: inserted },
  ]);
  assert.deepEqual(changedFields(role, { ...role, rules: [role.rules[1]!] }).changes, [{ path: ['rules', 'a'], before: role.rules[0], after: undefined }]);
  // Lists without ids (step-up pages) change as a whole.
  assert.deepEqual(changedFields(role, { ...role, stepUp: [] }).changes, [{ path: ['stepUp'], before: role.stepUp, after: [] }]);
});

test('a create lists every field against nothing, a delete every field against nothing; bookkeeping left out', () => {
  const store = { id: 's1', name: 'Mugs US', proxy: null, homeUrl: 'https://sellercentral.amazon.com/home', createdAt: 5, updatedAt: 5 };
  // Fields that are not set (null, or an empty list or object) are no news on either side.
  assert.deepEqual(changedFields({ scope: {}, stepUp: [] }, { scope: null }).changes, []);
  assert.deepEqual(changedFields(null, store).changes, [
    { path: ['name'], before: undefined, after: 'Mugs US' },
    { path: ['homeUrl'], before: undefined, after: 'https://sellercentral.amazon.com/home' },
  ]);
  assert.deepEqual(
    changedFields(store, null).changes.map((c) => [c.path.join('.'), c.after]),
    [
      ['name', undefined],
      ['homeUrl', undefined],
    ],
  );
  // A field that appears (proxy set) shows its parts.
  assert.deepEqual(changedFields(store, { ...store, proxy: { scheme: 'socks5', host: 'p.example', port: 1080 } }).changes, [
    { path: ['proxy'], before: null, after: { scheme: 'socks5', host: 'p.example', port: 1080 } },
  ]);
});

test('any JSON is fine, and a huge change is cut at the limit with a count of the rest', () => {
  assert.deepEqual(changedFields('a', 'b').changes, [{ path: [], before: 'a', after: 'b' }]);
  assert.deepEqual(changedFields([1, 2], [1, 2]).changes, []);
  assert.deepEqual(changedFields(null, null).changes, []);
  assert.deepEqual(changedFields({ x: [{ id: 'd' }, { id: 'd' }] }, { x: [] }).changes, [{ path: ['x'], before: [{ id: 'd' }, { id: 'd' }], after: [] }], 'duplicate ids: the list as a whole');
  const wide = (n: number, v: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, v]));
  const cut = changedFields(wide(1000, 1), wide(1000, 2), 200);
  assert.deepEqual([cut.changes.length, cut.more, cut.changes[0]!.path], [200, 800, ['k0']]);
});
