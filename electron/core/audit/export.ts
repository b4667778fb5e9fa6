import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { LogFilter } from '../../../shared/ipc/contract';
import { exportTime, type ExportTime } from './export-time';
import type { AuditReader } from './reader';
import { parseDetail, type StoredRowValues } from './row';

export type ExportFormat = 'csv' | 'jsonl';

const CELL_NEEDS_CARE = /^[=+\-@\t\r]|[",\r\n]/;

export const CSV_COLUMNS = ['id', 'time', 'kind', 'actor', 'store', 'url', 'method', 'module', 'decision', 'reason', 'rule', 'detail', 'prev_hash', 'hash'] as const;

/** What an export file starts with: for CSV a UTF-8 BOM (so spreadsheet programs read Chinese text correctly) and the column names. */
export function exportHeader(format: ExportFormat): string {
  return format === 'csv' ? `\uFEFF${CSV_COLUMNS.join(',')}\r\n` : '';
}

/** The `names` option of an export from a map of id → readable name; other ids are written as they are. */
export function namesFrom(names: ReadonlyMap<string, string>): (id: string | null) => string | null {
  return (id) => (id === null ? null : (names.get(id) ?? id));
}

/**
 * One CSV cell. Quoted when needed (RFC 4180); a cell a spreadsheet would run as a formula
 * (= + - @, tab, CR) gets a leading apostrophe, since URLs and names come from outside.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  // Most cells need neither: one test instead of two.
  if (typeof value === 'string' && !CELL_NEEDS_CARE.test(value)) return value;
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Stored details whose export text is remembered, per export (guard rows share a handful). */
const DETAIL_CACHE_LIMIT = 10_000;
const CHUNK_CHARS = 64 * 1024;

/**
 * Turns rows as stored (AuditReader.iterateValues) into export lines: exactly the text of the
 * event (storedEvent(row)) as CSV cells (csvCell) or as JSON.stringify writes it, without an
 * event object per row, and with the detail's JSON (parsed and re-serialised, as storedEvent
 * and JSON.stringify do) made once per distinct stored detail. The app's exports and the CLI's
 * `export-log` all write through it.
 */
export class ExportFormatter {
  private readonly details = new Map<string, { json: string; cell: string }>();

  constructor(
    private readonly names: (id: string | null) => string | null = (id) => id,
    private readonly time: ExportTime = exportTime(),
  ) {}

  csv(row: StoredRowValues): string {
    const [id, ts, kind, actorId, storeId, url, method, module, decision, reason, ruleId, detail, prevHash, hash] = row;
    return (
      `${csvCell(id)},${csvCell(this.time(ts))},${csvCell(kind)},${csvCell(this.names(actorId))},${csvCell(this.names(storeId))},` +
      `${csvCell(url)},${csvCell(method)},${csvCell(module)},${csvCell(decision)},${csvCell(reason)},${csvCell(ruleId)},${this.detail(detail).cell},${csvCell(prevHash)},${csvCell(hash)}`
    );
  }

  jsonl(row: StoredRowValues): string {
    const [id, ts, kind, actorId, storeId, url, method, module, decision, reason, ruleId, detail, prevHash, hash] = row;
    const j = JSON.stringify;
    return (
      `{"id":${j(id)},"ts":${j(ts)},"kind":${j(kind)},"actorId":${j(actorId)},"storeId":${j(storeId)},"url":${j(url)},"method":${j(method)},"module":${j(module)},` +
      `"decision":${j(decision)},"reason":${j(reason)},"ruleId":${j(ruleId)},"detail":${this.detail(detail).json},"prevHash":${j(prevHash)},"hash":${j(hash)}}`
    );
  }

  /** The row as one line of the file, line break included. */
  line(format: ExportFormat, row: StoredRowValues): string {
    return format === 'csv' ? `${this.csv(row)}\r\n` : `${this.jsonl(row)}\n`;
  }

  private detail(stored: string): { json: string; cell: string } {
    let text = this.details.get(stored);
    if (text === undefined) {
      const json = JSON.stringify(parseDetail(stored));
      text = { json, cell: csvCell(json) };
      // Only text is a safe key (a tampered file may hold other types); few distinct details expected.
      if (typeof stored === 'string' && this.details.size < DETAIL_CACHE_LIMIT) this.details.set(stored, text);
    }
    return text;
  }
}

export interface ExportOptions {
  /** Turns ids into readable names (user name, store name) for the owner's spreadsheet. */
  names?: (id: string | null) => string | null;
  /** CSV times in this IANA zone, with their offset (default UTC). */
  timeZone?: string;
  /** Only rows up to this id (a viewer's snapshot). */
  throughId?: number;
  /** Called with the rows written so far, every `progressEvery` rows. */
  onProgress?: (rows: number) => void;
  progressEvery?: number;
}

/**
 * Streams every matching row, oldest first, into `file` without holding them in memory: lines
 * are handed to the file in chunks of about 64 KB, and whenever the stream's buffer is full it
 * waits for the disk, which lets the event loop run (an export takes seconds; the app keeps
 * answering). Answers the number of rows written.
 */
export async function exportLog(reader: AuditReader, filter: LogFilter, format: ExportFormat, file: string, options: ExportOptions = {}): Promise<number> {
  const { names, timeZone, throughId, onProgress, progressEvery = 10_000 } = options;
  const out = createWriteStream(file, { encoding: 'utf8', highWaterMark: 16 * CHUNK_CHARS });
  const failed = once(out, 'error').then(([error]) => {
    throw error;
  });
  failed.catch(() => {});
  const formatter = new ExportFormatter(names, exportTime(timeZone));
  let rows = 0;
  let chunk = exportHeader(format);
  const write = async () => {
    const full = !out.write(chunk);
    chunk = '';
    // The stream starts its next disk write only when the event loop runs: a turn per chunk
    // lets the disk work while the next chunk is formatted, and lets the app answer meanwhile.
    if (full) await Promise.race([once(out, 'drain'), failed]);
    else await nextTurn();
  };
  try {
    for (const row of reader.iterateValues(filter, throughId === undefined ? undefined : { first: 0, last: throughId })) {
      chunk += formatter.line(format, row);
      rows++;
      if (onProgress && rows % progressEvery === 0) {
        await write();
        onProgress(rows);
      } else if (chunk.length >= CHUNK_CHARS) {
        await write();
      }
    }
    out.end(chunk);
    await Promise.race([once(out, 'finish'), failed]);
    return rows;
  } catch (error) {
    out.destroy();
    throw error;
  }
}
