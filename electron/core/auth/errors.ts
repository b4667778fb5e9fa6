import type { FieldIssue } from '../db/errors';

/**
 * Refusals of account operations that are not a login outcome. For the IPC layer:
 * `already-set-up` → already-set-up, `weak-password` → invalid-payload.
 */
export type AuthErrorCode = 'already-set-up' | 'weak-password';

export class AuthError extends Error {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'AuthError';
  }
}
