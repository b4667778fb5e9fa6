import type { Database } from 'better-sqlite3';
import type { AuditEventInput } from '../../../shared/model/audit';
import type { Clock } from '../db/clock';
import type { Repositories } from '../repos';

/** What the trust use-cases work with; the application service builds it from its own deps. */
export interface TrustDeps {
  db: Database;
  repos: Repositories;
  clock: Clock;
  /**
   * Appends a row to the operation log (the service's `deps.log`, i.e. the one AuditWriter).
   * Omitted by the CLI: a second writer on a live database would fork the chain.
   */
  log?: (event: AuditEventInput) => void;
  /**
   * Writes a row inside the caller's open transaction (AuditWriter.appendInTransaction) and
   * answers what to call after the commit. Where it is missing, `log` after the commit is used.
   */
  logInTransaction?: (event: AuditEventInput) => () => void;
}

/** One changed entity, as it was and as it is. */
export interface ChangeRecord {
  entity: string;
  action: 'create' | 'update' | 'delete';
  id: string;
  before: unknown;
  after: unknown;
  storeId?: string | null;
}

/** An owner-change row (F19) for a change made by a trust use-case, shaped like the service's. */
export function changeEvent(ts: number, actorId: string | null, change: ChangeRecord & { source: string; extra?: Record<string, unknown> }): AuditEventInput {
  return {
    ts,
    kind: 'owner-change',
    actorId,
    storeId: change.storeId ?? null,
    detail: { entity: change.entity, action: change.action, id: change.id, before: change.before ?? null, after: change.after ?? null, source: change.source, ...change.extra },
  };
}
