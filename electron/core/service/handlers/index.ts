import type { Handlers } from '../dispatch';
import type { ServiceDeps } from '../deps';
import { assignmentHandlers } from './assignments';
import { authHandlers } from './auth';
import { fileHandlers } from './files';
import { logHandlers } from './log';
import { roleHandlers } from './roles';
import { settingsHandlers } from './settings';
import { staffHandlers } from './staff';
import { stepUpHandlers } from './step-up';
import { storeHandlers } from './stores';
import { trustHandlers } from './trust';
import { workspaceHandlers } from './workspace';

/** One handler per contract channel; the type makes a missing channel a compile error. */
export function createHandlers(deps: ServiceDeps): Handlers {
  return {
    ...authHandlers(deps),
    ...storeHandlers(deps),
    ...staffHandlers(deps),
    ...roleHandlers(deps),
    ...assignmentHandlers(deps),
    ...workspaceHandlers(deps),
    ...stepUpHandlers(deps),
    ...settingsHandlers(deps),
    ...logHandlers(deps),
    ...trustHandlers(deps),
    ...fileHandlers(deps),
  };
}
