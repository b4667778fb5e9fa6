import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyAuditChain } from '../../electron/core/audit/verify';
import { AuditWriter } from '../../electron/core/audit/writer';
import { openDatabase } from '../../electron/core/db/open';
import { freshDir } from './db-test-helpers';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = join(ROOT, 'test/fixtures/trust/crash-writer.ts');

/** Runs the writer child until it has acknowledged `killAfter` rows, SIGKILLs it, answers the acknowledged ids. */
function runAndKill(file: string, killAfter: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let acked = 0;
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (!killed) {
        acked += chunk.split('\n').length - 1;
        if (acked > killAfter) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`the writer exited by itself (code ${code}): ${err}`));
      const lines = out.split('\n');
      lines.pop(); // a line cut by the kill was never fully acknowledged
      assert.equal(lines.shift(), 'ready');
      resolve(lines.map(Number));
    });
  });
}

test('SIGKILL in the middle of full-speed logging loses no acknowledged row and leaves the chain intact', { timeout: 120_000 }, async () => {
  const file = join(freshDir(), 'crash.db');
  let expectedFirst = 1;
  for (const killAfter of [3_000, 6_000, 500]) {
    const acked = await runAndKill(file, killAfter);
    assert.ok(acked.length > killAfter, `acknowledged ${acked.length}`);
    acked.forEach((id, i) => assert.equal(id, expectedFirst + i, 'ids are acknowledged in order'));
    const maxAcked = acked[acked.length - 1]!;

    const db = openDatabase(file);
    try {
      const verdict = verifyAuditChain(db);
      assert.equal(verdict.intact, true, JSON.stringify(verdict));
      const present = db.prepare('SELECT count(*) AS n, max(id) AS max FROM audit_log WHERE id >= ? AND id <= ?').get(expectedFirst, maxAcked) as { n: number; max: number };
      assert.deepEqual(present, { n: acked.length, max: maxAcked }, 'every acknowledged row is present');
      if (verdict.intact) expectedFirst = verdict.rows + 1;
      // The next writer continues the same chain.
      const writer = new AuditWriter(db, { onError: (e) => assert.fail(e.message) });
      writer.append({ ts: Date.now(), kind: 'login', actorId: 'after-crash' });
      writer.close();
      assert.equal(verifyAuditChain(db).intact, true);
      expectedFirst += 1;
    } finally {
      db.close();
    }
  }
});
