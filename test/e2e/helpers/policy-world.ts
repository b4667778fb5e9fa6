// A policy built like the app builds it — the shipped catalogues, the built-in role templates,
// compile() and decide() — held in memory so a test can change it mid-session (expiry, a
// corrupted policy) the way the application service would, and a guard that records every
// decision it hands out.
import { BUILTIN_PLATFORMS } from '../../../shared/catalog/builtin';
import type { Assignment } from '../../../shared/model/assignment';
import type { Decision, GuardRequest } from '../../../shared/model/decision';
import { Role, type RoleInput, type SensitiveSwitches } from '../../../shared/model/role';
import type { User } from '../../../shared/model/staff';
import type { Store } from '../../../shared/model/store';
import { compile, subjectOf, type CompiledPolicy } from '../../../shared/policy/compile';
import { decide } from '../../../shared/policy/decide';
import type { PolicyState } from '../../../shared/policy/state';
import { roleTemplate } from '../../../shared/policy/templates';
import { storeRecord } from '../../unit/policy-test-helpers';

const T0 = 1_700_000_000_000;

export interface GuardCall {
  request: GuardRequest;
  decision: Decision;
}

export function makeStore(id: string, over: Partial<Store> = {}): Store {
  return storeRecord({ id, name: `Store ${id}`, platformId: 'amazon', siteId: 'us', homeUrl: 'http://sellercentral.amazon.com/home', ...over }, T0);
}

export function makeUser(id: string, kind: User['kind'] = 'staff'): User {
  return { id, username: id, displayName: id, kind, disabled: false, createdAt: T0, updatedAt: T0 };
}

export function makeRole(id: string, input: RoleInput): Role {
  return Role.parse({ ...input, id, createdAt: T0, updatedAt: T0 });
}

export function assign(staffId: string, storeId: string, roleId: string, over: Partial<Assignment> = {}): Assignment {
  return { id: `a-${staffId}-${storeId}`, staffId, storeId, roleId, validFrom: null, validUntil: null, scope: {}, createdAt: T0, updatedAt: T0, ...over };
}

export const builtInRole = (id: string, key: Parameters<typeof roleTemplate>[0]) => makeRole(id, roleTemplate(key));

const NO_SWITCHES: SensitiveSwitches = { downloads: false, uploads: false, devtools: false, printing: false };

export class PolicyWorld {
  policy: CompiledPolicy;
  readonly calls: GuardCall[] = [];

  constructor(public state: PolicyState) {
    this.policy = compile(state);
    if (this.policy.problems.length > 0) throw new Error(`test policy does not compile: ${this.policy.problems.join('; ')}`);
  }

  /** What AppCore.guard does, minus the log: decide against the current policy, record. */
  readonly guard = (request: GuardRequest): Decision => {
    const decision = decide(request, this.policy, Date.now());
    this.calls.push({ request, decision });
    return decision;
  };

  /** What AppCore.switchesFor answers. */
  readonly switchesFor = (storeId: string, userId: string): SensitiveSwitches =>
    subjectOf(this.policy, storeId, userId)?.profile?.switches ?? NO_SWITCHES;

  /** Recompiles after a change, as the service's policy holder does. */
  update(change: (state: PolicyState) => PolicyState): void {
    this.state = change(this.state);
    this.policy = compile(this.state);
  }

  /** A compiled policy whose lookups throw: decide() must block everything (F16). */
  corrupt(): void {
    const broken = new Map(this.policy.subjects);
    broken.get = () => {
      throw new Error('corrupted policy');
    };
    this.policy = { ...this.policy, subjects: broken };
  }

  /** Recorded calls of one user whose URL contains `fragment`. */
  callsTo(userId: string, fragment: string): GuardCall[] {
    return this.calls.filter((c) => c.request.userId === userId && c.request.url.includes(fragment));
  }
}

export { BUILTIN_PLATFORMS };
