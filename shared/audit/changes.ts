/**
 * What an owner change changed, field by field, from the entity as it was and as it is (the
 * `before` / `after` of an owner-change log row). The log viewer shows this instead of two JSON
 * dumps. Pure and total: any JSON values, either side absent for a create or a delete.
 */

/** One changed field. `before` / `after` are undefined where the field is absent on that side. */
export interface FieldChange {
  /** Keys from the entity down; an item of a list matched by id is named by its id. */
  path: string[];
  before: unknown;
  after: unknown;
}

/** How a field changed: set where it was not set, unset where it was, or set to something else. */
export type ChangeKind = 'added' | 'removed' | 'changed';

export interface ChangeList {
  changes: FieldChange[];
  /** Changed fields left out past the limit. */
  more: number;
}

/** Bookkeeping every write touches: saying it changed says nothing. */
const IGNORED_KEYS: ReadonlySet<string> = new Set(['updatedAt', 'createdAt', 'id']);

/** Enough for any entity the console edits; a pathological row stays readable. */
export const MAX_CHANGES = 200;

/**
 * Entities nest a few levels (role › rules › rule › methods); below this a subtree is one change
 * as a whole, so a pathological row neither overflows the stack nor gets a path a screen long.
 */
export const MAX_DEPTH = 16;

export function changedFields(before: unknown, after: unknown, limit = MAX_CHANGES): ChangeList {
  const changes: FieldChange[] = [];
  let more = 0;
  const add = (change: FieldChange) => {
    if (changes.length < limit) changes.push(change);
    else more++;
  };
  // A created or deleted entity: every field it has, against nothing.
  const from = before === null || before === undefined ? (isRecord(after) ? {} : before) : before;
  const to = after === null || after === undefined ? (isRecord(before) ? {} : after) : after;
  compare(from, to, [], add);
  return { changes, more };
}

function compare(before: unknown, after: unknown, path: string[], add: (change: FieldChange) => void): void {
  // null, absent and empty all say "not set": a create's unset fields are no news.
  if (isBlank(before) && isBlank(after)) return;
  if (sameJson(before, after)) return;
  if (path.length >= MAX_DEPTH) {
    add({ path, before, after });
    return;
  }
  if (isRecord(before) && isRecord(after)) {
    for (const key of unionKeys(before, after)) {
      if (IGNORED_KEYS.has(key)) continue;
      compare(before[key], after[key], [...path, key], add);
    }
    return;
  }
  const beforeItems = byId(before);
  const afterItems = byId(after);
  if (beforeItems && afterItems) {
    // A list of items with ids (a role's rules): inserting one must not show every later one as changed.
    for (const id of new Set([...beforeItems.keys(), ...afterItems.keys()])) compare(beforeItems.get(id), afterItems.get(id), [...path, id], add);
    return;
  }
  add({ path, before, after });
}

/** Added or removed when one side is not set (absent, null or empty), else changed. */
export function changeKind(change: FieldChange): ChangeKind {
  if (isBlank(change.before)) return 'added';
  if (isBlank(change.after)) return 'removed';
  return 'changed';
}

/** Not set: absent, null, or an empty list or object. */
export function isBlank(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'object' && Object.keys(value).length === 0);
}

/** A JSON object (not a list). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keys of `a` in its order, then those only `b` has. */
function unionKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

/** A list whose every item is an object with a distinct string id, by id; else null. */
function byId(value: unknown): Map<string, unknown> | null {
  if (!Array.isArray(value)) return null;
  const items = new Map<string, unknown>();
  for (const item of value) {
    if (!isRecord(item) || typeof item.id !== 'string' || items.has(item.id)) return null;
    items.set(item.id, item);
  }
  return items;
}

/** Deep equality of JSON values, with a stack of pairs rather than recursion: any depth is fine. */
function sameJson(a: unknown, b: unknown): boolean {
  const pending: [unknown, unknown][] = [[a, b]];
  for (let pair = pending.pop(); pair; pair = pending.pop()) {
    const [x, y] = pair;
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    if (Array.isArray(x)) {
      const ys = y as unknown[];
      if (x.length !== ys.length) return false;
      x.forEach((item, i) => pending.push([item, ys[i]]));
      continue;
    }
    const xr = x as Record<string, unknown>;
    const yr = y as Record<string, unknown>;
    const keys = Object.keys(xr);
    if (keys.length !== Object.keys(yr).length) return false;
    for (const k of keys) {
      if (!Object.prototype.hasOwnProperty.call(yr, k)) return false;
      pending.push([xr[k], yr[k]]);
    }
  }
  return true;
}
