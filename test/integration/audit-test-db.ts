import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogFilter } from '../../shared/ipc/contract';
import type { AuditEvent, AuditEventInput } from '../../shared/model/audit';
import { AUDIT_HEAD_SCHEMA_SQL } from '../../electron/core/audit/head';
import { AUDIT_SCHEMA_SQL } from '../../electron/core/audit/schema';

/** A fresh audit database in a temp file, WAL mode, with both audit tables. */
export function openTempAuditDb(): { db: Database.Database; file: string; reopen(): Database.Database; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'shopwarden-audit-'));
  const file = join(dir, 'audit.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(AUDIT_SCHEMA_SQL);
  db.exec(AUDIT_HEAD_SCHEMA_SQL);
  const opened = [db];
  return {
    db,
    file,
    reopen() {
      const again = new Database(file);
      opened.push(again);
      return again;
    },
    cleanup() {
      for (const handle of opened) if (handle.open) handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What an attacker with the file does first: lift the append-only triggers. */
export function dropAppendOnlyTriggers(db: Database.Database): void {
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_head_no_delete;');
}

export const T0 = Date.UTC(2025, 0, 15, 8, 0, 0);

export function navigation(i: number, overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    ts: T0 + i * 1000,
    kind: 'navigation',
    actorId: `staff-${i % 3}`,
    storeId: `store-${i % 2}`,
    url: `https://sellercentral.amazon.com/orders-v3?page=${i}`,
    method: 'GET',
    module: 'orders',
    decision: 'allowed',
    ...overrides,
  };
}

/** A small deterministic source of integers below n (xorshift32: no short low-bit cycles like a plain LCG). */
export function xorshift(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
}

/** SQLite's LIKE folds ASCII letters only. */
const foldAscii = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** The log filters, spelled out in plain JavaScript: what every page the reader gives must equal. */
export function matchesLogFilter(row: AuditEvent, filter: LogFilter): boolean {
  return (
    (filter.actorId === undefined || row.actorId === filter.actorId) &&
    (filter.storeId === undefined || row.storeId === filter.storeId) &&
    (filter.module === undefined || row.module === filter.module) &&
    (filter.kinds === undefined || filter.kinds.length === 0 || filter.kinds.includes(row.kind)) &&
    (filter.decision === undefined || row.decision === filter.decision) &&
    (filter.from === undefined || row.ts >= filter.from) &&
    (filter.to === undefined || row.ts < filter.to) &&
    (filter.urlContains === undefined || filter.urlContains === '' || (row.url !== null && foldAscii(row.url).includes(foldAscii(filter.urlContains))))
  );
}
