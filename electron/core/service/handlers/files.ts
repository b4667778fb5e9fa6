import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Handlers } from '../dispatch';
import { ServiceError } from '../errors';
import type { ServiceDeps } from '../deps';

/** Files the app wrote, shown where they are (the contract allows only a plain name in one of its folders). */
export function fileHandlers(deps: ServiceDeps): Pick<Handlers, 'files:reveal'> {
  return {
    'files:reveal': async (req) => {
      const path = join(req.folder === 'exports' ? deps.exportsDir : deps.archivesDir, req.fileName);
      if (!existsSync(path)) throw new ServiceError('not-found', `${req.fileName} is not in the ${req.folder} folder (moved or deleted?)`);
      try {
        await deps.hooks.revealFile(path);
      } catch (error) {
        throw new ServiceError('unavailable', `the folder could not be shown: ${(error as Error).message}`);
      }
      return { ok: true as const };
    },
  };
}
