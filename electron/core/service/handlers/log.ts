import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Handlers } from '../dispatch';
import { actor, type ServiceDeps } from '../deps';
import { LOG_COUNT_LIMIT } from '../../../../shared/ipc/contract';
import { exportLogInParallel } from '../../audit/export-parallel';

type LogChannels = 'log:query' | 'log:count' | 'log:daily' | 'log:export' | 'log:verify';

export function logHandlers(deps: ServiceDeps): Pick<Handlers, LogChannels> {
  const reader = () => {
    deps.flushLog();
    return deps.reader;
  };
  return {
    // The first page of a viewer's snapshot fixes its newest row; every later page stays within it.
    'log:query': (req) => {
      const log = reader();
      const throughId = req.throughId ?? log.newestId();
      return { ...log.query(req.filter, { beforeId: req.beforeId, throughId, limit: req.limit }), throughId };
    },
    'log:count': (req) => reader().countUpTo(req.filter, LOG_COUNT_LIMIT, req.throughId),
    'log:daily': (req) => reader().dailyActivity(req),
    'log:verify': () => deps.verifyLog(),

    // Counted, then read in slices for seconds: retention's cut waits until the export is done.
    'log:export': (req, ctx) =>
      deps.logCutGate.read(async () => {
        const user = actor(ctx);
        deps.flushLog();
        mkdirSync(deps.exportsDir, { recursive: true });
        const stamp = new Date(deps.clock()).toISOString().replace(/[:.]/g, '-');
        const fileName = `shopwarden-log-${stamp}.${req.format}`;
        const path = join(deps.exportsDir, fileName);
        const names = new Map<string, string>([...deps.repos.users.list().map((u) => [u.id, u.username] as const), ...deps.repos.stores.list().map((s) => [s.id, s.name] as const)]);
        // Its own connection: the export iterates for seconds while the viewer keeps paging.
        const { reader, close } = deps.openReader();
        try {
          const total = reader.count(req.filter, req.throughId);
          const rows = await exportLogInParallel({
            databaseFile: deps.databaseFile,
            reader,
            filter: req.filter,
            format: req.format,
            file: path,
            throughId: req.throughId,
            timeZone: req.timeZone,
            total,
            names,
            // About a hundred steps for the console's progress bar, however long the export.
            progressEvery: Math.max(1000, Math.ceil(total / 100)),
            onProgress: (written) => deps.hooks.emit({ type: 'log-export-progress', rows: written, total }, user.id),
          });
          return { path, fileName, rows };
        } finally {
          close();
        }
      }),
  };
}
