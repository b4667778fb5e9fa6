import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changeKind, changedFields, MAX_CHANGES, MAX_DEPTH } from '../../shared/audit/changes';

// changedFields at its edges: how each change is classed, lists matched by id at any size, and
// any JSON at all (deep, wide, huge) giving a bounded answer without throwing.

const rule = (id: string, filter = `{seller}/${id}`) => ({ id, action: 'block', filter, note: '' });

test('a change is added, removed or changed by whether each side is set', () => {
  const kinds = (before: unknown, after: unknown) => changedFields(before, after).changes.map((c) => [c.path.join('.'), changeKind(c)]);
  // A create: every field is added; a delete: every field removed.
  assert.deepEqual(kinds(null, { name: 'Mugs US', group: 'US' }), [
    ['name', 'added'],
    ['group', 'added'],
  ]);
  assert.deepEqual(kinds({ name: 'Mugs US', group: 'US' }, undefined), [
    ['name', 'removed'],
    ['group', 'removed'],
  ]);
  // Null and empty lists are "not set"; an empty string is a value.
  assert.deepEqual(kinds({ proxy: null, stepUp: ['/a'], description: 'x', group: 'US' }, { proxy: { host: 'p' }, stepUp: [], description: '', group: 'EU' }), [
    ['proxy', 'added'],
    ['stepUp', 'removed'],
    ['description', 'changed'],
    ['group', 'changed'],
  ]);
});

test('rules matched by id: an insert, a removal and an edit in the middle of a long list are three changes', () => {
  const rules = Array.from({ length: 500 }, (_, i) => rule(`r${i}`));
  const after = [...rules];
  after.splice(250, 1); // r250 removed
  after.splice(100, 0, rule('new')); // one inserted before r100: every later rule moves
  after[400] = { ...after[400]!, filter: '{seller}/edited' };
  const edited = after[400]!.id;
  const { changes, more } = changedFields({ rules }, { rules: after });
  assert.equal(more, 0);
  assert.deepEqual(
    changes.map((c) => [c.path, changeKind(c)]),
    [
      [['rules', 'r250'], 'removed'],
      [['rules', edited, 'filter'], 'changed'],
      [['rules', 'new'], 'added'],
    ],
  );
  // Reordering alone is no change of any rule.
  assert.deepEqual(changedFields({ rules }, { rules: [...rules].reverse() }).changes, []);
});

test('a huge change is cut at the limit, the rest counted; a huge unchanged list is no change', () => {
  const many = (n: number, filter: (i: number) => string) => ({ rules: Array.from({ length: n }, (_, i) => rule(`r${i}`, filter(i))) });
  const { changes, more } = changedFields(many(50_000, (i) => `a${i}`), many(50_000, (i) => `b${i}`));
  assert.equal(changes.length, MAX_CHANGES);
  assert.equal(more, 50_000 - MAX_CHANGES);
  assert.deepEqual(changes[0], { path: ['rules', 'r0', 'filter'], before: 'a0', after: 'b0' });
  assert.deepEqual(changedFields(many(50_000, String), many(50_000, String)), { changes: [], more: 0 });
  // A list without ids is one change, whatever its length.
  const pages = Array.from({ length: 100_000 }, (_, i) => `/p${i}`);
  assert.equal(changedFields({ stepUp: pages }, { stepUp: [...pages, '/new'] }).changes.length, 1);
  // A smaller limit is honoured too.
  assert.deepEqual(
    (({ changes: c, more: m }) => [c.length, m])(changedFields(null, { a: 1, b: 2, c: 3 }, 2)),
    [2, 1],
  );
});

test('nesting of any depth neither throws nor gives a path longer than MAX_DEPTH', () => {
  const nest = (depth: number, leaf: unknown) => {
    let value = leaf;
    for (let i = 0; i < depth; i++) value = { x: value };
    return value;
  };
  const deep = changedFields(nest(50_000, 1), nest(50_000, 2));
  assert.equal(deep.changes.length, 1);
  assert.equal(deep.changes[0]!.path.length, MAX_DEPTH);
  // Equal however deep: nothing changed.
  assert.deepEqual(changedFields(nest(50_000, [1]), nest(50_000, [1])), { changes: [], more: 0 });
  // Deep lists too.
  const list = (depth: number, leaf: unknown) => {
    let value = leaf;
    for (let i = 0; i < depth; i++) value = [value];
    return value;
  };
  assert.equal(changedFields({ a: list(50_000, 1) }, { a: list(50_000, 2) }).changes.length, 1);
  // Shallow entities keep their full paths.
  assert.deepEqual(changedFields({ a: { b: { c: 1 } } }, { a: { b: { c: 2 } } }).changes[0]!.path, ['a', 'b', 'c']);
});

test('odd JSON: mismatched shapes, keys named like Object internals, scalars at the top', () => {
  assert.deepEqual(changedFields({ scope: { a: 1 } }, { scope: [1] }).changes, [{ path: ['scope'], before: { a: 1 }, after: [1] }]);
  const proto = JSON.parse('{"__proto__": {"x": 1}, "constructor": 1}') as unknown;
  const proto2 = JSON.parse('{"__proto__": {"x": 2}, "constructor": 1}') as unknown;
  assert.deepEqual(changedFields(proto, proto2).changes, [{ path: ['__proto__', 'x'], before: 1, after: 2 }]);
  assert.deepEqual(changedFields(1, '1').changes, [{ path: [], before: 1, after: '1' }]);
  assert.deepEqual(changedFields(true, null).changes, [{ path: [], before: true, after: null }]);
  assert.deepEqual(changedFields(undefined, undefined), { changes: [], more: 0 });
});
