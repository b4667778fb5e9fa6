import type { Database } from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { z } from 'zod';
import { CHAIN_FORMAT } from '../audit/canonical';
import { STORED_ROW_SELECT, type StoredRow } from '../audit/row';
import { FileRow, HASH_PATTERN, SegmentWalk, toFileRow } from './chain';
import { reject, type Rejection } from './errors';

/**
 * Retention archives (F22): gzip-compressed JSON lines. Line 1 is the header — which rows, the
 * hash the first of them links to (`prevHash`) and the hash of the last (`headHash`, the chain
 * head at the cut, also recorded in audit_cut). Every further line is one row exactly as
 * stored, so each can be re-hashed. An archive verifies on its own (verifyArchive); consecutive
 * archives chain (each one's prevHash is the previous one's headHash); the last one's headHash
 * is where the live log continues.
 */
export const ARCHIVE_FORMAT = 'shopwarden-audit-archive/1' as const;

export const ArchiveHeader = z
  .object({
    format: z.literal(ARCHIVE_FORMAT),
    chainFormat: z.string(),
    createdAt: z.number().int(),
    /** Rows with ts before this were due for removal. */
    cutoffTs: z.number().int(),
    fromId: z.number().int().positive(),
    throughId: z.number().int().positive(),
    rows: z.number().int().positive(),
    prevHash: HASH_PATTERN,
    headHash: HASH_PATTERN,
  })
  .strict();
export type ArchiveHeader = z.infer<typeof ArchiveHeader>;

const PAGE = 5000;

/**
 * Writes rows fromId…throughId of the live log to `file` (via a temporary name, flushed to disk
 * before the rename, so a crash never leaves a half archive under the final name). Reads in
 * pages, never holding an iterator open across awaits (the writer may share the connection).
 * Answers the file's SHA-256.
 */
export async function writeArchive(db: Database, file: string, header: ArchiveHeader): Promise<string> {
  const partial = `${file}.partial`;
  const page = db.prepare(`SELECT ${STORED_ROW_SELECT} FROM audit_log WHERE id > ? AND id <= ? ORDER BY id LIMIT ?`);
  async function* lines(): AsyncGenerator<string> {
    yield `${JSON.stringify(header)}\n`;
    let after = header.fromId - 1;
    for (;;) {
      const rows = page.all(after, header.throughId, PAGE) as StoredRow[];
      if (rows.length === 0) return;
      yield rows.map((row) => `${JSON.stringify(toFileRow(row))}\n`).join('');
      after = rows[rows.length - 1]!.id;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  try {
    await pipeline(lines, createGzip({ level: 6 }), createWriteStream(partial, { flags: 'wx' }));
    const handle = await open(partial, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return sha256File(file);
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  const stream = createReadStream(file);
  stream.on('data', (chunk) => hash.update(chunk));
  await once(stream, 'end');
  return hash.digest('hex');
}

export type ArchiveVerdict = ({ ok: true } & Pick<ArchiveHeader, 'fromId' | 'throughId' | 'rows' | 'prevHash' | 'headHash' | 'createdAt' | 'cutoffTs'>) | (Rejection<'unreadable' | 'malformed' | 'chain-broken' | 'mismatch'> & { line: number | null });

/**
 * Re-hashes every row of an archive and checks the header against them. `expected` (from the
 * database's audit_cut, or the previous archive) additionally pins where the archive must end
 * or begin.
 */
export async function verifyArchive(file: string, expected: { throughId?: number; headHash?: string; prevHash?: string } = {}): Promise<ArchiveVerdict> {
  let lineNo = 0;
  let header: ArchiveHeader | null = null;
  let walk: SegmentWalk | null = null;
  const fail = <C extends 'unreadable' | 'malformed' | 'chain-broken' | 'mismatch'>(code: C, reason: string, line: number | null = lineNo) => ({ ...reject(code, reason), line });
  const input = createReadStream(file).pipe(createGunzip());
  const readable = createInterface({ input, crlfDelay: Infinity });
  const failed = new Promise<never>((_, rejectRead) => {
    input.on('error', rejectRead);
  });
  failed.catch(() => {});
  try {
    const iterator = readable[Symbol.asyncIterator]();
    for (;;) {
      const next = await Promise.race([iterator.next(), failed]);
      if (next.done) break;
      lineNo += 1;
      const text = next.value;
      if (text === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return fail('malformed', `line ${lineNo} is not JSON`);
      }
      if (header === null) {
        const parsed = ArchiveHeader.safeParse(value);
        if (!parsed.success) return fail('malformed', `the first line is not a ShopWarden archive header (${z.prettifyError(parsed.error)})`);
        header = parsed.data;
        if (header.chainFormat !== CHAIN_FORMAT) return fail('malformed', `unknown chain format ${header.chainFormat}`);
        walk = new SegmentWalk(header.fromId, header.prevHash);
        continue;
      }
      const row = FileRow.safeParse(value);
      if (!row.success) return fail('malformed', `line ${lineNo} is not a log row (${z.prettifyError(row.error)})`);
      const problem = walk!.step(row.data);
      if (problem) return fail('chain-broken', problem);
    }
  } catch (error) {
    return fail('unreadable', `the archive cannot be read to the end (${(error as Error).message}); truncated or not gzip?`, null);
  } finally {
    readable.close();
    input.destroy();
  }
  if (header === null || walk === null) return fail('malformed', 'the archive is empty', null);
  if (walk.rows !== header.rows || walk.lastId !== header.throughId) {
    return fail('chain-broken', `the header announces rows ${header.fromId}–${header.throughId} (${header.rows}) but the file holds ${walk.rows} rows ending at ${walk.lastId} (truncated?)`, null);
  }
  if (walk.lastHash !== header.headHash) return fail('chain-broken', 'the last row is not the head the header records', null);
  if (expected.throughId !== undefined && expected.throughId !== header.throughId) return fail('mismatch', `the archive ends at row ${header.throughId}, expected ${expected.throughId}`, null);
  if (expected.headHash !== undefined && expected.headHash !== header.headHash) return fail('mismatch', 'the archive does not end at the expected chain head', null);
  if (expected.prevHash !== undefined && expected.prevHash !== header.prevHash) return fail('mismatch', 'the archive does not continue from the expected hash (not the next archive?)', null);
  const { fromId, throughId, rows, prevHash, headHash, createdAt, cutoffTs } = header;
  return { ok: true, fromId, throughId, rows, prevHash, headHash, createdAt, cutoffTs };
}
