import { builtInRoleTemplates, readOnlyRole } from '../../../shared/policy/templates';
import type { Database } from 'better-sqlite3';
import type { Repositories } from '../repos';

const SEEDED_KEY = 'seeded.role-templates';

/**
 * First run: the seven built-in roles of the guide and the read-only default (F11), once. An
 * owner who deletes them later does not get them back on the next launch.
 */
export function seedRoleTemplates(db: Database, repos: Repositories): void {
  if (repos.settings.getRaw(SEEDED_KEY) !== undefined) return;
  const templates = [...builtInRoleTemplates(), readOnlyRole()];
  // One transaction (the repositories share the connection): all roles and the marker, or none.
  db.transaction(() => {
    for (const template of templates) repos.roles.create(template);
    repos.settings.set(SEEDED_KEY, true);
  })();
}
