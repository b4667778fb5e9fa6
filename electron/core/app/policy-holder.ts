import type { Platform } from '../../../shared/catalog/schema';
import { assignmentActiveAt } from '../../../shared/model/assignment';
import { compile, subjectKey, subjectOf, type CompiledPolicy } from '../../../shared/policy/compile';
import type { PolicyState, StepUpGrant } from '../../../shared/policy/state';
import type { Clock } from '../db/clock';
import type { Repositories } from '../repos';

/**
 * A store a user may no longer use, and why — or, 'role-changed', may use only with other
 * sensitive switches (downloads, uploads, DevTools, printing), which a host may have fixed when
 * the store opened: it opens again with the new ones.
 */
export interface LostAccess {
  storeId: string;
  userId: string;
  reason: 'expired' | 'revoked' | 'disabled' | 'role-changed';
}

export interface PolicyHolderEvents {
  /** Whoever lost access (or had their switches changed): their store tabs close. */
  onLost: (lost: LostAccess[]) => void;
  /**
   * Asked before every build: may restore the tables first (a managed machine's signed policy,
   * trust/managed-policy.ts); false when no staff member may have any access.
   */
  staffAccess?: () => boolean;
  /** An assignment started or ended (or a grant ran out) on its own: consoles show who may open what. */
  onBoundary?: () => void;
  /**
   * The policy was rebuilt (after onLost): what a store keeps open was allowed by the old one —
   * its WebSockets, the pages on screen — and is to be decided again.
   */
  onRebuilt?: () => void;
}

/** setTimeout's ceiling: later boundaries are re-checked when this fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Holds the compiled policy the guard decides with. Recompiled from the database after every
 * owner change (about 60 ms for 100 stores × 30 staff once the filters are parsed; see bench/decide) and at the exact instant an assignment starts or
 * ends or a step-up grant runs out, so access ends on time and not at the next launch (F9).
 * See PolicyHolderEvents for whom it tells.
 */
export class PolicyHolder {
  private current: CompiledPolicy;
  /** Subjects with an assignment active now, by subjectKey, with their switches (as JSON). */
  private access = new Map<string, Omit<LostAccess, 'reason'> & { switches: string }>();
  private grants: StepUpGrant[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  private readonly onLost: (lost: LostAccess[]) => void;
  private readonly staffAccess: () => boolean;
  private readonly onBoundary: () => void;
  private readonly onRebuilt: () => void;

  constructor(
    private readonly repos: Repositories,
    private readonly platforms: () => readonly Platform[],
    private readonly clock: Clock,
    events: PolicyHolderEvents,
  ) {
    this.onLost = events.onLost;
    this.staffAccess = events.staffAccess ?? (() => true);
    this.onBoundary = events.onBoundary ?? (() => {});
    this.onRebuilt = events.onRebuilt ?? (() => {});
    this.current = this.build(clock());
  }

  get policy(): CompiledPolicy {
    return this.current;
  }

  addGrant(grant: StepUpGrant): void {
    this.grants.push(grant);
    this.reload();
  }

  /**
   * Re-reads the database, recompiles, reports lost access and re-arms the boundary timer.
   * Answers whether who may open what changed: access gained or lost, or a grant ended.
   */
  reload(cause: LostAccess['reason'] = 'revoked'): boolean {
    const now = this.clock();
    const grantsBefore = this.grants.length;
    this.grants = this.grants.filter((g) => g.until > now);
    const before = this.access;
    this.current = this.build(now);
    // A grant was approved for access the person had then: it ends with that access, and does
    // not come back when the person is enabled or assigned again.
    this.grants = this.grants.filter((g) => this.access.has(subjectKey(g.storeId, g.userId)));
    const lost: LostAccess[] = [];
    for (const [key, { storeId, userId, switches }] of before) {
      const after = this.access.get(key);
      if (!after) lost.push({ storeId, userId, reason: cause });
      else if (after.switches !== switches) lost.push({ storeId, userId, reason: 'role-changed' });
    }
    if (lost.length > 0) this.onLost(lost);
    this.onRebuilt();
    const gained = [...this.access.keys()].some((key) => !before.has(key));
    return gained || lost.some((l) => l.reason !== 'role-changed') || this.grants.length !== grantsBefore;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private build(now: number): CompiledPolicy {
    const staffAccess = this.staffAccess();
    const state: PolicyState = {
      platforms: this.platforms(),
      stores: this.repos.stores.list(),
      // Suspended on this computer: decided like disabled (the signed policy never sees it).
      users: this.repos.suspensions.withSuspensions(this.repos.users.list()),
      roles: this.repos.roles.list(),
      assignments: staffAccess ? this.repos.assignments.list() : [],
      grants: this.grants,
    };
    const disabled = new Set(state.users.filter((u) => u.disabled).map((u) => u.id));
    const compiled = compile(state);
    this.access = new Map();
    for (const a of state.assignments) {
      if (!assignmentActiveAt(a, now) || disabled.has(a.staffId)) continue;
      const switches = JSON.stringify(subjectOf(compiled, a.storeId, a.staffId)?.profile?.switches ?? null);
      this.access.set(subjectKey(a.storeId, a.staffId), { storeId: a.storeId, userId: a.staffId, switches });
    }
    this.arm(state, now);
    return compiled;
  }

  private arm(state: PolicyState, now: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const next = nextBoundary(state, now);
    if (next === null) return;
    const delay = Math.min(next - now, MAX_TIMER_MS);
    this.timer = setTimeout(() => {
      if (this.reload('expired')) this.onBoundary();
    }, delay);
    this.timer.unref?.();
  }
}

/**
 * The first moment after `now` at which an assignment starts or ends or a grant runs out (null:
 * none). A loop, not Math.min(...all): a signed policy may hold a million assignments, more
 * arguments than a call takes.
 */
export function nextBoundary(state: Pick<PolicyState, 'assignments' | 'grants'>, now: number): number | null {
  let next = Infinity;
  const consider = (t: number | null) => {
    if (t !== null && t > now && t < next) next = t;
  };
  for (const a of state.assignments) {
    consider(a.validFrom);
    consider(a.validUntil);
  }
  for (const g of state.grants) consider(g.until);
  return next === Infinity ? null : next;
}
