/**
 * A trust operation refused for a reason the person should read (wrong password, stale
 * suggestion, nothing to export…). Verification outcomes are results, not errors: see the
 * `{ ok: false, code, reason }` answers of the bundle and archive checks.
 */
export type TrustErrorCode = 'invalid-input' | 'not-found' | 'stale' | 'wrong-password' | 'no-key' | 'conflict' | 'chain-broken' | 'nothing-to-do';

export class TrustError extends Error {
  override readonly name = 'TrustError';
  constructor(
    readonly code: TrustErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A rejected bundle or archive: a stable code for the UI and a sentence for people. */
export interface Rejection<C extends string> {
  ok: false;
  code: C;
  reason: string;
}

export function reject<C extends string>(code: C, reason: string): Rejection<C> {
  return { ok: false, code, reason };
}
