export { openDatabase, openReadConnection, type OpenDatabaseOptions } from './open';
export { migrate, schemaVersion, latestVersion, type Migration } from './migrate';
export { MIGRATIONS } from './migrations';
export { RepoError, DatabaseTooNewError, type RepoErrorCode, type FieldIssue } from './errors';
export { newId } from './ids';
export { systemClock, type Clock } from './clock';
