import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { LogFilter } from '../../../shared/ipc/contract';
import type { AuditEvent } from '../../../shared/model/audit';
import type { AuditReader } from './reader';

export type ExportFormat = 'csv' | 'jsonl';

export const CSV_COLUMNS = ['id', 'time', 'kind', 'actor', 'store', 'url', 'method', 'module', 'decision', 'reason', 'rule', 'detail', 'prev_hash', 'hash'] as const;

/**
 * One CSV cell. Quoted when needed (RFC 4180); a cell a spreadsheet would run as a formula
 * (= + - @, tab, CR) gets a leading apostrophe, since URLs and names come from outside.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** `names` turns ids into readable names (user name, store name) for the owner's spreadsheet. */
export function csvLine(e: AuditEvent, names: (id: string | null) => string | null = (id) => id): string {
  const cells = [e.id, new Date(e.ts).toISOString(), e.kind, names(e.actorId), names(e.storeId), e.url, e.method, e.module, e.decision, e.reason, e.ruleId, JSON.stringify(e.detail), e.prevHash, e.hash];
  return cells.map(csvCell).join(',');
}

export interface ExportOptions {
  /** Turns ids into readable names (user name, store name) for the owner's spreadsheet. */
  names?: (id: string | null) => string | null;
  /** Called with the rows written so far, every `progressEvery` rows. */
  onProgress?: (rows: number) => void;
  progressEvery?: number;
}

/**
 * Streams every matching row, oldest first, into `file` without holding them in memory; waits
 * for the disk when the stream's buffer is full. Answers the number of rows written.
 */
export async function exportLog(reader: AuditReader, filter: LogFilter, format: ExportFormat, file: string, options: ExportOptions = {}): Promise<number> {
  const { names, onProgress, progressEvery = 10_000 } = options;
  const out = createWriteStream(file, { encoding: 'utf8' });
  const failed = once(out, 'error').then(([error]) => {
    throw error;
  });
  failed.catch(() => {});
  let rows = 0;
  try {
    // A UTF-8 BOM so spreadsheet programs read Chinese text correctly.
    if (format === 'csv') out.write(`\uFEFF${CSV_COLUMNS.join(',')}\r\n`);
    for (const event of reader.iterate(filter)) {
      const line = format === 'csv' ? `${csvLine(event, names)}\r\n` : `${JSON.stringify(event)}\n`;
      rows++;
      if (!out.write(line)) await Promise.race([once(out, 'drain'), failed]);
      if (onProgress && rows % progressEvery === 0) onProgress(rows);
    }
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
    return rows;
  } catch (error) {
    out.destroy();
    throw error;
  }
}
