// The system-browser host's "show in folder": which program each system gets, and a real start
// of it (a stand-in xdg-open on PATH that records its arguments), or a clear refusal without one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { revealCommand, revealInFileManager } from '../../electron/browser-host/reveal-file';
import { eventually } from '../e2e/helpers/eventually';

test('revealCommand: Explorer and Finder select the file; elsewhere xdg-open opens its folder; the path is one argument', () => {
  assert.deepEqual(revealCommand('C:\\Users\\me\\ShopWarden\\exports\\log 1.csv', 'win32'), { command: 'explorer.exe', args: ['/select,C:\\Users\\me\\ShopWarden\\exports\\log 1.csv'] });
  assert.deepEqual(revealCommand('/Users/me/Library/ShopWarden/exports/log; rm -rf ~.csv', 'darwin'), { command: 'open', args: ['-R', '/Users/me/Library/ShopWarden/exports/log; rm -rf ~.csv'] });
  assert.deepEqual(revealCommand('/home/me/.local/share/shopwarden/exports/log $(id).csv', 'linux'), { command: 'xdg-open', args: ['/home/me/.local/share/shopwarden/exports'] });
  assert.deepEqual(revealCommand('/data/exports/x.csv', 'freebsd'), { command: 'xdg-open', args: ['/data/exports'] });
});

test('revealInFileManager starts the opener with the folder (no shell), or says which program is missing', { skip: process.platform === 'win32' }, async () => {
  const bin = mkdtempSync(join(tmpdir(), 'shopwarden-opener-'));
  try {
    const record = join(bin, 'args.txt');
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > "${record}"\n`);
    chmodSync(join(bin, 'xdg-open'), 0o755);
    const folder = join(bin, `exports $(touch ${join(bin, 'pwned')})`);
    await revealInFileManager(join(folder, 'log.csv'), { platform: 'linux', env: { PATH: bin } });
    await eventually(() => existsSync(record) && readFileSync(record, 'utf8').endsWith('\n'), 'the opener to run');
    assert.equal(readFileSync(record, 'utf8'), `${folder}\n`);
    assert.equal(existsSync(join(bin, 'pwned')), false, 'nothing in the path was run');

    await assert.rejects(revealInFileManager(join(folder, 'log.csv'), { platform: 'linux', env: { PATH: join(bin, 'nothing-here') } }), /xdg-open is not installed on this computer/);
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
});
