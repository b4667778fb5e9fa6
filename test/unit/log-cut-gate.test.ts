import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogCutGate } from '../../electron/core/app/log-cut-gate';

/** A piece of work the test finishes when it wants, recording when it starts and ends. */
function work(name: string, events: string[]) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    run: async () => {
      events.push(`${name} start`);
      await done;
      events.push(`${name} end`);
      return name;
    },
    finish: () => finish(),
  };
}

const turns = () => new Promise((resolve) => setImmediate(resolve));

test('a cut waits for the reads under way; reads run side by side', async () => {
  const gate = new LogCutGate();
  const events: string[] = [];
  const [a, b, c] = [work('read a', events), work('read b', events), work('cut', events)];
  const reads = [gate.read(a.run), gate.read(b.run)];
  const cut = gate.cut(c.run);
  await turns();
  assert.deepEqual(events, ['read a start', 'read b start']);
  a.finish();
  await turns();
  assert.deepEqual(events, ['read a start', 'read b start', 'read a end'], 'one read still runs');
  b.finish();
  await turns();
  assert.deepEqual(events.slice(3), ['read b end', 'cut start']);
  c.finish();
  assert.deepEqual(await Promise.all([...reads, cut]), ['read a', 'read b', 'cut']);
});

test('a read that starts during a cut waits for it; one cut at a time', async () => {
  const gate = new LogCutGate();
  const events: string[] = [];
  const [c1, c2, r] = [work('cut 1', events), work('cut 2', events), work('read', events)];
  const first = gate.cut(c1.run);
  await turns();
  const second = gate.cut(c2.run);
  const read = gate.read(r.run);
  await turns();
  assert.deepEqual(events, ['cut 1 start']);
  c1.finish();
  await turns();
  assert.equal(events.filter((e) => e.endsWith('start')).length, 2, 'after the first cut, one waiter runs');
  assert.ok(!(events.includes('cut 2 start') && events.includes('read start')), 'never a cut and a read together');
  c2.finish();
  r.finish();
  await Promise.all([first, second, read]);
  assert.deepEqual(events.filter((e) => e.endsWith('start')).length, 3);
});

test('a failed cut or read releases the gate', async () => {
  const gate = new LogCutGate();
  await assert.rejects(gate.cut(async () => Promise.reject(new Error('disk full'))), /disk full/);
  await assert.rejects(gate.read(async () => Promise.reject(new Error('no file'))), /no file/);
  assert.equal(await gate.cut(async () => 'cut'), 'cut');
  assert.equal(await gate.read(async () => 'read'), 'read');
});
