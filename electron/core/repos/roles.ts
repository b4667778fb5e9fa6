import { isDeepStrictEqual } from 'node:util';
import type { z } from 'zod';
import { Role, RoleInput } from '../../../shared/model/role';
import { RepoError } from '../db/errors';
import { isForeignKeyViolation, parseInput, parseJsonColumn, parseRow } from '../db/rows';
import { definedEntries, type RepoDeps } from './deps';

interface RoleRow {
  id: string;
  name: string;
  description: string;
  template: string | null;
  levels: string;
  other_level: string;
  rules: string;
  switches: string;
  step_up: string;
  default_validity_days: number | null;
  created_at: number;
  updated_at: number;
}

type ParsedRoleInput = z.output<typeof RoleInput>;

/** What a role grants: everything but its name, description, template and bookkeeping. */
export type RoleGrants = Pick<Role, 'levels' | 'otherLevel' | 'rules' | 'switches' | 'stepUp' | 'defaultValidityDays'>;

export function grantsOf(role: RoleGrants): RoleGrants {
  return { levels: role.levels, otherLevel: role.otherLevel, rules: role.rules, switches: role.switches, stepUp: role.stepUp, defaultValidityDays: role.defaultValidityDays };
}

/** Roles as position templates (F8): levels, rules, switches and step-up pages stored as JSON. */
export class RolesRepo {
  constructor(private readonly deps: RepoDeps) {}

  list(): Role[] {
    const rows = this.deps.db.prepare('SELECT * FROM roles ORDER BY name COLLATE NOCASE, id').all() as RoleRow[];
    return rows.map(roleFromRow);
  }

  get(id: string): Role | null {
    const row = this.deps.db.prepare('SELECT * FROM roles WHERE id = ?').get(id) as RoleRow | undefined;
    return row ? roleFromRow(row) : null;
  }

  /** A role named `name` that grants exactly `grants`: roles the app derives are reused, not made twice. */
  findIdentical(name: string, grants: RoleGrants): Role | undefined {
    return this.list().find((r) => r.name === name && isDeepStrictEqual(grantsOf(r), grantsOf(grants)));
  }

  create(input: RoleInput): Role {
    const role = parseInput(RoleInput, input, 'role');
    const id = this.deps.newId();
    const now = this.deps.clock();
    this.deps.db
      .prepare(
        `INSERT INTO roles (id, name, description, template, levels, other_level, rules, switches, step_up, default_validity_days, created_at, updated_at)
         VALUES (@id, @name, @description, @template, @levels, @otherLevel, @rules, @switches, @stepUp, @defaultValidityDays, @now, @now)`,
      )
      .run({ id, now, ...roleColumns(role) });
    return this.get(id)!;
  }

  update(id: string, patch: Partial<RoleInput>): Role {
    return this.deps.db.transaction(() => {
      const current = this.get(id);
      if (!current) throw notFound(id);
      const { id: _id, createdAt: _created, updatedAt: _updated, ...currentInput } = current;
      const role = parseInput(RoleInput, { ...currentInput, ...definedEntries(patch) }, 'role');
      this.deps.db
        .prepare(
          `UPDATE roles SET name = @name, description = @description, template = @template, levels = @levels, other_level = @otherLevel,
             rules = @rules, switches = @switches, step_up = @stepUp, default_validity_days = @defaultValidityDays, updated_at = @now
           WHERE id = @id`,
        )
        .run({ id, now: this.deps.clock(), ...roleColumns(role) });
      return this.get(id)!;
    })();
  }

  /** How many assignments use the role (a role in use cannot be deleted). */
  countAssignments(id: string): number {
    return (this.deps.db.prepare('SELECT count(*) AS n FROM assignments WHERE role_id = ?').get(id) as { n: number }).n;
  }

  /** Refused with `conflict` while assignments use the role (ON DELETE RESTRICT). */
  delete(id: string): void {
    const role = this.get(id);
    if (!role) throw notFound(id);
    try {
      this.deps.db.prepare('DELETE FROM roles WHERE id = ?').run(id);
    } catch (error) {
      if (!isForeignKeyViolation(error)) throw error;
      const n = this.countAssignments(id);
      throw new RepoError(
        'conflict',
        `role "${role.name}" is used by ${n} assignment${n === 1 ? '' : 's'}; give those staff another role or remove the assignments first`,
      );
    }
  }
}

function notFound(id: string): RepoError {
  return new RepoError('not-found', `role ${id} not found`);
}

function roleColumns(role: ParsedRoleInput) {
  return {
    name: role.name,
    description: role.description,
    template: role.template,
    levels: JSON.stringify(role.levels),
    otherLevel: role.otherLevel,
    rules: JSON.stringify(role.rules),
    switches: JSON.stringify(role.switches),
    stepUp: JSON.stringify(role.stepUp),
    defaultValidityDays: role.defaultValidityDays,
  };
}

function roleFromRow(row: RoleRow): Role {
  const json = (column: keyof RoleRow) => parseJsonColumn(row[column], 'roles', row.id, column);
  return parseRow(
    Role,
    {
      id: row.id,
      name: row.name,
      description: row.description,
      template: row.template,
      levels: json('levels'),
      otherLevel: row.other_level,
      rules: json('rules'),
      switches: json('switches'),
      stepUp: json('step_up'),
      defaultValidityDays: row.default_validity_days,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    },
    'roles',
    row.id,
  );
}
