import { test } from 'node:test';
import assert from 'node:assert/strict';
// @ts-expect-error — a plain ESM script without type declarations
import { runElectronegativity } from '../../scripts/electronegativity.mjs';

interface Finding {
  issue: string;
  severity: string;
  file: string;
  confidence: string;
  location: string;
  description: string;
}

test('Electronegativity finds no high-severity issue in the Electron host', { timeout: 180_000 }, async () => {
  const findings = (await runElectronegativity()) as Finding[];
  // It really read our TypeScript: findings point into electron/main (e.g. the reviewed preload).
  assert.ok(findings.some((f) => f.file.startsWith('main/')), `no finding points into electron/main: ${JSON.stringify(findings)}`);
  const high = findings.filter((f) => f.severity === 'HIGH');
  assert.deepEqual(high.map((f) => `${f.issue} ${f.file}:${f.location}`), []);
});
