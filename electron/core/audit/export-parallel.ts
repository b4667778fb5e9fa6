import { createWriteStream, existsSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LogFilter } from '../../../shared/ipc/contract';
import { exportHeader, exportLog, namesFrom, type ExportFormat } from './export';
import type { AuditReader, IdRange } from './reader';

/** Below this many rows one thread is quicker than starting workers (about 50 ms each). */
const PARALLEL_MIN_ROWS = 50_000;
/** Slices of the id span per worker: small enough that the slices waiting for their turn stay a few MB. */
const SLICES_PER_WORKER = 16;
/** Slices a worker may format ahead of the one being written. */
const SLICES_AHEAD = 2;

export interface ParallelExportJob {
  /** The database file: each worker reads it on a connection of its own. */
  databaseFile: string;
  /** A reader of that database in this thread: finds the rows to split, writes small exports itself. */
  reader: AuditReader;
  filter: LogFilter;
  format: ExportFormat;
  file: string;
  /** Only rows up to this id (a viewer's snapshot). */
  throughId?: number;
  /** CSV times in this IANA zone (default UTC). */
  timeZone?: string;
  /** Matching rows (the caller counted them for its progress bar). */
  total: number;
  /** Id → readable name (user name, store name); other ids are written as they are. */
  names: ReadonlyMap<string, string>;
  onProgress?: (rows: number) => void;
  progressEvery?: number;
  /** Workers (default: one per core, 2 to 4); tests lower PARALLEL_MIN_ROWS through `minRows`. */
  workers?: number;
  minRows?: number;
}

/** What the main thread hands an export worker (export-worker.ts). */
export interface ExportWorkerJob {
  databaseFile: string;
  filter: LogFilter;
  format: ExportFormat;
  timeZone?: string;
  names: Array<[string, string]>;
  /** The slices this worker formats, in order, each with its place in the file. */
  slices: Array<{ index: number; ids: IdRange }>;
}

/** Worker → main: formatted bytes of a slice (in order), the end of a slice, or a failure. */
export type ExportWorkerMessage = { type: 'chunk'; slice: number; bytes: Uint8Array; rows: number } | { type: 'sliced'; slice: number } | { type: 'failed'; message: string };
/** Main → worker: slices up to this index may be formatted now. */
export type ExportWorkerGrant = { type: 'grant'; upTo: number };

/**
 * The log export on several cores. The matching ids are cut into many slices, dealt to worker
 * threads in turn (each reads on a connection of its own and formats its slices into UTF-8
 * chunks); this thread writes the chunks to the file in slice order, holding back the few that
 * arrive early. Workers may run only SLICES_AHEAD slices ahead of the writer, so memory stays
 * bounded. Reading and formatting a row cost about the same, so two cores take about half the
 * time, and this thread only writes. The bytes are exactly exportLog's (tested). Small exports
 * are written here. On failure every worker is stopped and the file removed.
 */
export async function exportLogInParallel(job: ParallelExportJob): Promise<number> {
  const { reader, filter, format, file, names, throughId, timeZone, onProgress, progressEvery = 10_000 } = job;
  const workerCount = job.workers ?? Math.min(4, Math.max(2, availableParallelism()));
  const span = job.total >= (job.minRows ?? PARALLEL_MIN_ROWS) ? reader.idSpan(filter, throughId) : null;
  const slices = span ? splitRange(span, workerCount * SLICES_PER_WORKER) : [];
  if (slices.length < 2) return exportLog(reader, filter, format, file, { names: namesFrom(names), timeZone, throughId, onProgress, progressEvery });

  const out = createWriteStream(file);
  const failedWrite = once(out, 'error').then(([error]) => Promise.reject(error as Error));
  failedWrite.catch(() => {});
  const header = exportHeader(format);
  if (header !== '') out.write(header);

  const workers: Worker[] = [];
  const early = new Map<number, Uint8Array[]>();
  const ended = new Set<number>();
  let writing = 0;
  let rows = 0;
  let reported = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let awaitingDrain = false;
      // Lets the workers run ahead of the slice being written, unless the disk is behind.
      const grant = () => {
        if (out.writableNeedDrain) {
          if (!awaitingDrain) out.once('drain', () => ((awaitingDrain = false), grant()));
          awaitingDrain = true;
          return;
        }
        for (const worker of workers) worker.postMessage({ type: 'grant', upTo: writing + SLICES_AHEAD * workerCount } satisfies ExportWorkerGrant);
      };
      // Writes what has arrived of the slice being written; moves on while slices are complete.
      const advance = () => {
        while (writing < slices.length) {
          for (const bytes of early.get(writing) ?? []) out.write(bytes);
          early.delete(writing);
          if (!ended.has(writing)) return;
          writing++;
          grant();
        }
        resolve();
      };
      for (let w = 0; w < workerCount; w++) {
        const mine = slices.flatMap((ids, index) => (index % workerCount === w ? [{ index, ids }] : []));
        const worker = startExportWorker({ databaseFile: job.databaseFile, filter, format, timeZone, names: [...names], slices: mine });
        workers.push(worker);
        worker.on('message', (message: ExportWorkerMessage) => {
          if (message.type === 'failed') return reject(new Error(`the log export failed: ${message.message}`));
          if (message.type === 'sliced') ended.add(message.slice);
          else {
            rows += message.rows;
            if (message.slice === writing) out.write(message.bytes);
            else if (early.has(message.slice)) early.get(message.slice)!.push(message.bytes);
            else early.set(message.slice, [message.bytes]);
            if (onProgress && rows - reported >= progressEvery) onProgress((reported = rows));
          }
          advance();
        });
        worker.once('error', (error: unknown) => reject(error instanceof Error ? error : new Error(`the log export worker failed: ${String(error)}`)));
        worker.once('exit', (code) => code !== 0 && reject(new Error(`the log export worker stopped (exit code ${code})`)));
      }
      grant();
      failedWrite.catch(reject);
    });
    out.end();
    await Promise.race([once(out, 'finish'), failedWrite]);
    return rows;
  } catch (error) {
    out.destroy();
    rmSync(file, { force: true });
    throw error;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** `parts` ranges of about equal size over the span (fewer when it is short). */
export function splitRange(span: IdRange, parts: number): IdRange[] {
  const size = Math.ceil((span.last - span.first + 1) / parts);
  const ranges: IdRange[] = [];
  for (let first = span.first; first <= span.last; first += size) ranges.push({ first, last: Math.min(span.last, first + size - 1) });
  return ranges;
}

/**
 * The worker: bundled next to the Electron main bundle, or else the TypeScript source, which
 * only runs from a checkout under tsx; a worker does not inherit tsx's loader, so a two-line
 * bootstrap registers it first.
 */
function startExportWorker(job: ExportWorkerJob): Worker {
  const bundled = new URL('./export-worker.js', import.meta.url);
  if (existsSync(bundled)) return new Worker(bundled, { workerData: job });
  const source = new URL('./export-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: job });
}
