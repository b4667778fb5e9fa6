import { IpcCallError } from '../../shared/ipc/client';

/** A one-line description of any failure, for states that keep an error to show. */
export function describeError(error: unknown): string {
  if (error instanceof IpcCallError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * Field issues of a failed call by path, with a prefix removed: `roles:update` reports the
 * patch's fields as `patch.rules.2.filter`, `roles:create` as `rules.2.filter`.
 */
export function issuesByPath(error: unknown, stripPrefix = 'patch.'): Map<string, string> {
  const map = new Map<string, string>();
  if (!(error instanceof IpcCallError)) return map;
  for (const issue of error.issues) {
    const path = issue.path.startsWith(stripPrefix) ? issue.path.slice(stripPrefix.length) : issue.path;
    if (!map.has(path)) map.set(path, issue.message);
  }
  return map;
}
