// The one guard a store session's hooks ask (requests, navigations, WebSockets, downloads,
// DevTools): it binds the store and user, makes the injected guard fail closed, and renders the
// page a blocked navigation shows. Node only.
import type { Decision, GuardRequest } from '../../shared/model/decision';
import { asksOwnerForApproval } from '../../shared/policy/step-up-approval';

/** Decides one request and, in the app, logs it (AppCore.guard). Must not throw; if it does, the request is blocked. */
export type GuardFn = (request: GuardRequest) => Decision;

/** What a store page hit that needs the owner's approval (AppCore.reportStepUp takes exactly this). */
export interface StepUpNeeded {
  storeId: string;
  userId: string;
  url: string;
  filter: string;
}

export type SessionRequest = Omit<GuardRequest, 'storeId' | 'userId'>;

export interface SessionGuard {
  readonly storeId: string;
  readonly userId: string;
  /** The decision for one request of this session; blocks on any fault (F16). */
  check(request: SessionRequest): Decision;
  /**
   * Whether the guard would allow the request now, unlogged (AppCore.peek): for deciding again
   * what is already on screen. False on any fault, or without a `peek`.
   */
  wouldAllow(request: SessionRequest): boolean;
  /** HTML of the page shown instead of a blocked navigation (blocked or step-up). */
  blockedPage(url: string, method: string, decision: Decision): string;
  /** After this, every request of the session is refused without asking the guard (closing). */
  revoke(): void;
  readonly revoked: boolean;
}

export interface SessionGuardOptions {
  storeId: string;
  userId: string;
  guard: GuardFn;
  /** The guard's decision without logging it (AppCore.peek). */
  peek?: GuardFn;
  render: (url: string, method: string, decision: Decision) => string;
  onStepUpNeeded?: (request: StepUpNeeded) => void;
  /** Faults of the injected guard or callbacks (they are blocked, never thrown into Playwright). */
  onError?: (error: unknown) => void;
}

/** The decision every fault turns into. */
export const FAIL_CLOSED: Decision = Object.freeze({ allowed: false, reason: 'error', module: null, level: null, ruleId: null, filter: null });

export function createSessionGuard(options: SessionGuardOptions): SessionGuard {
  const { storeId, userId, guard, peek, render, onStepUpNeeded, onError } = options;
  let revoked = false;
  const report = (error: unknown) => {
    try {
      onError?.(error);
    } catch {
      // a broken error reporter must not unblock anything
    }
  };

  return {
    storeId,
    userId,
    get revoked() {
      return revoked;
    },
    revoke() {
      revoked = true;
    },
    check(request) {
      if (revoked) return FAIL_CLOSED;
      let decision: Decision;
      try {
        decision = guard({ ...request, storeId, userId });
      } catch (error) {
        report(error);
        return FAIL_CLOSED;
      }
      // Anything but a well-formed allow is a block: a guard bug must not open the store.
      if (typeof decision !== 'object' || decision === null || typeof decision.reason !== 'string') return FAIL_CLOSED;
      if (decision.allowed !== true && decision.allowed !== false) return FAIL_CLOSED;
      if (!decision.allowed && decision.reason === 'step-up-required' && onStepUpNeeded && asksOwnerForApproval(request)) {
        try {
          onStepUpNeeded({ storeId, userId, url: request.url, filter: decision.filter ?? '' });
        } catch (error) {
          report(error);
        }
      }
      return decision;
    },
    wouldAllow(request) {
      if (revoked || !peek) return false;
      try {
        return peek({ ...request, storeId, userId }).allowed === true;
      } catch (error) {
        report(error);
        return false;
      }
    },
    blockedPage(url, method, decision) {
      return render(url, method, decision);
    },
  };
}
