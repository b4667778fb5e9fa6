#!/usr/bin/env node
// Builds the console (renderer/) with esbuild into dist/renderer/:
//   index.html  the page: a Content-Security-Policy meta tag (the hosts also send it as a
//               header), one external stylesheet and one external module script, nothing inline
//   app.js      renderer/main.tsx and everything it imports (React, zustand, i18next, shared/)
//   app.css     the stylesheet main.tsx imports
//   *.map       linked source maps
// The system-browser host serves this folder as static files; Electron loads app://console/index.html.
// Flags: --dev (no minification, React's development build), --watch (rebuild on change),
// --outdir <dir> (build elsewhere, e.g. a test's own folder, so parallel builds never collide).
import { build, context } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdirFlag = process.argv.indexOf('--outdir');
const outdir = outdirFlag > 0 && process.argv[outdirFlag + 1] ? resolve(process.argv[outdirFlag + 1]) : join(root, 'dist', 'renderer');
const dev = process.argv.includes('--dev');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const options = {
  absWorkingDir: root,
  entryPoints: { app: 'renderer/main.tsx' },
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  // Electron 45 ships Chromium 140; the system-browser host needs a current Chrome/Chromium.
  target: ['chrome120'],
  jsx: 'automatic',
  tsconfig: 'renderer/tsconfig.json',
  minify: !dev,
  sourcemap: 'linked',
  legalComments: 'none',
  charset: 'utf8',
  define: { 'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production') },
  loader: { '.css': 'css' },
  metafile: true,
  logLevel: 'warning',
};

const started = Date.now();
await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
await copyFile(join(root, 'renderer', 'index.html'), join(outdir, 'index.html'));

if (watch) {
  const ctx = await context({ ...options, logLevel: 'info' });
  await ctx.watch();
  console.log(`[build-renderer] watching renderer/ → ${relative(root, outdir)}/`);
} else {
  const result = await build(options);
  const sizes = Object.entries(result.metafile.outputs)
    .filter(([file]) => !file.endsWith('.map'))
    .map(([file, out]) => `${relative(root, join(root, file))} ${(out.bytes / 1024).toFixed(0)} kB`);
  console.log(`[build-renderer] ${sizes.join(', ')}, index.html (${Date.now() - started} ms${dev ? ', development' : ''})`);
}
