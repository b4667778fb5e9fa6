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
 * in it are escaped), ASCII case-insensitively, in each of its forms (urlSearchForms: a text
 * with non-ASCII characters also as percent-encoded); AuditReader narrows it with the URL index
 * (search.ts) first when that helps, this condition is always what decides.
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
  if (filter.urlContains !== undefined && filter.urlContains !== '') {
    const url = urlCondition(filter.urlContains);
    add(url.sql, ...url.params);
  }
  for (const condition of extra) add(condition.sql, ...condition.params);
  return { sql: parts.length === 0 ? '1' : parts.join(' AND '), params };
}

/** Makes %, _ and the escape character itself match literally in a LIKE pattern. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** The exact match of one search form: `form` anywhere in the URL, ASCII case-insensitively. */
export function urlLike(form: string): SqlCondition {
  return { sql: "url LIKE ? ESCAPE '\\'", params: [`%${escapeLike(form)}%`] };
}

/** The URL search: the text in any of its forms (a plain text gives exactly the one LIKE it always did). */
export function urlCondition(text: string): SqlCondition {
  const likes = urlSearchForms(text).map(urlLike);
  if (likes.length === 1) return likes[0]!;
  return { sql: `(${likes.map((like) => like.sql).join(' OR ')})`, params: likes.flatMap((like) => like.params) };
}

/**
 * What a URL search looks for: the text as typed first, then, when it has non-ASCII characters,
 * the form the log holds them in. Chromium hands the guard canonical URLs, where such characters
 * are UTF-8 percent-encoded (连衣裙 in a Taobao search is q=%E8%BF%9E%E8%A1%A3%E8%A3%99), so an
 * owner typing Chinese would otherwise find nothing. Only the non-ASCII characters are encoded,
 * as encodeURIComponent writes them (upper-case hex; LIKE folds case, so lower-case hex in a
 * URL matches too); a space becomes %20 (how a URL writes it) or '+' (how a form writes it).
 */
export function urlSearchForms(text: string): string[] {
  const encoded = percentEncodeNonAscii(text);
  if (encoded === text) return [text];
  return [...new Set([text, encoded.replace(/ /g, '%20'), encoded.replace(/ /g, '+')])];
}

const utf8 = new TextEncoder();

/** Each run of non-ASCII characters as its UTF-8 bytes, %XX each (a lone surrogate as U+FFFD, like a URL would; encodeURIComponent would throw). */
function percentEncodeNonAscii(text: string): string {
  return text.replace(/\P{ASCII}+/gu, (run) => Array.from(utf8.encode(run), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
}
