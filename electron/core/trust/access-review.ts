import { OTHER_MODULE } from '../../../shared/ipc/trust';
import type { Database } from 'better-sqlite3';
import { assignmentActiveAt } from '../../../shared/model/assignment';
import type { Level } from '../../../shared/model/common';
import type { Repositories } from '../repos';

/**
 * Access review (F23): for each staff member, what they were granted against what they used.
 * Usage comes from the operation log — this machine's and log bundles imported from staff
 * machines (imported_audit), since staff usually work on their own machines.
 *
 * - A module is "used" by allowed navigations and mutations into it on that store; a mutation
 *   is an allowed non-GET request (kind "mutation"), except read-only POST endpoints of a View
 *   module (reason module-view-readonly-post), which count as reads.
 * - URLs no module covers are reported under OTHER_MODULE, against the role's "other" level.
 * - "Last use" of an assignment: the newest store-open, navigation, mutation or download of
 *   that person on that store, in the whole retained log.
 *
 * Suggestions (never for disabled staff, who have no access anyway):
 * - downgrade: Edit modules with no mutation in the window → View;
 * - revoke: no use of the store at all in the window;
 * - expiring: the assignment ends within `expiringWithinDays` → renew or end it;
 * - remove-expired: the assignment has ended and only clutters the list.
 * downgrade and revoke are only made for assignments that are active now and existed for the
 * whole window (a person assigned yesterday has not had the chance to use it), and not for an
 * assignment that is about to expire (the renew-or-end decision covers it).
 */
export { OTHER_MODULE };
export const DEFAULT_REVIEW_WINDOW_DAYS = 30;
export const DEFAULT_EXPIRING_WITHIN_DAYS = 7;
const DAY_MS = 86_400_000;

export interface AccessReviewOptions {
  now: number;
  /** The last N days the review looks at. Default 30. */
  windowDays?: number;
  /** Assignments ending within this many days are "expiring". Default 7. */
  expiringWithinDays?: number;
}

export interface ModuleUsage {
  module: string;
  granted: Level;
  /** Allowed reads (navigations, read-only POSTs) into the module in the window. */
  navigations: number;
  /** Allowed mutating requests that needed Edit, in the window. */
  mutations: number;
  lastUsed: number | null;
}

export type AssignmentStatus = 'active' | 'not-started' | 'expired';

export interface AssignmentReview {
  assignmentId: string;
  storeId: string;
  storeName: string;
  roleId: string;
  roleName: string;
  /** Assignments (of anyone) using the same role: a change to the role affects them all. */
  roleHolders: number;
  validFrom: number | null;
  validUntil: number | null;
  createdAt: number;
  status: AssignmentStatus;
  lastUsed: number | null;
  usedInWindow: boolean;
  /** Granted modules (level above None) and any module used, by name; OTHER_MODULE last. */
  modules: ModuleUsage[];
}

interface SuggestionBase {
  /** Stable for the same situation: `<kind>:<assignmentId>`. */
  id: string;
  staffId: string;
  storeId: string;
  assignmentId: string;
  roleId: string;
  /** An English sentence for reports; the UI builds its own from the fields. */
  reason: string;
}

export type AccessSuggestion =
  | (SuggestionBase & { kind: 'downgrade'; modules: string[] })
  | (SuggestionBase & { kind: 'revoke' })
  | (SuggestionBase & { kind: 'expiring'; validUntil: number })
  | (SuggestionBase & { kind: 'remove-expired'; validUntil: number });

export interface StaffReview {
  staffId: string;
  username: string;
  displayName: string;
  disabled: boolean;
  lastActivity: number | null;
  assignments: AssignmentReview[];
  suggestions: AccessSuggestion[];
}

export interface AccessReview {
  generatedAt: number;
  windowDays: number;
  from: number;
  to: number;
  expiringWithinDays: number;
  staff: StaffReview[];
}

interface UsageRow {
  actorId: string;
  storeId: string;
  module: string | null;
  use: 'read' | 'mutation';
  n: number;
  last: number;
}

