// Smoke checks of the benchmarks in quick mode: they must run and produce
// sane figures, and ShopWarden and the casbin baseline must agree where their semantics
// coincide. Times are never asserted: they depend on the machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runDecideBench } from '../../bench/decide';
import { runGuardOverheadBench } from '../../bench/guard-overhead';
import { runLogViewerBench } from '../../bench/log-viewer';
import { runMemoryBench } from '../../bench/memory';

test('the decide benchmark runs in quick mode and produces sane figures', async () => {
  const lines: string[] = [];
  const f = await runDecideBench({ quick: true, log: (line) => lines.push(line) });

  assert.equal(f.quick, true);
  assert.ok(f.requests > 0, 'some requests were generated');
  assert.ok(f.policy.stores > 0 && f.policy.staff > 0 && f.policy.customRules > 0, JSON.stringify(f.policy));
  assert.equal(f.policy.problems, 0, 'the generated policy compiles without problems');
  for (const [name, rate] of [['ShopWarden', f.shopwarden.decisionsPerSecond], ['casbin', f.casbin.decisionsPerSecond]] as const)
    assert.ok(Number.isFinite(rate) && rate > 0, `${name} decisions/s should be a positive number, got ${rate}`);
  assert.ok(Number.isFinite(f.ratio) && f.ratio > 0, `ratio ${f.ratio}`);
  for (const value of [f.shopwarden.p50Micros, f.shopwarden.p99Micros, f.casbin.p50Micros, f.casbin.p99Micros, f.heapUsedMB])
    assert.ok(Number.isFinite(value) && value >= 0, `figure ${value}`);
  assert.ok(f.shopwarden.allowedShare > 0 && f.shopwarden.allowedShare < 1, 'the mix has both allowed and blocked requests');

  assert.ok(f.agreement.compared > 0, 'some requests were comparable');
  assert.equal(f.agreement.passed, true, `ShopWarden and casbin disagree:\n${f.agreement.disagreements.join('\n')}`);
  assert.equal(f.agreement.agreed, f.agreement.compared);

  assert.equal(typeof f.targets.p99Met, 'boolean');
  assert.equal(typeof f.targets.ratioMet, 'boolean');
  assert.ok(lines.some((l) => l.startsWith('target p99')) && lines.some((l) => l.startsWith('target >=')), 'targets are printed');
});

test('the memory benchmark measures every store session and the plain-browser baseline', { timeout: 120_000 }, async (t) => {
  const f = await runMemoryBench({ quick: true, log: () => {} });
  if (f.skipped) return t.skip(f.skipped);
  assert.equal(f.perStore.length, f.stores);
  for (const m of [...f.perStore, f.baseline!]) {
    assert.ok(m.processes >= 2, `a Chromium tree has a browser and a renderer at least: ${JSON.stringify(m)}`);
    assert.ok(m.pssMB > 0 && m.rssMB >= m.pssMB, JSON.stringify(m));
  }
  assert.ok(Number.isFinite(f.ratio) && f.ratio > 0);
});

test('the guard-overhead benchmark loads the heavy page guarded, unguarded and only intercepted, every guarded request decided', { timeout: 120_000 }, async (t) => {
  const f = await runGuardOverheadBench({ quick: true, log: () => {} });
  if (f.skipped) return t.skip(f.skipped);
  assert.equal(f.guarded.length, f.rounds);
  assert.equal(f.plain.length, f.rounds);
  assert.equal(f.interceptOnly.length, f.rounds);
  for (const load of [...f.guarded, ...f.plain, ...f.interceptOnly]) {
    assert.equal(load.failed, 0, 'every sub-request of the heavy page loads, guarded or not');
    assert.ok(Number.isFinite(load.ms) && load.ms > 0, `load time ${load.ms}`);
  }
  // The guard decided the page and each of its sub-requests, and nothing guarded the baseline.
  assert.ok(f.decisionsPerLoad >= f.subRequests + 1, `${f.decisionsPerLoad} decisions for ${f.subRequests} sub-requests`);
  assert.equal(f.plainDecisions, 0);
  assert.ok(Number.isFinite(f.ratio) && f.ratio > 0, `ratio ${f.ratio}`);
  assert.ok(Number.isFinite(f.interceptOnlyRatio) && f.interceptOnlyRatio > 0, `intercept-only ratio ${f.interceptOnlyRatio}`);
});

test('the log-viewer benchmark seeds a valid log, times every filter combination, both exports and the console heap', { timeout: 120_000 }, async () => {
  const f = await runLogViewerBench({ quick: true, log: () => {} });
  assert.equal(f.quick, true);
  assert.equal(f.seed.chainIntact, true, 'the seeded log verifies');
  assert.ok(f.totalRows > f.rows);
  assert.equal(f.combinations, 2 ** f.filterKeys.length, 'every subset of the filter keys');
  assert.equal(f.timings.length, f.combinations * f.probes.length);
  for (const t of f.timings) {
    // Each combination is filled from a probe row, which therefore matches it.
    assert.ok(t.rows >= 1 && t.matching >= t.rows, `${t.keys.join('+')} (${t.probe}): ${t.rows} rows of ${t.matching}`);
    assert.ok(Number.isFinite(t.page.ms) && Number.isFinite(t.count.ms));
  }
  assert.ok(f.baseline.measured > 0);
  assert.deepEqual(
    f.exports.map((e) => e.format),
    ['csv', 'jsonl'],
  );
  for (const e of f.exports) assert.ok(e.rows >= f.totalRows && e.mb > 0, JSON.stringify(e));
  if (f.heap) {
    assert.ok(f.heap.before.usedMB > 0 && f.heap.after.usedMB > 0, JSON.stringify(f.heap));
    assert.ok(f.heap.after.tableRows > 0, 'the table shows rows after scrolling');
  } else assert.ok(f.heapSkipped);
});
