import { Assignment, AssignmentInput, type Scope } from '../../../shared/model/assignment';
import { RepoError } from '../db/errors';
import { parseInput, parseJsonColumn, parseRow } from '../db/rows';
import type { RepoDeps } from './deps';

interface AssignmentRow {
  id: string;
  staff_id: string;
  store_id: string;
  role_id: string;
  valid_from: number | null;
  valid_until: number | null;
  scope: string;
  created_at: number;
  updated_at: number;
}

/** An assignment for a store named elsewhere (replaceForStore). */
export type StoreAssignmentInput = Omit<AssignmentInput, 'storeId'>;

/**
 * The window and scope given to every assignment `applyRole` writes. Left out: a store the
 * person is already assigned to keeps its own (a scheduled start must not become "now").
 */
export interface ApplyRoleOptions {
  validFrom?: number | null;
  validUntil?: number | null;
  scope?: Scope;
}

const SELECT = 'SELECT * FROM assignments';
const ORDER = 'ORDER BY created_at, id';

/**
 * staff × store × role with a validity window and scope (F9), at most one per (staff, store).
 * Every method that writes several rows runs in one transaction: all rows or none.
 */
export class AssignmentsRepo {
  constructor(private readonly deps: RepoDeps) {}

  list(): Assignment[] {
    return this.all(`${SELECT} ${ORDER}`);
  }

  listByStaff(staffId: string): Assignment[] {
    return this.all(`${SELECT} WHERE staff_id = ? ${ORDER}`, staffId);
  }

  listByStore(storeId: string): Assignment[] {
    return this.all(`${SELECT} WHERE store_id = ? ${ORDER}`, storeId);
  }

  get(id: string): Assignment | null {
    return this.all(`${SELECT} WHERE id = ?`, id)[0] ?? null;
  }

  /** The assignment that lets `staffId` open `storeId`, if any (whatever its window). */
  getFor(staffId: string, storeId: string): Assignment | null {
    return this.all(`${SELECT} WHERE staff_id = ? AND store_id = ?`, staffId, storeId)[0] ?? null;
  }

  /**
   * Creates the assignment, or replaces role, window and scope of the existing one for the same
   * (staff, store), keeping its id and createdAt.
   */
  upsert(input: AssignmentInput): Assignment {
    return this.deps.db.transaction(() => this.write(input))();
  }

  upsertMany(inputs: readonly AssignmentInput[]): Assignment[] {
    return this.deps.db.transaction(() => inputs.map((input) => this.write(input)))();
  }

  /**
   * Makes `entries` the complete list of the store's assignments: upserts each, deletes the
   * store's others. Returns the store's assignments afterwards.
   */
  replaceForStore(storeId: string, entries: readonly StoreAssignmentInput[]): Assignment[] {
    return this.deps.db.transaction(() => {
      this.requireStore(storeId);
      const staffIds = entries.map((e) => e.staffId);
      const repeated = staffIds.find((id, index) => staffIds.indexOf(id) !== index);
      if (repeated !== undefined) throw new RepoError('invalid-input', `staff ${repeated} is listed twice for store ${storeId}`);
      const kept = new Set(entries.map((entry) => this.write({ ...entry, storeId }).id));
      for (const old of this.listByStore(storeId)) {
        if (!kept.has(old.id)) this.deps.db.prepare('DELETE FROM assignments WHERE id = ?').run(old.id);
      }
      return this.listByStore(storeId);
    })();
  }

  /**
   * F10: gives every staff member assigned to `fromStoreId` their role, window and scope on
   * each target store (replacing their existing assignment there; other staff on the targets
   * are left alone). Returns the assignments written. `roleFor` picks the role each copy gets
   * on its store (default: the same); it runs inside the transaction, so a role it creates goes
   * with the copies if anything fails.
   */
  copyToStores(fromStoreId: string, toStoreIds: readonly string[], roleFor: (source: Assignment, storeId: string) => string = (a) => a.roleId): Assignment[] {
    return this.deps.db.transaction(() => {
      this.requireStore(fromStoreId);
      const sources = this.listByStore(fromStoreId);
      const targets = [...new Set(toStoreIds)].filter((id) => id !== fromStoreId);
      return targets.flatMap((storeId) => {
        this.requireStore(storeId);
        return sources.map((a) => this.write({ staffId: a.staffId, storeId, roleId: roleFor(a, storeId), validFrom: a.validFrom, validUntil: a.validUntil, scope: a.scope }));
      });
    })();
  }

