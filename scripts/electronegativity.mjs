#!/usr/bin/env node
// Runs Electronegativity (Doyensec's Electron security linter) over the Electron host and fails
// on any HIGH-severity finding. Prints every finding; `npm test` runs it through
// test/integration/electronegativity.test.ts. Usage: node scripts/electronegativity.mjs [--json]
//
// Uses the tool's programmatic runner rather than its report files: its CSV writer writes the
// header and the rows with two racing async writes (the header can overwrite the first row), and
// its SARIF report drops the severity.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const run = require('@doyensec/electronegativity/dist/runner.js');
const electronVersion = require('electron/package.json').version;

/** The whole host folder at once: the global checks (navigation limits, CSP) look across files. */
export async function runElectronegativity() {
  const input = join(root, 'electron');
  const { issues, errors } = await run({ input, isRelative: true, electronVersionOverride: electronVersion });
  if (errors.length > 0) throw new Error(`electronegativity could not parse: ${JSON.stringify(errors)}`);
  return issues.map((issue) => ({
    issue: issue.id,
    severity: issue.severity.name,
    confidence: issue.confidence.name,
    file: issue.file,
    location: `${issue.location.line}:${issue.location.column}`,
    description: issue.description,
  }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const findings = await runElectronegativity();
  if (process.argv.includes('--json')) console.log(JSON.stringify(findings, null, 2));
  else for (const f of findings) console.log(`${f.severity.padEnd(13)} ${f.issue}  electron/${f.file}:${f.location}  ${f.description}`);
  const high = findings.filter((f) => f.severity === 'HIGH');
  console.log(`electronegativity (Electron ${electronVersion}): ${findings.length} finding(s), ${high.length} high`);
  process.exit(high.length > 0 ? 1 : 0);
}
