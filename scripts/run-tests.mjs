#!/usr/bin/env node
// Runs every test file with Node's own test runner (TypeScript through tsx). Node 20 has no
// glob support in `--test`, so the files are listed here. Pass folders/files to narrow the run.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const targets = process.argv.slice(2).length ? process.argv.slice(2) : ['test/unit', 'test/component', 'test/integration', 'test/e2e'];

function collect(path) {
  const abs = join(root, path);
  let stat;
  try {
    stat = statSync(abs);
  } catch {
    return [];
  }
  if (stat.isFile()) return [abs];
  return readdirSync(abs)
    .sort()
    .flatMap((name) => (name === 'fixtures' ? [] : statSync(join(abs, name)).isDirectory() ? collect(join(path, name)) : /\.test\.tsx?$/.test(name) ? [join(abs, name)] : []));
}

const files = targets.flatMap(collect);
if (files.length === 0) {
  console.error(`no test files under ${targets.join(', ')}`);
  process.exit(1);
}
console.log(`running ${files.length} test files: ${files.map((f) => relative(root, f)).join(' ')}`);
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
