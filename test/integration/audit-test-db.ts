import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEventInput } from '../../shared/model/audit';
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
