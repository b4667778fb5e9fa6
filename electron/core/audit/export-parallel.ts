import { existsSync, rmSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createReadStream, createWriteStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LogFilter } from '../../../shared/ipc/contract';
import { exportLog, type ExportFormat } from './export';
import type { AuditReader, IdRange } from './reader';

/** Below this many rows one thread is quicker than starting workers (about 50 ms each). */
const PARALLEL_MIN_ROWS = 50_000;

export interface ParallelExportJob {
  /** The database file: each worker reads it on a connection of its own. */
  databaseFile: string;
  /** A reader of that database in this thread: finds the rows to split, writes small exports itself. */
  reader: AuditReader;
  filter: LogFilter;
  format: ExportFormat;
  file: string;
  /** Matching rows (the caller counted them for its progress bar). */
  total: number;
  /** Id → readable name (user name, store name); other ids are written as they are. */
  names: ReadonlyMap<string, string>;
  onProgress?: (rows: number) => void;
  progressEvery?: number;
  /** Parts written at once (default: one per core, 2 to 4); tests lower PARALLEL_MIN_ROWS through `minRows`. */
  parts?: number;
  minRows?: number;
}

/** What the main thread hands an export worker (export-worker.ts). */
export interface ExportPartJob {
  databaseFile: string;
  filter: LogFilter;
  format: ExportFormat;
  file: string;
  idRange: IdRange;
  header: boolean;
  names: Array<[string, string]>;
  progressEvery: number;
}

export type ExportPartMessage = { type: 'progress'; rows: number } | { type: 'done'; rows: number } | { type: 'failed'; message: string };

/**
 * The log export on several cores: the matching ids are cut into `parts` ranges (one per core,
 * 2 to 4), each written by a worker thread to a file of its own (the first one to `file`, with
 * the header), and the later parts are appended to it in order. Formatting a row costs about as much as reading it,
 * so with two cores a million-row export takes about half as long, and this thread stays free
 * for the console. The bytes are exactly exportLog's. Small exports are written here. On
 * failure, every worker is stopped and no file is left behind.
 */
export async function exportLogInParallel(job: ParallelExportJob): Promise<number> {
  const { reader, filter, format, file, names, onProgress, progressEvery = 10_000 } = job;
  const nameOf = (id: string | null) => (id === null ? null : (names.get(id) ?? id));
  const span = job.total >= (job.minRows ?? PARALLEL_MIN_ROWS) ? reader.idSpan(filter) : null;
  const ranges = span ? splitRange(span, job.parts ?? Math.min(4, Math.max(2, availableParallelism()))) : [];
  if (ranges.length < 2) return exportLog(reader, filter, format, file, { names: nameOf, onProgress, progressEvery });

  const partFiles = ranges.map((_, i) => (i === 0 ? file : `${file}.part${i}`));
  const written = ranges.map(() => 0);
  let reported = 0;
  const workers: Worker[] = [];
  try {
    const counts = await Promise.all(
      ranges.map((idRange, i) => {
        const part: ExportPartJob = { databaseFile: job.databaseFile, filter, format, file: partFiles[i]!, idRange, header: i === 0, names: [...names], progressEvery: Math.max(1000, Math.floor(progressEvery / ranges.length)) };
        const worker = startExportWorker(part);
        workers.push(worker);
        return runPart(worker, (rows) => {
          written[i] = rows;
          const sum = written.reduce((a, b) => a + b, 0);
          if (onProgress && sum - reported >= progressEvery) {
            reported = sum;
            onProgress(sum);
          }
        });
      }),
    );
    for (const part of partFiles.slice(1)) {
      await pipeline(createReadStream(part), createWriteStream(file, { flags: 'a' }));
      rmSync(part, { force: true });
    }
    return counts.reduce((a, b) => a + b, 0);
  } catch (error) {
    await Promise.all(workers.map((w) => w.terminate()));
    for (const part of partFiles) rmSync(part, { force: true });
    throw error;
  }
}

/** `parts` ranges of about equal size over the span (fewer when it is short). */
export function splitRange(span: IdRange, parts: number): IdRange[] {
  const size = Math.ceil((span.last - span.first + 1) / parts);
  const ranges: IdRange[] = [];
  for (let first = span.first; first <= span.last; first += size) ranges.push({ first, last: Math.min(span.last, first + size - 1) });
  return ranges;
}

function runPart(worker: Worker, onProgress: (rows: number) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    let rows: number | null = null;
    worker.on('message', (message: ExportPartMessage) => {
      if (message.type === 'progress') onProgress(message.rows);
      else if (message.type === 'done') rows = message.rows;
      else reject(new Error(`the log export failed: ${message.message}`));
    });
    worker.once('error', (error: unknown) => reject(error instanceof Error ? error : new Error(`the log export worker failed: ${String(error)}`)));
    worker.once('exit', (code) => (rows !== null ? resolve(rows) : reject(new Error(`the export worker stopped (exit code ${code}) before it finished`))));
  });
}

/**
 * The worker: bundled next to the Electron main bundle, or else the TypeScript source, which
 * only runs from a checkout under tsx; a worker does not inherit tsx's loader, so a two-line
 * bootstrap registers it first.
 */
function startExportWorker(part: ExportPartJob): Worker {
  const bundled = new URL('./export-worker.js', import.meta.url);
  if (existsSync(bundled)) return new Worker(bundled, { workerData: part });
  const source = new URL('./export-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: part });
}
