import type { z } from 'zod';
import { RepoError, type FieldIssue } from './errors';

/**
 * The seams between SQL rows and the zod models: everything that enters is validated with a
 * message naming the field, everything read back is re-validated so a row damaged outside
 * the app fails loudly with its table and id instead of leaking a malformed object.
 */

function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

function summarise(issues: FieldIssue[]): string {
  return issues.map((i) => `${i.path || '(value)'}: ${i.message}`).join('; ');
}

/** Validates caller input; `what` names it in the message ("store", "role patch"…). */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = fieldIssues(result.error);
  throw new RepoError('invalid-input', `invalid ${what}: ${summarise(issues)}`, issues);
}

/** Validates an object rebuilt from a row of `table`. */
export function parseRow<S extends z.ZodType>(schema: S, value: unknown, table: string, id: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = fieldIssues(result.error);
  throw new RepoError('corrupt-row', `row ${JSON.stringify(id)} of table ${table} is corrupt: ${summarise(issues)}`, issues);
}

/** JSON.parse for a TEXT column, with the same clear error as parseRow. */
export function parseJsonColumn(text: unknown, table: string, id: string, column: string): unknown {
  if (typeof text !== 'string') {
    throw new RepoError('corrupt-row', `row ${JSON.stringify(id)} of table ${table} is corrupt: ${column} is not JSON text`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new RepoError('corrupt-row', `row ${JSON.stringify(id)} of table ${table} is corrupt: ${column} is not valid JSON`);
  }
}

export const toFlag = (value: boolean): number => (value ? 1 : 0);

/** SQLite's extended result code, e.g. SQLITE_CONSTRAINT_UNIQUE (better-sqlite3's SqliteError). */
export function sqliteCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

export function isUniqueViolation(error: unknown): boolean {
  const code = sqliteCode(error);
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** ON DELETE RESTRICT reports SQLITE_CONSTRAINT_TRIGGER, a missing parent _FOREIGNKEY; both say so in the message. */
export function isForeignKeyViolation(error: unknown): boolean {
  return (sqliteCode(error)?.startsWith('SQLITE_CONSTRAINT') ?? false) && /FOREIGN KEY constraint failed/.test((error as Error).message);
}
