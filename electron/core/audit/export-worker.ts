// A worker thread of a parallel log export (export-parallel.ts): formats its slices of the log,
// read on a connection of its own, into UTF-8 chunks for the main thread to write in order.
import { once } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import { openReadConnection } from '../db/open';
import { ExportFormatter } from './export';
import type { ExportWorkerGrant, ExportWorkerJob, ExportWorkerMessage } from './export-parallel';
import { AuditReader } from './reader';

/** Characters per chunk handed to the main thread. */
const CHUNK_CHARS = 1 << 18;

const job = workerData as ExportWorkerJob;
const port = parentPort!;
const post = (message: ExportWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
let granted = -1;
port.on('message', (message: ExportWorkerGrant) => (granted = Math.max(granted, message.upTo)));
const encoder = new TextEncoder();

try {
  const connection = openReadConnection(job.databaseFile);
  try {
    const reader = new AuditReader(connection);
    const names = new Map(job.names);
    const formatter = new ExportFormatter((id) => (id === null ? null : (names.get(id) ?? id)));
    const line = job.format === 'csv' ? (row: Parameters<ExportFormatter['csv']>[0]) => `${formatter.csv(row)}\r\n` : (row: Parameters<ExportFormatter['jsonl']>[0]) => `${formatter.jsonl(row)}\n`;
    for (const { index, ids } of job.slices) {
      while (granted < index) await once(port, 'message');
      let chunk = '';
      let rows = 0;
      const flush = () => {
        // A fresh buffer of its own, so it can be transferred instead of copied.
        const bytes = encoder.encode(chunk);
        post({ type: 'chunk', slice: index, bytes, rows }, [bytes.buffer as ArrayBuffer]);
        chunk = '';
        rows = 0;
      };
      for (const row of reader.iterateValues(job.filter, ids)) {
        chunk += line(row);
        rows++;
        if (chunk.length >= CHUNK_CHARS) flush();
      }
      if (chunk !== '') flush();
      post({ type: 'sliced', slice: index });
    }
  } finally {
    connection.close();
  }
} catch (error) {
  // Said as text: a database error crossing to the main thread would keep only its code.
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}
// Done: nothing more to wait for from the main thread.
port.unref();
