// One part of a parallel log export (export-parallel.ts), in a worker thread: reads its id
// range on a connection of its own and writes it with exportLog.
import { parentPort, workerData } from 'node:worker_threads';
import { openReadConnection } from '../db/open';
import { exportLog } from './export';
import type { ExportPartJob, ExportPartMessage } from './export-parallel';
import { AuditReader } from './reader';

const job = workerData as ExportPartJob;
const post = (message: ExportPartMessage) => parentPort!.postMessage(message);
const names = new Map(job.names);
try {
  const connection = openReadConnection(job.databaseFile);
  try {
    const rows = await exportLog(new AuditReader(connection), job.filter, job.format, job.file, {
      names: (id) => (id === null ? null : (names.get(id) ?? id)),
      idRange: job.idRange,
      header: job.header,
      progressEvery: job.progressEvery,
      onProgress: (written) => post({ type: 'progress', rows: written }),
    });
    post({ type: 'done', rows });
  } finally {
    connection.close();
  }
} catch (error) {
  // Said as text: a database error crossing to the main thread would keep only its code.
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}
