import type { Database } from 'better-sqlite3';
import { STAFF_INDEX_SCHEMA_SQL } from '../../audit/search';
import type { Migration } from '../migrate';

/**
 * The staff filter's index carries the other filters' columns (see core/audit/search.ts). On an
 * existing log the index is rebuilt here, once (about 2.5 s per million rows).
 */
export const staffIndexSchema: Migration = {
  version: 4,
  name: 'log viewer: the staff index carries the other filter columns',
  up(db: Database) {
    db.exec(STAFF_INDEX_SCHEMA_SQL);
  },
};
