import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextBoundary } from '../../electron/core/app/policy-holder';
import type { PolicyState } from '../../shared/policy/state';

type Assignment = PolicyState['assignments'][number];
const assignment = (validFrom: number | null, validUntil: number | null) => ({ validFrom, validUntil }) as Assignment;

test('the next start or end after now: of assignments and step-up grants, ignoring the past and open ends', () => {
  const state = { assignments: [assignment(null, null), assignment(50, 400), assignment(150, null)], grants: [{ until: 120 } as PolicyState['grants'][number]] };
  assert.equal(nextBoundary(state, 100), 120);
  assert.equal(nextBoundary(state, 120), 150);
  assert.equal(nextBoundary(state, 400), null);
});

test('a signed policy of a million assignments: found without spreading them into one call', () => {
  const assignments = Array.from({ length: 1_000_000 }, (_, i) => assignment(null, 1_000 + ((i * 7919) % 1_000_000)));
  assert.equal(nextBoundary({ assignments, grants: [] }, 1_000), 1_001);
});
