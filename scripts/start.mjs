#!/usr/bin/env node
// `npm start`: builds what is needed, then runs ShopWarden in Electron when its runtime is
// installed, otherwise in the system-browser host (F30) with the machine's Chrome/Chromium.
// It says which one it uses. Extra arguments are passed on to the host.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const say = (message) => console.log(`shopwarden: ${message}`);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    say(`"${command} ${args.join(' ')}" failed`);
    process.exit(result.status ?? 1);
  }
}

/**
 * The Electron binary, or null when only the npm package (types, no runtime) is installed. Reads
 * the package's path.txt itself: require('electron') would try to download a missing binary.
 */
function electronBinary() {
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
    const relative = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
    const binary = override ? join(override, relative) : join(dir, 'dist', relative);
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

function start(command, args, env = process.env) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

run(process.execPath, ['scripts/build-renderer.mjs']);
const electron = process.env.SHOPWARDEN_HOST === 'browser' ? null : electronBinary();
if (electron) {
  say(`starting in Electron (${electron})`);
  run(process.execPath, ['scripts/build-electron.mjs']);
  start(electron, ['.', ...process.argv.slice(2)]);
} else {
  say('the Electron runtime is not installed: starting the system-browser host (Chrome/Chromium)');
  const hostArgs = ['--import', 'tsx', 'electron/browser-host/main.ts', ...process.argv.slice(2)];
  const needsDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY && !process.argv.includes('--headless');
  if (needsDisplay && spawnSync('which', ['xvfb-run']).status === 0) {
    say('no display found: running the browser windows on a virtual display (xvfb); open the console address below in any browser on this machine');
    start('xvfb-run', ['-a', process.execPath, ...hostArgs]);
  } else {
    start(process.execPath, hostArgs);
  }
}
