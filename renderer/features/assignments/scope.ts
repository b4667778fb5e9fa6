// Scope values (F9) as the owner writes them: one key per line, "asin: B0ABC12345, B0DEF67890".
import type { Scope } from '../../../shared/model/assignment';

export function scopeToText(scope: Scope): string {
  return Object.entries(scope)
    .map(([key, values]) => `${key}: ${values.join(', ')}`)
    .join('\n');
}

export type ScopeParse = { ok: true; scope: Scope } | { ok: false; line: number; problem: 'key' | 'value' };

export function parseScopeText(text: string): ScopeParse {
  const scope: Record<string, string[]> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const colon = line.search(/[:=]/);
    const key = (colon < 0 ? line : line.slice(0, colon)).trim();
    if (!/^[a-z][a-z0-9_]{0,31}$/.test(key)) return { ok: false, line: i + 1, problem: 'key' };
    const values = colon < 0 ? [] : line.slice(colon + 1).split(/[,，\s]+/).map((v) => v.trim()).filter(Boolean);
    if (values.some((v) => v.length > 200 || /[\s/?#@*]/.test(v))) return { ok: false, line: i + 1, problem: 'value' };
    scope[key] = [...new Set([...(scope[key] ?? []), ...values])];
  }
  return { ok: true, scope };
}
