// A worker thread of a parallel log export (export-parallel.ts): formats its slices of the log,
// read on a connection of its own, into UTF-8 chunks for the main thread to write in order.
import { once } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import { openReadConnection } from '../db/open';
import { ExportFormatter, namesFrom } from './export';
import { exportTime } from './export-time';
import type { ExportWorkerGrant, ExportWorkerJob, ExportWorkerMessage } from './export-parallel';
import { AuditReader } from './reader';

/** Bytes per chunk handed to the main thread (a longer line gets a chunk of its own size). */
const CHUNK_BYTES = 1 << 19;

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
    const formatter = new ExportFormatter(namesFrom(new Map(job.names)), exportTime(job.timeZone));
    for (const { index, ids } of job.slices) {
      while (granted < index) await once(port, 'message');
      // Each line is encoded straight into the chunk: encoding one long string built line by
      // line cost a third of the worker's time (flattening it first, mostly when names make
      // it two-byte text).
      let chunk = new Uint8Array(CHUNK_BYTES);
      let used = 0;
      let rows = 0;
      // Transferred, not copied: the chunk after it is a fresh buffer.
      const send = () => rows > 0 && post({ type: 'chunk', slice: index, bytes: chunk.subarray(0, used), rows }, [chunk.buffer]);
      for (const row of reader.iterateValues(job.filter, ids)) {
        const text = formatter.line(job.format, row);
        // A UTF-16 code unit never takes more than 3 bytes in UTF-8.
        const room = text.length * 3;
        if (chunk.length - used < room) {
          send();
          chunk = new Uint8Array(Math.max(CHUNK_BYTES, room));
          used = 0;
          rows = 0;
        }
        used += encoder.encodeInto(text, chunk.subarray(used)).written;
        rows++;
      }
      send();
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
