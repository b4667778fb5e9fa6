import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditEventInput } from '../../shared/model/audit';
import { buildAccessReview, type AccessReview, type AccessSuggestion } from '../../electron/core/trust/access-review';
import { applySuggestion } from '../../electron/core/trust/access-review-apply';
import { accessReviewCsv, accessReviewHtml } from '../../electron/core/trust/access-review-report';
import { enrollMachine } from '../../electron/core/trust/log-bundle-import';
import { generateSigningKeys } from '../../electron/core/trust/keys';
import { TrustError } from '../../electron/core/trust/errors';
import { addStaff, amazonUs } from './db-test-helpers';
import { DAY, openTrustDb } from '../fixtures/trust/helpers';

const T0 = Date.UTC(2025, 0, 1);
const NOW = T0 + 60 * DAY;

/** Seven staff members, each in one situation the review must recognise. */
function seeded() {
  const t = openTrustDb(T0);
  const { repos } = t;
  const us = repos.stores.create(amazonUs({ name: 'Amazon US <b>&"' }));
  const de = repos.stores.create(amazonUs({ name: 'Amazon DE', siteId: 'de', homeUrl: 'https://sellercentral.amazon.de/home' }));
  const operator = repos.roles.create({ name: 'Operator', levels: { orders: 'edit', listings: 'view' } });
  const ads = repos.roles.create({ name: 'Ads', levels: { advertising: 'edit', orders: 'view' } });
  const solo = repos.roles.create({ name: 'Pricing', levels: { pricing: 'edit', reports: 'edit' } });
  const temp = repos.roles.create({ name: 'Temporary', levels: { orders: 'view' } });
  const [alice, bob, carol, dave, erin, frank, george] = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'george'].map((name) => addStaff(repos, name));
  repos.users.update(alice!.id, { displayName: '=HYPERLINK("http://x")' });
  const assign = (staffId: string, storeId: string, roleId: string, validUntil: number | null = null) => repos.assignments.upsert({ staffId, storeId, roleId, validUntil });
  assign(alice!.id, us.id, operator.id);
  assign(bob!.id, us.id, ads.id);
  assign(carol!.id, de.id, ads.id);
  assign(dave!.id, us.id, temp.id, NOW + 3 * DAY);
  assign(frank!.id, us.id, temp.id, NOW - DAY);
  assign(george!.id, de.id, solo.id);
  t.clock.set(NOW - 2 * DAY);
  assign(erin!.id, de.id, temp.id);
  t.clock.set(NOW);

  const at = (daysAgo: number) => NOW - daysAgo * DAY;
  const row = (actorId: string, storeId: string, ts: number, kind: AuditEventInput['kind'], module: string | null, extra: Partial<AuditEventInput> = {}): AuditEventInput => ({
    ts,
    kind,
    actorId,
    storeId,
    url: 'https://sellercentral.amazon.com/x',
    method: kind === 'mutation' ? 'POST' : 'GET',
    module,
    decision: 'allowed',
    reason: kind === 'mutation' ? 'module-edit' : 'module-view',
    ...extra,
  });
  t.write([
    row(carol!.id, de.id, at(45), 'navigation', 'advertising'),
    row(alice!.id, us.id, at(6), 'navigation', 'orders'),
    row(alice!.id, us.id, at(5), 'mutation', 'orders'),
    row(alice!.id, us.id, at(4), 'mutation', 'listings', { reason: 'module-view-readonly-post' }),
    row(alice!.id, us.id, at(4), 'navigation', null),
    row(bob!.id, us.id, at(3), 'navigation', 'advertising'),
    row(bob!.id, us.id, at(3), 'navigation', 'orders'),
    row(bob!.id, us.id, at(2), 'block', 'payments', { decision: 'blocked', reason: 'module-none' }),
    row(george!.id, de.id, at(1), 'navigation', 'pricing'),
    row(frank!.id, us.id, at(20), 'navigation', 'orders'),
  ]);
  // Dave works on his own machine: his use arrives through an imported log bundle.
  enrollMachine(t.db, { machineId: 'shop-pc-2', name: 'Shop PC 2', publicKeyPem: generateSigningKeys().publicKeyPem }, NOW);
  t.db
    .prepare("INSERT INTO imported_audit (machine_id, id, ts, kind, actor_id, store_id, module, decision, detail, prev_hash, hash, imported_at) VALUES ('shop-pc-2', 1, ?, 'navigation', ?, ?, 'orders', 'allowed', '{}', ?, ?, ?)")
    .run(at(1), dave!.id, us.id, '0'.repeat(64), '1'.repeat(64), NOW);
  return { t, us, de, operator, ads, solo, temp, alice: alice!, bob: bob!, carol: carol!, dave: dave!, erin: erin!, frank: frank!, george: george! };
}

