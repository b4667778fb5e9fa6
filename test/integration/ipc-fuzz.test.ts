import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import fc from 'fast-check';
import { z } from 'zod';
import { CHANNELS, contract } from '../../shared/ipc/contract';
import { DATABASE_FILE } from '../../electron/core/app/app-core';
import { staffWithRole, startCore } from './app-core-helpers';

/** Every table's rows, hashed: "nothing changed" means this is equal before and after. */
function databaseFingerprint(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    const hash = createHash('sha256');
    for (const table of tables) {
      const rows = db.prepare(`SELECT * FROM "${table}"`).all().map((row) => JSON.stringify(row));
      hash.update(`${table}:${rows.sort().join('\n')}\n`);
    }
    return hash.digest('hex');
  } finally {
    db.close();
  }
}

/** Keys the channel's request object has, so the fuzzer also hits "right field, wrong value". */
function requestKeys(schema: z.ZodType): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

const hostile = fc.oneof(
  fc.anything({ withBigInt: false, withBoxedValues: true, withNullPrototype: true, withObjectString: true, withTypedArray: true, withSparseArray: true }),
  fc.constantFrom('__proto__', 'constructor', '{"$where":1}', "'; DROP TABLE stores; --", '\u0000', '../../etc/passwd', 'javascript:alert(1)', 'x'.repeat(100_000)),
  fc.constantFrom(Number.NaN, Infinity, -1, 2 ** 53, -0),
);

test('fuzz: malformed payloads on every channel get a validation error and change nothing', async () => {
  const h = await startCore();
  const file = join(h.dir, DATABASE_FILE);
  try {
    const { session: staffSession } = await staffWithRole(h, 'operator');
    h.core.guard({ storeId: 'x', userId: 'y', url: 'https://a.example/', method: 'GET', resourceType: 'mainFrame', isMainFrame: true });
    await h.call(h.owner, 'log:verify', {}); // flushes the log so the fingerprint is stable
    const before = databaseFingerprint(file);
    let calls = 0;
    for (const channel of CHANNELS) {
      const schema = contract[channel].request as z.ZodType;
      const keys = requestKeys(schema);
      const payloads = fc.oneof(hostile, keys.length > 0 ? fc.dictionary(fc.constantFrom(...keys), hostile, { minKeys: 1 }) : hostile);
      await fc.assert(
        fc.asyncProperty(payloads, fc.boolean(), async (payload, asStaff) => {
          if (schema.safeParse(payload ?? {}).success) return; // a valid call is not this test's business
          calls++;
          const result = await h.core.invoke(asStaff ? staffSession : h.owner, channel, payload);
          assert.equal(result.ok, false);
          if (!result.ok) assert.ok(['invalid-payload', 'forbidden'].includes(result.error.code), `${channel}: ${result.error.code} ${result.error.message}`);
        }),
        { numRuns: 40, seed: 20261122 },
      );
    }
    for (const channel of ['', 'STORES:LIST', 'constructor', '__proto__', 'stores:list ', 42, null]) {
      const result = await h.core.invoke(h.owner, channel, {});
      assert.equal(result.ok ? 'ok' : result.error.code, 'unknown-channel');
    }
    assert.ok(calls > CHANNELS.length * 20, `only ${calls} malformed calls were made`);
    assert.equal(databaseFingerprint(file), before);
    assert.equal((await h.call(h.owner, 'app:status', {})).session?.user.kind, 'owner', 'the owner is still signed in');
  } finally {
    await h.close();
  }
});
