import type { Database } from 'better-sqlite3';
import { TRUST_SCHEMA_SQL } from '../../trust/schema';
import type { Migration } from '../migrate';

/** Retention cuts, imported log bundles and their machines (issue #5); see core/trust/schema.ts. */
export const trustSchema: Migration = {
  version: 2,
  name: 'audit retention cuts and imported log bundles',
  up(db: Database) {
    db.exec(TRUST_SCHEMA_SQL);
  },
};