function suggestionsOf(review: AccessReview, staffId: string): AccessSuggestion[] {
  return review.staff.find((s) => s.staffId === staffId)!.suggestions;
}

test('granted against used, per staff member, with the suggestions each situation calls for', () => {
  const s = seeded();
  const review = buildAccessReview(s.t.db, s.t.repos, { now: NOW, windowDays: 30 });
  assert.equal(review.from, NOW - 30 * DAY);
  assert.deepEqual(review.staff.map((x) => x.username), ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'george']);

  const alice = review.staff[0]!;
  const us = alice.assignments[0]!;
  assert.equal(us.roleName, 'Operator');
  assert.equal(us.roleHolders, 1);
  assert.equal(us.lastUsed, NOW - 4 * DAY);
  assert.deepEqual(
    us.modules.map((m) => [m.module, m.granted, m.navigations, m.mutations]),
    [
      ['listings', 'view', 1, 0], // a read-only POST is a read
      ['orders', 'edit', 1, 1],
      ['(other)', 'view', 1, 0],
    ],
  );
  assert.deepEqual(alice.suggestions, []);

  const bob = suggestionsOf(review, s.bob.id);
  assert.deepEqual(bob.map((x) => [x.kind, 'modules' in x ? x.modules : null]), [['downgrade', ['advertising']]]);
  assert.deepEqual(suggestionsOf(review, s.carol.id).map((x) => x.kind), ['revoke']);
  assert.deepEqual(suggestionsOf(review, s.dave.id).map((x) => x.kind), ['expiring']);
  assert.equal(review.staff[3]!.assignments[0]!.lastUsed, NOW - DAY, 'imported rows count as use');
  assert.deepEqual(suggestionsOf(review, s.erin.id), [], 'assigned two days ago: too new to judge');
  assert.deepEqual(suggestionsOf(review, s.frank.id).map((x) => x.kind), ['remove-expired']);
  assert.deepEqual(suggestionsOf(review, s.george.id).map((x) => [x.kind, 'modules' in x ? x.modules : null]), [['downgrade', ['pricing', 'reports']]]);

  // Disabled staff get no suggestions.
  s.t.repos.users.setDisabled(s.carol.id, true);
  assert.deepEqual(suggestionsOf(buildAccessReview(s.t.db, s.t.repos, { now: NOW }), s.carol.id), []);
});

test('applying: a shared role is not changed — the person gets a derived role; a role of their own is changed in place', () => {
  const s = seeded();
  const review = buildAccessReview(s.t.db, s.t.repos, { now: NOW });
  const bob = suggestionsOf(review, s.bob.id)[0]!;
  const applied = applySuggestion(s.t.deps, 'owner-1', bob);
  assert.equal(applied.change, 'role-derived');
  assert.equal(applied.role!.name, 'Ads · bob');
  assert.deepEqual(applied.role!.levels, { advertising: 'view', orders: 'view' });
  assert.equal(s.t.repos.assignments.getFor(s.bob.id, s.us.id)!.roleId, applied.role!.id);
  assert.deepEqual(s.t.repos.roles.get(s.ads.id)!.levels, { advertising: 'edit', orders: 'view' }, 'carol keeps the shared role as it was');
  assert.throws(() => applySuggestion(s.t.deps, 'owner-1', bob), (e: unknown) => e instanceof TrustError && e.code === 'stale');

  const george = suggestionsOf(review, s.george.id)[0]!;
  const inPlace = applySuggestion(s.t.deps, 'owner-1', george);
  assert.equal(inPlace.change, 'role-updated');
  assert.deepEqual(s.t.repos.roles.get(s.solo.id)!.levels, { pricing: 'view', reports: 'view' });

  s.t.writer.flush();
  const changes = s.t.db.prepare("SELECT actor_id AS actorId, detail FROM audit_log WHERE kind = 'owner-change' ORDER BY id").all() as Array<{ actorId: string; detail: string }>;
  assert.deepEqual(
    changes.map((c) => {
      const d = JSON.parse(c.detail) as { entity: string; action: string; source: string };
      return [c.actorId, d.entity, d.action, d.source];
    }),
    [
      ['owner-1', 'role', 'create', 'access-review'],
      ['owner-1', 'assignment', 'update', 'access-review'],
      ['owner-1', 'role', 'update', 'access-review'],
    ],
  );
});

