import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AssignmentInput, assignmentActiveAt } from '../../shared/model/assignment';
import { StoreInput, storePartition } from '../../shared/model/store';
import { StaffInput } from '../../shared/model/staff';

test('store partition names never have a colon after "persist:"', () => {
  assert.equal(storePartition('abc-1'), 'persist:store-abc-1');
  assert.equal(storePartition('abc-1').split(':').length, 2);
});

test('a store needs an http(s) home URL', () => {
  const base = { name: 'US', platformId: 'amazon', siteId: 'us' };
  assert.equal(StoreInput.safeParse({ ...base, homeUrl: 'https://sellercentral.amazon.com/home' }).success, true);
  const bad = StoreInput.safeParse({ ...base, homeUrl: 'javascript:alert(1)' });
  assert.equal(bad.success, false);
  assert.match(bad.error!.issues[0]!.message, /http\(s\) URL/);
});

test('staff usernames follow 部门_姓名_站点 and reject spaces', () => {
  assert.equal(StaffInput.safeParse({ username: '运营_张三_美国站', password: 'long enough pw' }).success, true);
  assert.equal(StaffInput.safeParse({ username: 'has space', password: 'long enough pw' }).success, false);
  assert.equal(StaffInput.safeParse({ username: 'ok_name', password: 'short' }).success, false);
});

test('assignment windows: from inclusive, until exclusive, and must be ordered', () => {
  const a = { validFrom: 1000, validUntil: 2000 };
  assert.equal(assignmentActiveAt(a, 999), false);
  assert.equal(assignmentActiveAt(a, 1000), true);
  assert.equal(assignmentActiveAt(a, 1999), true);
  assert.equal(assignmentActiveAt(a, 2000), false);
  assert.equal(assignmentActiveAt({ validFrom: null, validUntil: null }, 0), true);
  const bad = AssignmentInput.safeParse({ staffId: 's', storeId: 't', roleId: 'r', validFrom: 5, validUntil: 5 });
  assert.equal(bad.success, false);
  assert.match(bad.error!.issues[0]!.message, /validUntil must be after validFrom/);
});
