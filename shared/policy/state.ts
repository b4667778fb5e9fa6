import type { Assignment } from '../model/assignment';
import type { Platform } from '../catalog/schema';
import type { Role } from '../model/role';
import type { Store } from '../model/store';
import type { User } from '../model/staff';

/** A time-limited owner approval of one step-up page (F17). */
export interface StepUpGrant {
  userId: string;
  storeId: string;
  /** The step-up filter text that was approved (as shown in the decision's `filter`). */
  filter: string;
  until: number;
}

/** Everything the guard's decisions depend on; core loads it from the database. */
export interface PolicyState {
  platforms: readonly Platform[];
  stores: readonly Store[];
  users: readonly User[];
  roles: readonly Role[];
  assignments: readonly Assignment[];
  grants: readonly StepUpGrant[];
}
