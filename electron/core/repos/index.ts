import type { Database } from 'better-sqlite3';
import { systemClock, type Clock } from '../db/clock';
import type { SecretBox } from '../secrets/secret-box';
import { newId } from '../db/ids';
import { AssignmentsRepo } from './assignments';
import { RolesRepo } from './roles';
import { SettingsRepo } from './settings';
import { StoresRepo } from './stores';
import { SuspensionsRepo } from './suspensions';
import { UsersRepo } from './users';

export { AssignmentsRepo, type StoreAssignmentInput, type ApplyRoleOptions } from './assignments';
export { RolesRepo, grantsOf, type RoleGrants } from './roles';
export { SettingsRepo } from './settings';
export { StoresRepo } from './stores';
export { SuspensionsRepo, type SuspensionSource } from './suspensions';
export { UsersRepo, usernameKey, type NewUser, type UserPatch, type UserAccount, type UserCredentials, type LoginState } from './users';
export type { RepoDeps } from './deps';

export interface Repositories {
  stores: StoresRepo;
  users: UsersRepo;
  roles: RolesRepo;
  assignments: AssignmentsRepo;
  settings: SettingsRepo;
  suspensions: SuspensionsRepo;
}

export interface RepositoryOptions {
  clock?: Clock;
  newId?: () => string;
  secretBox?: SecretBox | null;
}

/** All repositories over one open database (see openDatabase), sharing its clock. */
export function createRepositories(db: Database, options: RepositoryOptions = {}): Repositories {
  const deps = { db, clock: options.clock ?? systemClock, newId: options.newId ?? newId, secretBox: options.secretBox ?? null };
  return {
    stores: new StoresRepo(deps),
    users: new UsersRepo(deps),
    roles: new RolesRepo(deps),
    assignments: new AssignmentsRepo(deps),
    settings: new SettingsRepo(deps),
    suspensions: new SuspensionsRepo(deps),
  };
}
