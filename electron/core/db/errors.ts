/**
 * Expected failures of the data layer. The codes line up with the IPC error codes (shared/ipc/
 * result.ts) so the service can pass them through: `invalid-input` → invalid-payload and
 * `corrupt-row` → internal are the only ones it has to translate.
 */
export type RepoErrorCode = 'not-found' | 'conflict' | 'invalid-input' | 'corrupt-row';

export interface FieldIssue {
  path: string;
  message: string;
}

export class RepoError extends Error {
  constructor(
    readonly code: RepoErrorCode,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'RepoError';
  }
}

/** The database file was written by a newer version of the app; we must not touch it. */
export class DatabaseTooNewError extends Error {
  constructor(
    readonly file: string,
    readonly fileVersion: number,
    readonly knownVersion: number,
  ) {
    super(
      `database ${file} has schema version ${fileVersion}, but this version of ShopWarden only knows versions up to ${knownVersion}: ` +
        'it was written by a newer ShopWarden. Update the app to open it (the file was left unchanged).',
    );
    this.name = 'DatabaseTooNewError';
  }
}
