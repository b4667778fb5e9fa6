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

export interface ChangeList {
  changes: FieldChange[];
  /** Changed fields left out past the limit. */
  more: number;
}

/** Bookkeeping every write touches: saying it changed says nothing. */
const IGNORED_KEYS: ReadonlySet<string> = new Set(['updatedAt', 'createdAt', 'id']);

/** Enough for any entity the console edits; a pathological row stays readable. */
export const MAX_CHANGES = 200;

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

function isBlank(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'object' && Object.keys(value).length === 0);
}

function isRecord(value: unknown): value is Record<string, unknown> {
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

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((item, i) => sameJson(item, (b as unknown[])[i]));
  const ak = Object.keys(a);
  const bk = Object.keys(b);
  return ak.length === bk.length && ak.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
