import Database from 'better-sqlite3';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { SHOPWARDEN_APPLICATION_ID } from '../core/db/application-id';
import { UsageError } from './io';

export type FileKind = 'sqlite' | 'gzip' | 'json';

/** What a file is, by its first bytes; throws UsageError for a missing or unknown file. */
export function fileKind(file: string): FileKind {
  let stat;
  try {
    stat = statSync(file);
  } catch {
    throw new UsageError(`${file}: no such file`);
  }
  if (!stat.isFile()) throw new UsageError(`${file}: not a file`);
  const head = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (n === 16 && head.toString('latin1') === 'SQLite format 3\0') return 'sqlite';
  if (n >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (n >= 1 && head.toString('utf8', 0, n).trimStart().startsWith('{')) return 'json';
  throw new UsageError(`${file}: not a ShopWarden database, retention archive or bundle`);
}

/** A ShopWarden database opened read-only, unchanged (no migration). */
export function openReadOnly(file: string): Database.Database {
  if (fileKind(file) !== 'sqlite') throw new UsageError(`${file}: not an SQLite database`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const id = db.pragma('application_id', { simple: true }) as number;
  const hasLog = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'audit_log'").get() !== undefined;
  if ((id !== 0 && id !== SHOPWARDEN_APPLICATION_ID) || !hasLog) {
    db.close();
    throw new UsageError(`${file}: not a ShopWarden database`);
  }
  return db;
}

export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`${file}: cannot be read`);
  }
}

/** The `format` field of a JSON bundle, or null. */
export function bundleFormat(text: string): string | null {
  try {
    const value = JSON.parse(text) as { format?: unknown };
    return typeof value?.format === 'string' ? value.format : null;
  } catch {
    return null;
  }
}
