import type { DecisionReason } from '../../shared/model/decision';

export type StoreSessionErrorCode =
  /** The guard says this user has no access to the store (no assignment, expired, disabled…). */
  | 'refused'
  /** The store's profile is open for another user; one user per store at a time. */
  | 'busy'
  /** No Chrome/Chromium found. */
  | 'no-browser'
  /** The store's proxy cannot be used by Chromium (SOCKS5 with a password). */
  | 'unsupported-proxy'
  /** The store's id or network settings cannot be used. */
  | 'invalid-store'
  /** The session was closed (or is closing) while it was being opened. */
  | 'closed';

/** Why a store session could not be opened; `code` is stable, the message is for people. */
export class StoreSessionError extends Error {
  override readonly name = 'StoreSessionError';
  constructor(
    readonly code: StoreSessionErrorCode,
    message: string,
    readonly reason: DecisionReason | null = null,
  ) {
    super(message);
  }
}