test('applying revoke, renew, end and remove-expired', () => {
  const s = seeded();
  const review = buildAccessReview(s.t.db, s.t.repos, { now: NOW });
  const carol = suggestionsOf(review, s.carol.id)[0]!;
  assert.equal(applySuggestion(s.t.deps, null, carol).change, 'assignment-deleted');
  assert.equal(s.t.repos.assignments.getFor(s.carol.id, s.de.id), null);

  const dave = suggestionsOf(review, s.dave.id)[0]!;
  assert.throws(() => applySuggestion(s.t.deps, null, dave), /renew the access/);
  assert.throws(() => applySuggestion(s.t.deps, null, dave, { action: 'renew', validUntil: NOW - 1 }), /in the future/);
  const renewed = applySuggestion(s.t.deps, null, dave, { action: 'renew', validUntil: NOW + 30 * DAY });
  assert.equal(renewed.assignment!.validUntil, NOW + 30 * DAY);
  assert.equal(applySuggestion(s.t.deps, null, dave, { action: 'end' }).change, 'assignment-deleted');

  const frank = suggestionsOf(review, s.frank.id)[0]!;
  assert.equal(applySuggestion(s.t.deps, null, frank).change, 'assignment-deleted');
  const after = buildAccessReview(s.t.db, s.t.repos, { now: NOW });
  assert.deepEqual([s.carol.id, s.dave.id, s.frank.id].map((id) => after.staff.find((x) => x.staffId === id)!.assignments.length), [0, 0, 0]);
});

for (const [what, roleName, username, derivedName] of [
  ['ends in a space', 'r'.repeat(77), 'bob', `${'r'.repeat(77)} ·`],
  ['splits a character', 'r'.repeat(76), '𠀀bob', `${'r'.repeat(76)} ·`],
] as const) {
  test(`a derived role name whose cut at 80 ${what} is kept whole and trimmed, so the person's next downgrade reuses it`, () => {
    const t = openTrustDb(T0);
    const { repos } = t;
    const us = repos.stores.create(amazonUs());
    const de = repos.stores.create(amazonUs({ name: 'Amazon DE', siteId: 'de', homeUrl: 'https://sellercentral.amazon.de/home' }));
    const shared = repos.roles.create({ name: roleName, levels: { advertising: 'edit' } });
    const person = addStaff(repos, username);
    const other = addStaff(repos, 'carol');
    const onUs = repos.assignments.upsert({ staffId: person.id, storeId: us.id, roleId: shared.id });
    const onDe = repos.assignments.upsert({ staffId: person.id, storeId: de.id, roleId: shared.id });
    repos.assignments.upsert({ staffId: other.id, storeId: us.id, roleId: shared.id });
    const downgrade = (a: typeof onUs): AccessSuggestion => ({ id: `downgrade:${a.id}`, kind: 'downgrade', staffId: a.staffId, storeId: a.storeId, assignmentId: a.id, roleId: a.roleId, modules: ['advertising'], reason: '' });

    const first = applySuggestion(t.deps, 'owner-1', downgrade(onUs));
    const second = applySuggestion(t.deps, 'owner-1', downgrade(onDe));
    assert.equal(first.role!.name, derivedName);
    assert.equal(second.role!.id, first.role!.id);
    t.writer.flush();
    const created = t.db.prepare("SELECT detail FROM audit_log WHERE kind = 'owner-change' AND json_extract(detail, '$.entity') = 'role' AND json_extract(detail, '$.action') = 'create'").all();
    assert.equal(created.length, 1);
  });
}

test('CSV and printable HTML exports escape what came from outside', () => {
  const s = seeded();
  const review = buildAccessReview(s.t.db, s.t.repos, { now: NOW });
  const csv = accessReviewCsv(review, { timeZone: 'Asia/Shanghai' });
  assert.ok(csv.startsWith('\uFEFFstaff,display_name,'));
  assert.match(csv, /\r\nalice,"'=HYPERLINK\(""http:\/\/x""\)",no,"Amazon US <b>&""",Operator,1,active,,,2025-02-26 08:00,listings,view,1,0,2025-02-26 08:00,\r\n/);
  assert.match(csv, /bob,,no,"Amazon US <b>&""",Ads,2,active,.*,advertising,edit,1,0,.*,Downgrade to View: advertising/);
  assert.match(csv, /erin,,no,Amazon DE,Temporary,3,active/);

  const html = accessReviewHtml(review, { timeZone: 'Asia/Shanghai', title: 'Review <script>' });
  assert.ok(html.startsWith('<!DOCTYPE html>'));
  assert.doesNotMatch(html, /<script|<b>&"/);
  assert.match(html, /Amazon US &lt;b&gt;&amp;&quot;/);
  assert.match(html, /Review &lt;script&gt;/);
  assert.match(html, /no changes made in advertising/);
  assert.doesNotMatch(html, /(src|href)=/, 'self-contained: no external resources');
});
