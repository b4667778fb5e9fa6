import type { Migration } from '../migrate';
import { initialSchema } from './001-initial';
import { trustSchema } from './002-trust';
import { logViewerSchema } from './003-log-viewer';
import { staffIndexSchema } from './004-staff-index';
import { staffSuspensionsSchema } from './005-staff-suspensions';

/** Every schema step the app knows, oldest first. Append only. */
export const MIGRATIONS: readonly Migration[] = [initialSchema, trustSchema, logViewerSchema, staffIndexSchema, staffSuspensionsSchema];
