import { isDeepStrictEqual } from 'node:util';
import type { z } from 'zod';
import { RepoError } from '../db/errors';
import { parseJsonColumn, parseRow } from '../db/rows';
import type { RepoDeps } from './deps';

const MAX_KEY_LENGTH = 200;

/**
 * App-wide settings as key → JSON value. Readers pass the schema they expect, so a value edited
 * by hand or left by an older version fails with the key's name instead of misleading the app.
 */
export class SettingsRepo {
  constructor(private readonly deps: RepoDeps) {}

  /** The value under `key` parsed with `schema`, or undefined when not set. */
  get<S extends z.ZodType>(key: string, schema: S): z.output<S> | undefined {
    const value = this.getRaw(key);
    return value === undefined ? undefined : parseRow(schema, value, 'settings', key);
  }

  getRaw(key: string): unknown {
    const row = this.deps.db.prepare('SELECT value FROM settings WHERE key = ?').get(checkKey(key)) as { value: string } | undefined;
    return row === undefined ? undefined : parseJsonColumn(row.value, 'settings', key, 'value');
  }

  /** Stores a plain JSON value (objects, arrays, strings, finite numbers, booleans, null). */
  set(key: string, value: unknown): void {
    this.deps.db
      .prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at')
      .run(checkKey(key), jsonText(key, value), this.deps.clock());
  }

  /** Several settings at once: all are written or none. */
  setMany(entries: Readonly<Record<string, unknown>>): void {
    this.deps.db.transaction(() => {
      for (const [key, value] of Object.entries(entries)) this.set(key, value);
    })();
  }

  /** False when the key was not set. */
  delete(key: string): boolean {
    return this.deps.db.prepare('DELETE FROM settings WHERE key = ?').run(checkKey(key)).changes > 0;
  }

  keys(): string[] {
    return (this.deps.db.prepare('SELECT key FROM settings ORDER BY key').all() as Array<{ key: string }>).map((r) => r.key);
  }
}

function checkKey(key: string): string {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new RepoError('invalid-input', `setting keys are 1-${MAX_KEY_LENGTH} characters`);
  }
  return key;
}

/** JSON text that reads back as the same value; rejects undefined, NaN, Dates, Maps, class instances… */
function jsonText(key: string, value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined || !isDeepStrictEqual(JSON.parse(text), value)) {
    throw new RepoError('invalid-input', `setting "${key}" must be a plain JSON value (objects, arrays, strings, finite numbers, booleans, null)`);
  }
  return text;
}
