import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineIdentity } from '../../electron/core/trust/machine-key';
import { exportLogBundle } from '../../electron/core/trust/log-bundle';
import { runRetention } from '../../electron/core/trust/retention';
import { freshDir } from './db-test-helpers';
import { DAY, event, flipChar, openTrustDb } from '../fixtures/trust/helpers';

const BIN = fileURLToPath(new URL('../../bin/shopwarden.mjs', import.meta.url));
const T = Date.UTC(2025, 0, 1);

/** Runs the real launcher with node, from a directory that is not the project. */
function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: freshDir(), encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

function loggedDb(rows = 12) {
  const t = openTrustDb(T);
  const alice = t.repos.users.create({ username: 'alice', kind: 'staff', passwordHash: 'x', passwordSalt: 'y' });
  t.write(Array.from({ length: rows }, (_, i) => event(T + i * DAY, { actorId: alice.id, url: `https://sellercentral.amazon.com/orders-v3?page=${i + 1}` })));
  return t;
}

test('help and usage errors', () => {
  const help = cli('--help');
  assert.equal(help.code, 0);
  assert.match(help.out, /verify-log .*\n.*export-log .*\n.*import-bundle/);
  for (const command of ['verify-log', 'export-log', 'import-bundle']) {
    const r = cli(command, '--help');
    assert.equal(r.code, 0, command);
    assert.match(r.out, new RegExp(`Usage: shopwarden ${command}`));
    assert.match(r.out, /Exit codes/);
  }
  assert.equal(cli().code, 2);
  assert.match(cli('frobnicate').err, /unknown command "frobnicate"/);
  assert.equal(cli('frobnicate').code, 2);
  assert.equal(cli('verify-log').code, 2);
  assert.equal(cli('verify-log', 'a', 'b').code, 2);
  assert.equal(cli('verify-log', '--bogus', 'x').code, 2);
  const missing = cli('verify-log', '/no/such/file.db');
  assert.equal(missing.code, 2);
  assert.match(missing.err, /no such file/);
  const t = loggedDb();
  assert.equal(cli('export-log', t.file, '--format', 'xml').code, 2);
  assert.equal(cli('export-log', t.file, '--since', '-3').code, 2);
  const badZone = cli('export-log', t.file, '--format', 'csv', '--time-zone', 'Mars/Olympus');
  assert.equal(badZone.code, 2);
  assert.match(badZone.err, /--time-zone must be an IANA time zone/);
  const notLog = join(freshDir(), 'notes.txt');
  writeFileSync(notLog, 'hello');
  assert.equal(cli('verify-log', notLog).code, 2);
});

test('verify-log on a database: 0 when intact (also after a retention cut), 1 with the first bad row when not', async () => {
  const t = loggedDb();
  const ok = cli('verify-log', t.file);
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /^intact: 12 rows, head [0-9a-f]{64}/);

  t.clock.set(T + 200 * DAY);
  const cut = await runRetention(t.deps, { archiveDir: join(freshDir(), 'archives'), keepDays: 190 });
  assert.ok(cut.cut);
  t.writer.flush();
  const afterCut = cli('verify-log', t.file, '--json');
  assert.equal(afterCut.code, 0, afterCut.err);
  assert.deepEqual(JSON.parse(afterCut.out).rows, 13);
  const archive = cli('verify-log', cut.archiveFile);
  assert.equal(archive.code, 0, archive.err);
  assert.match(archive.out, /intact archive: rows 1–10 \(10\)/);

  t.db.exec('DROP TRIGGER audit_log_no_update');
  t.db.prepare("UPDATE audit_log SET url = 'https://sellercentral.amazon.com/payments' WHERE id = 11").run();
  const bad = cli('verify-log', t.file);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /BROKEN at row 11: hash mismatch/);

  const damaged = join(freshDir(), 'damaged.jsonl.gz');
  const bytes = readFileSync(cut.archiveFile);
  bytes[bytes.length - 12] = bytes[bytes.length - 12]! ^ 0xff;
  writeFileSync(damaged, bytes);
  assert.equal(cli('verify-log', damaged).code, 1);
});