export function buildAccessReview(db: Database, repos: Repositories, options: AccessReviewOptions): AccessReview {
  const windowDays = checkDays(options.windowDays ?? DEFAULT_REVIEW_WINDOW_DAYS, 'windowDays');
  const expiringWithinDays = checkDays(options.expiringWithinDays ?? DEFAULT_EXPIRING_WITHIN_DAYS, 'expiringWithinDays');
  const now = options.now;
  const from = now - windowDays * DAY_MS;
  const source = logSource(db);

  const usage = db
    .prepare(
      `SELECT actor_id AS actorId, store_id AS storeId, module,
              CASE WHEN kind = 'mutation' AND coalesce(reason, '') <> 'module-view-readonly-post' THEN 'mutation' ELSE 'read' END AS use,
              count(*) AS n, max(ts) AS last
       FROM ${source}
       WHERE kind IN ('navigation', 'mutation') AND decision = 'allowed' AND ts >= ? AND ts < ? AND actor_id IS NOT NULL AND store_id IS NOT NULL
       GROUP BY actor_id, store_id, module, use`,
    )
    .all(from, now) as UsageRow[];
  const lastUse = new Map(
    (
      db
        .prepare(
          `SELECT actor_id AS actorId, store_id AS storeId, max(ts) AS last FROM ${source}
           WHERE kind IN ('store-open', 'navigation', 'mutation', 'download') AND coalesce(decision, 'allowed') = 'allowed' AND ts < ?
             AND actor_id IS NOT NULL AND store_id IS NOT NULL
           GROUP BY actor_id, store_id`,
        )
        .all(now) as Array<{ actorId: string; storeId: string; last: number }>
    ).map((r) => [`${r.actorId}\n${r.storeId}`, r.last]),
  );
  const lastActivity = db.prepare(`SELECT max(ts) AS last FROM ${source} WHERE actor_id = ? AND ts < ?`);

  const stores = new Map(repos.stores.list().map((s) => [s.id, s]));
  const roles = new Map(repos.roles.list().map((r) => [r.id, r]));
  const assignments = repos.assignments.list();
  const holders = new Map<string, number>();
  for (const a of assignments) holders.set(a.roleId, (holders.get(a.roleId) ?? 0) + 1);

  const staff = repos.users.list().filter((u) => u.kind === 'staff');
  return {
    generatedAt: now,
    windowDays,
    from,
    to: now,
    expiringWithinDays,
    staff: staff.map((user) => {
      const reviews = assignments
        .filter((a) => a.staffId === user.id)
        .map((a): AssignmentReview => {
          const role = roles.get(a.roleId);
          const modules = new Map<string, ModuleUsage>();
          const entry = (module: string, granted: Level) => {
            let m = modules.get(module);
            if (!m) modules.set(module, (m = { module, granted, navigations: 0, mutations: 0, lastUsed: null }));
            return m;
          };
          for (const [module, level] of Object.entries(role?.levels ?? {})) if (level !== 'none') entry(module, level);
          const otherLevel = role?.otherLevel ?? 'none';
          if (otherLevel !== 'none') entry(OTHER_MODULE, otherLevel);
          for (const u of usage) {
            if (u.actorId !== user.id || u.storeId !== a.storeId) continue;
            const name = u.module ?? OTHER_MODULE;
            const m = entry(name, name === OTHER_MODULE ? otherLevel : (role?.levels[name] ?? 'none'));
            if (u.use === 'mutation') m.mutations += u.n;
            else m.navigations += u.n;
            m.lastUsed = Math.max(m.lastUsed ?? 0, u.last);
          }
          const lastUsed = lastUse.get(`${user.id}\n${a.storeId}`) ?? null;
          return {
            assignmentId: a.id,
            storeId: a.storeId,
            storeName: stores.get(a.storeId)?.name ?? a.storeId,
            roleId: a.roleId,
            roleName: role?.name ?? a.roleId,
            roleHolders: holders.get(a.roleId) ?? 0,
            validFrom: a.validFrom,
            validUntil: a.validUntil,
            createdAt: a.createdAt,
            status: assignmentActiveAt(a, now) ? 'active' : a.validFrom !== null && now < a.validFrom ? 'not-started' : 'expired',
            lastUsed,
            usedInWindow: lastUsed !== null && lastUsed >= from,
            modules: [...modules.values()].sort(byModule),
          };
        });
      return {
        staffId: user.id,
        username: user.username,
        displayName: user.displayName,
        disabled: user.disabled,
        lastActivity: (lastActivity.get(user.id, now) as { last: number | null }).last,
        assignments: reviews,
        suggestions: user.disabled ? [] : reviews.flatMap((r) => suggestionsFor(user.id, r, now, from, expiringWithinDays * DAY_MS)),
      };
    }),
  };
}

function suggestionsFor(staffId: string, r: AssignmentReview, now: number, from: number, expiringMs: number): AccessSuggestion[] {
  const base = { staffId, storeId: r.storeId, assignmentId: r.assignmentId, roleId: r.roleId };
  if (r.status === 'expired' && r.validUntil !== null) {
    return [{ ...base, id: `remove-expired:${r.assignmentId}`, kind: 'remove-expired', validUntil: r.validUntil, reason: `access to ${r.storeName} ended on ${iso(r.validUntil)}; remove the assignment` }];
  }
  if (r.validUntil !== null && r.validUntil - now <= expiringMs) {
    return [{ ...base, id: `expiring:${r.assignmentId}`, kind: 'expiring', validUntil: r.validUntil, reason: `access to ${r.storeName} ends on ${iso(r.validUntil)}; renew it or let it end` }];
  }
  if (r.status !== 'active' || r.createdAt > from) return [];
  if (!r.usedInWindow) {
    const last = r.lastUsed === null ? 'never used' : `last used ${iso(r.lastUsed)}`;
    return [{ ...base, id: `revoke:${r.assignmentId}`, kind: 'revoke', reason: `${r.storeName} was not used in the review window (${last}); revoke the access` }];
  }
  const idle = r.modules.filter((m) => m.granted === 'edit' && m.mutations === 0).map((m) => m.module);
  if (idle.length === 0) return [];
  return [{ ...base, id: `downgrade:${r.assignmentId}`, kind: 'downgrade', modules: idle, reason: `no changes made in ${idle.join(', ')} on ${r.storeName} in the review window; downgrade Edit to View` }];
}

/** audit_log, plus the rows imported from staff machines when this database has them. */
function logSource(db: Database): string {
  const columns = 'ts, kind, actor_id, store_id, module, decision, reason';
  const imported = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'imported_audit'").get() !== undefined;
  return imported ? `(SELECT ${columns} FROM audit_log UNION ALL SELECT ${columns} FROM imported_audit)` : 'audit_log';
}

function byModule(a: ModuleUsage, b: ModuleUsage): number {
  if (a.module === OTHER_MODULE || b.module === OTHER_MODULE) return a.module === OTHER_MODULE ? (b.module === OTHER_MODULE ? 0 : 1) : -1;
  return a.module < b.module ? -1 : a.module > b.module ? 1 : 0;
}

function checkDays(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1 || value > 3660) throw new RangeError(`${name} must be a whole number of days from 1 to 3660, got ${value}`);
  return value;
}

function iso(ts: number): string {
  return new Date(ts).toISOString().slice(0, 10);
}
