import type { LogFilter } from '../../../shared/ipc/contract';

/** A WHERE clause (without the keyword; "1" when empty) and its positional parameters. */
export interface SqlCondition {
  sql: string;
  params: unknown[];
}

/**
 * SQL for the viewer's filters. Each one maps onto an index ((x, ts) per column: actor / store
 * / kind / decision in AUDIT_SCHEMA_SQL, module in migration 3): equality on the column, a
 * range on ts. `to` is exclusive and `from` inclusive, like assignment windows. An empty
 * `kinds` list means "any kind". The URL text is matched as a plain substring (LIKE wildcards
 * in it are escaped), ASCII case-insensitively; AuditReader narrows it with the URL index
 * (search.ts) first when that helps, this LIKE is always what decides.
 */
export function filterCondition(filter: LogFilter, extra: SqlCondition[] = []): SqlCondition {
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    parts.push(sql);
    params.push(...values);
  };
  if (filter.actorId !== undefined) add('actor_id = ?', filter.actorId);
  if (filter.storeId !== undefined) add('store_id = ?', filter.storeId);
  if (filter.module !== undefined) add('module = ?', filter.module);
  if (filter.kinds !== undefined && filter.kinds.length > 0) {
    const kinds = [...new Set(filter.kinds)];
    add(kinds.length === 1 ? 'kind = ?' : `kind IN (${kinds.map(() => '?').join(', ')})`, ...kinds);
  }
  if (filter.decision !== undefined) add('decision = ?', filter.decision);
  if (filter.from !== undefined) add('ts >= ?', filter.from);
  if (filter.to !== undefined) add('ts < ?', filter.to);
  if (filter.urlContains !== undefined && filter.urlContains !== '') add("url LIKE ? ESCAPE '\\'", `%${escapeLike(filter.urlContains)}%`);
  for (const condition of extra) add(condition.sql, ...condition.params);
  return { sql: parts.length === 0 ? '1' : parts.join(' AND '), params };
}

/** Makes %, _ and the escape character itself match literally in a LIKE pattern. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
