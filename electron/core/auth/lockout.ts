import type { LoginState } from '../repos/users';

/** F7: after 5 wrong passwords in a row the account is locked for 5 minutes. */
export interface LockoutPolicy {
  maxFailedAttempts: number;
  lockoutMs: number;
}

export const DEFAULT_LOCKOUT_POLICY: LockoutPolicy = Object.freeze({ maxFailedAttempts: 5, lockoutMs: 5 * 60_000 });

export const CLEAN_LOGIN_STATE: LoginState = Object.freeze({ failedAttempts: 0, lockedUntil: null });

/** Locked until `lockedUntil`, exclusive: at that very millisecond the account opens again. */
export function isLocked(state: LoginState, now: number): state is LoginState & { lockedUntil: number } {
  return state.lockedUntil !== null && now < state.lockedUntil;
}

/**
 * The state after one more wrong password. Attempts while locked do not count (the lock would
 * otherwise never end under a steady guesser); reaching the limit locks and restarts the count,
 * so after the lock the user has the full number of tries again.
 */
export function afterFailedAttempt(state: LoginState, now: number, policy: LockoutPolicy): LoginState {
  if (isLocked(state, now)) return state;
  const failedAttempts = state.failedAttempts + 1;
  if (failedAttempts >= policy.maxFailedAttempts) return { failedAttempts: 0, lockedUntil: now + policy.lockoutMs };
  return { failedAttempts, lockedUntil: null };
}
