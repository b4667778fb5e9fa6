import type { Database } from 'better-sqlite3';
import { LOG_SEARCH_SCHEMA_SQL } from '../../audit/search';
import type { Migration } from '../migrate';

/**
 * The log viewer on large logs (issue #4): an index for the module filter and a trigram index
 * of the URLs for the URL text filter; see core/audit/search.ts. On an existing log the URL
 * index is built here, once (about 5 s per million rows).
 */
export const logViewerSchema: Migration = {
  version: 3,
  name: 'log viewer: module index and URL text index',
  up(db: Database) {
    db.exec(LOG_SEARCH_SCHEMA_SQL);
  },
};
