import { csvCell } from '../audit/export';
import type { AccessReview, AccessSuggestion, AssignmentReview, StaffReview } from './access-review';

/**
 * The access review as files for the owner (F23): a CSV for spreadsheets (one line per staff ×
 * store × module, with the assignment's suggestions) and a self-contained printable HTML page
 * (inline CSS, no scripts, no external resources; every value escaped).
 */

export const REVIEW_CSV_COLUMNS = [
  'staff',
  'display_name',
  'disabled',
  'store',
  'role',
  'role_holders',
  'status',
  'valid_from',
  'valid_until',
  'last_used',
  'module',
  'granted',
  'navigations',
  'mutations',
  'module_last_used',
  'suggestions',
] as const;

/** Formats an instant for people; `timeZone` is an IANA name (default UTC). */
export type TimeFormatter = (ts: number | null) => string;

export function timeFormatter(timeZone = 'UTC'): TimeFormatter {
  const format = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return (ts) => (ts === null ? '' : format.format(ts));
}

function suggestionText(s: AccessSuggestion, time: TimeFormatter): string {
  switch (s.kind) {
    case 'downgrade':
      return `Downgrade to View: ${s.modules.join(', ')}`;
    case 'revoke':
      return 'Revoke: not used in the window';
    case 'expiring':
      return `Renew or end: expires ${time(s.validUntil)}`;
    case 'remove-expired':
      return `Remove: expired ${time(s.validUntil)}`;
  }
}

function suggestionsOf(staff: StaffReview, a: AssignmentReview, time: TimeFormatter): string {
  return staff.suggestions
    .filter((s) => s.assignmentId === a.assignmentId)
    .map((s) => suggestionText(s, time))
    .join('; ');
}

/** CSV text with a UTF-8 BOM and CRLF lines (spreadsheets read Chinese names correctly). */
export function accessReviewCsv(review: AccessReview, options: { timeZone?: string } = {}): string {
  const time = timeFormatter(options.timeZone);
  const lines = [REVIEW_CSV_COLUMNS.join(',')];
  for (const staff of review.staff) {
    if (staff.assignments.length === 0) {
      lines.push([staff.username, staff.displayName, staff.disabled ? 'yes' : 'no', ...Array<string>(REVIEW_CSV_COLUMNS.length - 3).fill('')].map(csvCell).join(','));
    }
    for (const a of staff.assignments) {
      const suggestions = suggestionsOf(staff, a, time);
      const modules = a.modules.length > 0 ? a.modules : [null];
      for (const m of modules) {
        lines.push(
          [
            staff.username,
            staff.displayName,
            staff.disabled ? 'yes' : 'no',
            a.storeName,
            a.roleName,
            a.roleHolders,
            a.status,
            time(a.validFrom),
            time(a.validUntil),
            time(a.lastUsed),
            m?.module ?? '',
            m?.granted ?? '',
            m?.navigations ?? '',
            m?.mutations ?? '',
            time(m?.lastUsed ?? null),
            suggestions,
          ]
            .map((v) => csvCell(v))
            .join(','),
        );
      }
    }
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
body{font:13px/1.45 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;margin:24px;color:#111}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 4px;border-bottom:1px solid #ccc;padding-bottom:2px}
.meta{color:#555;margin:0 0 8px}table{border-collapse:collapse;width:100%;margin:6px 0 10px}
th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}th{background:#f2f2f2}
td.n{text-align:right}.unused{color:#a00}.sugg{margin:4px 0 0 18px;padding:0}.sugg li{margin:2px 0}
.staff{break-inside:avoid}@media print{body{margin:0}h2{break-after:avoid}}`;

/** One printable page; `title` and every value are escaped. */
export function accessReviewHtml(review: AccessReview, options: { timeZone?: string; title?: string } = {}): string {
  const time = timeFormatter(options.timeZone);
  const title = options.title ?? 'ShopWarden access review';
  const e = escapeHtml;
  const sections = review.staff.map((staff) => {
    const rows = staff.assignments.flatMap((a) => {
      const head = `<td rowspan="${Math.max(1, a.modules.length)}">${e(a.storeName)}<br>${e(a.roleName)}${a.roleHolders > 1 ? ` <small>(shared by ${a.roleHolders})</small>` : ''}<br><small>${e(a.status)}${a.validUntil !== null ? `, until ${e(time(a.validUntil))}` : ''}</small></td><td rowspan="${Math.max(1, a.modules.length)}">${e(time(a.lastUsed) || 'never')}</td>`;
      if (a.modules.length === 0) return [`<tr>${head}<td colspan="4">no modules granted</td></tr>`];
      return a.modules.map((m, i) => {
        const unused = m.navigations + m.mutations === 0 ? ' class="unused"' : '';
        return `<tr>${i === 0 ? head : ''}<td${unused}>${e(m.module)}</td><td>${e(m.granted)}</td><td class="n">${m.navigations}</td><td class="n">${m.mutations}</td></tr>`;
      });
    });
    const suggestions = staff.suggestions.length === 0 ? '<p class="meta">No suggestions.</p>' : `<ul class="sugg">${staff.suggestions.map((s) => `<li>${e(s.reason)}</li>`).join('')}</ul>`;
    return `<section class="staff"><h2>${e(staff.username)}${staff.displayName ? ` — ${e(staff.displayName)}` : ''}${staff.disabled ? ' (disabled)' : ''}</h2>
<p class="meta">Last activity: ${e(time(staff.lastActivity) || 'none in the log')}</p>
${rows.length === 0 ? '<p class="meta">No store assignments.</p>' : `<table><thead><tr><th>Store / role</th><th>Last used</th><th>Module</th><th>Granted</th><th>Reads</th><th>Changes</th></tr></thead><tbody>${rows.join('')}</tbody></table>`}
${suggestions}</section>`;
  });
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${e(title)}</title><style>${STYLE}</style></head>
<body><h1>${e(title)}</h1>
<p class="meta">Window: ${e(time(review.from))} – ${e(time(review.to))} (${review.windowDays} days) · generated ${e(time(review.generatedAt))}${options.timeZone ? ` · ${e(options.timeZone)}` : ' · UTC'}</p>
${sections.join('\n')}
</body></html>
`;
}