test('export-log writes CSV or JSON lines, from a given row, to a file or standard output', () => {
  const t = loggedDb();
  const jsonl = cli('export-log', t.file, '--since', '9');
  assert.equal(jsonl.code, 0, jsonl.err);
  const rows = jsonl.out.trim().split('\n').map((line) => JSON.parse(line) as { id: number; hash: string; url: string });
  assert.deepEqual(rows.map((r) => r.id), [10, 11, 12]);
  assert.equal(rows[0]!.url, 'https://sellercentral.amazon.com/orders-v3?page=10');

  const out = join(freshDir(), 'log.csv');
  const csv = cli('export-log', t.file, '--format', 'csv', '--out', out);
  assert.equal(csv.code, 0, csv.err);
  assert.match(csv.err, /exported 12 rows/);
  const lines = readFileSync(out, 'utf8').split('\r\n');
  assert.ok(lines[0]!.startsWith('\uFEFFid,time,kind,actor,store'));
  assert.match(lines[1]!, /^1,2025-01-01T00:00:00.000Z,navigation,alice,store-1,/);
  assert.equal(lines.length, 14); // header, 12 rows, final empty

  const local = cli('export-log', t.file, '--format', 'csv', '--time-zone', 'Asia/Shanghai');
  assert.equal(local.code, 0, local.err);
  assert.match(local.out.split('\r\n')[1]!, /^1,2025-01-01T08:00:00.000\+08:00,navigation,alice,store-1,/);
});

test('export-log never writes over the database it reads (by name, link or journal) and says when --out cannot be written; nothing is half-written', () => {
  const t = loggedDb();
  t.writer.close();
  const before = readFileSync(t.file);
  const dir = freshDir();
  const link = join(dir, 'same.db');
  symlinkSync(t.file, link);
  for (const out of [t.file, link, `${t.file}-wal`]) {
    const refused = cli('export-log', t.file, '--out', out);
    assert.equal(refused.code, 2, out);
    assert.match(refused.err, /refusing to write over the database it reads/);
  }
  assert.ok(readFileSync(t.file).equals(before), 'the database is untouched');
  assert.equal(cli('verify-log', t.file).code, 0);

  const unwritable = cli('export-log', t.file, '--out', join(dir, 'no-such-folder', 'log.jsonl'));
  assert.equal(unwritable.code, 2);
  assert.match(unwritable.err, /log\.jsonl: cannot be written \(ENOENT\)/);
  const out = join(dir, 'log.jsonl');
  assert.equal(cli('export-log', t.file, '--out', out).code, 0);
  assert.deepEqual(readdirSync(dir).sort(), ['log.jsonl', 'same.db'], 'no partial file left behind');
});

test('import-bundle leaves an SQLite file that is not a ShopWarden database as it was', () => {
  const file = join(freshDir(), 'other.db');
  const other = new Database(file);
  other.exec('CREATE TABLE notes (text TEXT)');
  other.close();
  const before = readFileSync(file);
  const bundle = join(freshDir(), 'bundle.json');
  writeFileSync(bundle, '{"format":"shopwarden-log-bundle-1"}');
  const refused = cli('import-bundle', file, bundle);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /not a ShopWarden database/);
  assert.ok(readFileSync(file).equals(before), 'not migrated');
});

test('import-bundle: 0 and a TOFU message on first import, 1 with the reason for a replay or a tampered bundle', () => {
  const staff = loggedDb(5);
  machineIdentity(staff.repos.settings, T, { name: 'front-desk' });
  const dir = freshDir();
  const bundle = join(dir, 'b1.json');
  writeFileSync(bundle, exportLogBundle(staff.deps).text);
  const owner = openTrustDb(T);
  owner.writer.close();

  const verified = cli('verify-log', bundle);
  assert.equal(verified.code, 0, verified.err);
  assert.match(verified.out, /intact log bundle from "front-desk".*rows 1–5/);

  const tampered = join(dir, 'tampered.json');
  const text = readFileSync(bundle, 'utf8');
  writeFileSync(tampered, flipChar(text, text.indexOf('page=2') + 5));
  assert.equal(cli('verify-log', tampered).code, 1);
  const rejected = cli('import-bundle', owner.file, tampered);
  assert.equal(rejected.code, 1);
  assert.match(rejected.err, /rejected \(bad-signature\)/);

  assert.equal(cli('import-bundle', owner.file, bundle, '--require-enrolled').code, 1);
  const first = cli('import-bundle', owner.file, bundle);
  assert.equal(first.code, 0, first.err);
  assert.match(first.out, /imported 5 rows from "front-desk".*trusted from now on/);
  const replay = cli('import-bundle', owner.file, bundle);
  assert.equal(replay.code, 1);
  assert.match(replay.err, /rejected \(replay\): already imported/);
  assert.equal((owner.db.prepare('SELECT count(*) AS n FROM imported_audit').get() as { n: number }).n, 5);
  assert.equal(cli('import-bundle', owner.file).code, 2);
});
