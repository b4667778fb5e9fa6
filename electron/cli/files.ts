import Database from 'better-sqlite3';
import { closeSync, createWriteStream, openSync, readFileSync, readSync, renameSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
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
  if (!isShopWardenDatabase(db)) {
    db.close();
    throw new UsageError(`${file}: not a ShopWarden database`);
  }
  return db;
}

/**
 * Throws UsageError unless `file` is a ShopWarden database: checked read-only before a command
 * opens it for writing (opening migrates, which would turn any SQLite file into one of ours).
 */
export function requireShopWardenDatabase(file: string): void {
  openReadOnly(file).close();
}

/** Ours by its application id, or a database from before the id was set that holds the log. */
function isShopWardenDatabase(db: Database.Database): boolean {
  const id = db.pragma('application_id', { simple: true }) as number;
  const hasLog = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'audit_log'").get() !== undefined;
  return (id === 0 || id === SHOPWARDEN_APPLICATION_ID) && hasLog;
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

/** An output file being written: `stream` goes to a temporary file that `commit` renames into place. */
export interface OutputFile {
  stream: WriteStream;
  /** Ends the stream and moves the finished file to its name. */
  commit(): Promise<void>;
  /** Drops the unfinished file (the named file, if it existed, is left as it was). */
  abort(): void;
}

/**
 * Opens `file` for a command's output, refusing (UsageError) a file it must not overwrite, such
 * as the database being read or its journal, and a place it cannot write, before any work is
 * done. The output is written next to it and renamed when complete, so a failed run never
 * leaves half a file under that name.
 */
export function openOutput(file: string, notOver: readonly string[]): OutputFile {
  const protectedFiles = notOver.flatMap((f) => [f, `${f}-wal`, `${f}-shm`, `${f}-journal`]);
  if (protectedFiles.some((f) => sameFile(f, file))) throw new UsageError(`${file}: refusing to write over the database it reads`);
  const partial = `${file}.partial-${process.pid}`;
  let fd: number;
  try {
    fd = openSync(partial, 'w');
  } catch (error) {
    throw new UsageError(`${file}: cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const stream = createWriteStream(partial, { fd, encoding: 'utf8' });
  return {
    stream,
    async commit() {
      stream.end();
      await once(stream, 'finish');
      renameSync(partial, file);
    },
    abort() {
      stream.destroy();
      rmSync(partial, { force: true });
    },
  };
}

/** Whether two paths name one file (the same path, or links to the same inode). */
function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    const [x, y] = [statSync(a), statSync(b)];
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false; // one of them does not exist yet
  }
}
