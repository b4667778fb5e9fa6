#!/usr/bin/env node
// Builds the Electron host with esbuild:
//   electron/main/index.ts    → dist/electron/main/index.js    (ES module, as package.json "type": "module" and "main" say)
//   electron/core/audit/export-worker.ts → dist/electron/main/export-worker.js (log export worker threads)
//   electron/preload/index.ts → dist/electron/preload/index.cjs (CommonJS: sandboxed preloads cannot be ES modules)
// `electron` is provided by the runtime; `better-sqlite3` is a native module loaded from
// node_modules (rebuilt for Electron's ABI by electron-builder, see electron-builder.yml).
// Everything else (zod, electron-store, shared/, electron/core/) is bundled.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production') || process.env.NODE_ENV === 'production';

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  sourcemap: production ? false : 'linked',
  minify: false,
  legalComments: 'none',
  logLevel: 'info',
  define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
};

await Promise.all([
  build({
    ...common,
    entryPoints: ['electron/main/index.ts'],
    outfile: 'dist/electron/main/index.js',
    format: 'esm',
    target: 'node22', // Electron 45's Node
    external: ['electron', 'better-sqlite3'],
    // Bundled CommonJS dependencies call require(); an ES module has none of its own.
    banner: { js: "import { createRequire as __swCreateRequire } from 'node:module'; const require = __swCreateRequire(import.meta.url);" },
  }),
  // Log exports run in worker threads (core/audit/export-parallel.ts looks for this file next to the main bundle).
  build({
    ...common,
    entryPoints: ['electron/core/audit/export-worker.ts'],
    outfile: 'dist/electron/main/export-worker.js',
    format: 'esm',
    target: 'node22',
    external: ['better-sqlite3'],
    banner: { js: "import { createRequire as __swCreateRequire } from 'node:module'; const require = __swCreateRequire(import.meta.url);" },
  }),
  build({
    ...common,
    entryPoints: ['electron/preload/index.ts'],
    outfile: 'dist/electron/preload/index.cjs',
    format: 'cjs',
    target: 'chrome140', // Electron 45's Chromium
    external: ['electron'],
  }),
]);