  /** F10: one role for one staff member on many stores at once. */
  applyRole(staffId: string, roleId: string, storeIds: readonly string[], options: ApplyRoleOptions = {}): Assignment[] {
    return this.deps.db.transaction(() =>
      [...new Set(storeIds)].map((storeId) => {
        const existing = this.getFor(staffId, storeId);
        return this.write({
          staffId,
          storeId,
          roleId,
          validFrom: options.validFrom !== undefined ? options.validFrom : (existing?.validFrom ?? null),
          validUntil: options.validUntil !== undefined ? options.validUntil : (existing?.validUntil ?? null),
          scope: options.scope ?? existing?.scope ?? {},
        });
      }),
    )();
  }

  delete(id: string): void {
    const { changes } = this.deps.db.prepare('DELETE FROM assignments WHERE id = ?').run(id);
    if (changes === 0) throw new RepoError('not-found', `assignment ${id} not found`);
  }

  /** Removes the staff member's access to the store; false when there was none. */
  deleteFor(staffId: string, storeId: string): boolean {
    return this.deps.db.prepare('DELETE FROM assignments WHERE staff_id = ? AND store_id = ?').run(staffId, storeId).changes > 0;
  }

  /** One validated upsert; callers provide the transaction. */
  private write(input: AssignmentInput): Assignment {
    const a = parseInput(AssignmentInput, input, 'assignment');
    this.checkReferences(a.staffId, a.storeId, a.roleId);
    const row = this.deps.db
      .prepare(
        `INSERT INTO assignments (id, staff_id, store_id, role_id, valid_from, valid_until, scope, created_at, updated_at)
         VALUES (@id, @staffId, @storeId, @roleId, @validFrom, @validUntil, @scope, @now, @now)
         ON CONFLICT (staff_id, store_id) DO UPDATE SET role_id = excluded.role_id, valid_from = excluded.valid_from,
           valid_until = excluded.valid_until, scope = excluded.scope, updated_at = excluded.updated_at
         RETURNING *`,
      )
      .get({ ...a, id: this.deps.newId(), scope: JSON.stringify(a.scope), now: this.deps.clock() }) as AssignmentRow;
    return assignmentFromRow(row);
  }

  /** Clear messages for what the foreign keys would only report as "constraint failed". */
  private checkReferences(staffId: string, storeId: string, roleId: string): void {
    const staff = this.deps.db.prepare('SELECT kind FROM users WHERE id = ?').get(staffId) as { kind: string } | undefined;
    if (!staff) throw new RepoError('not-found', `staff ${staffId} not found`, [{ path: 'staffId', message: 'not found' }]);
    if (staff.kind !== 'staff') {
      throw new RepoError('invalid-input', 'the owner opens every store; assignments are for staff accounts', [{ path: 'staffId', message: 'not a staff account' }]);
    }
    this.requireStore(storeId);
    if (this.deps.db.prepare('SELECT 1 FROM roles WHERE id = ?').get(roleId) === undefined) {
      throw new RepoError('not-found', `role ${roleId} not found`, [{ path: 'roleId', message: 'not found' }]);
    }
  }

  private requireStore(storeId: string): void {
    if (this.deps.db.prepare('SELECT 1 FROM stores WHERE id = ?').get(storeId) === undefined) {
      throw new RepoError('not-found', `store ${storeId} not found`, [{ path: 'storeId', message: 'not found' }]);
    }
  }

  private all(sql: string, ...params: string[]): Assignment[] {
    return (this.deps.db.prepare(sql).all(...params) as AssignmentRow[]).map(assignmentFromRow);
  }
}

function assignmentFromRow(row: AssignmentRow): Assignment {
  return parseRow(
    Assignment,
    {
      id: row.id,
      staffId: row.staff_id,
      storeId: row.store_id,
      roleId: row.role_id,
      validFrom: row.valid_from,
      validUntil: row.valid_until,
      scope: parseJsonColumn(row.scope, 'assignments', row.id, 'scope'),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    },
    'assignments',
    row.id,
  );
}
