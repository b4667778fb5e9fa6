import type { ErrorCode, IpcError } from '../../../shared/ipc/result';
import { AuthError } from '../auth';
import { RepoError } from '../db/errors';
import { TrustError, type TrustErrorCode } from '../trust/errors';

/** An expected failure of a use-case, answered to the caller as { ok: false, error }. */
export class ServiceError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues: IpcError['issues'] = [],
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** A change refused on a managed staff machine (see ChannelOptions.changesPolicy in the contract). */
export function managedRefusal(): ServiceError {
  return new ServiceError('managed', "this computer takes its stores, staff, roles and assignments from the owner's signed policy bundles: change them on the owner's computer and apply the new bundle here");
}

/** zod's issue paths as "rules.2.filter", for forms to show next to the field. */
export function issuesFromZod(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): IpcError['issues'] {
  return issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

const REPO_CODES: Record<RepoError['code'], ErrorCode> = {
  'not-found': 'not-found',
  conflict: 'conflict',
  'invalid-input': 'invalid-payload',
  'corrupt-row': 'internal',
};

const TRUST_CODES: Record<TrustErrorCode, ErrorCode> = {
  'invalid-input': 'invalid-payload',
  'not-found': 'not-found',
  stale: 'conflict',
  'wrong-password': 'invalid-credentials',
  'no-key': 'not-found',
  conflict: 'conflict',
  'chain-broken': 'conflict',
  'nothing-to-do': 'conflict',
};

/** Expected failures of the layers below, as the caller should see them; null for bugs. */
export function asServiceError(error: unknown): ServiceError | null {
  if (error instanceof ServiceError) return error;
  if (error instanceof RepoError && error.code !== 'corrupt-row') return new ServiceError(REPO_CODES[error.code], error.message, error.issues);
  if (error instanceof AuthError) return new ServiceError(error.code === 'already-set-up' ? 'already-set-up' : 'invalid-payload', error.message, error.issues);
  if (error instanceof TrustError) return new ServiceError(TRUST_CODES[error.code], error.message, [{ path: '', message: error.code }]);
  return null;
}
