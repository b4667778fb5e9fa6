// Dates and numbers in the reader's local format (Intl), in the interface language.

export function formatDateTime(ts: number, language: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(ts));
}

export function formatDateTimeShort(ts: number, language: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'short' }).format(new Date(ts));
}

export function formatDate(ts: number, language: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium' }).format(new Date(ts));
}

/** Date and time to the second, compact: log rows. */
export function formatLogTime(ts: number, language: string): string {
  return new Intl.DateTimeFormat(language, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(new Date(ts));
}

export function formatTime(ts: number, language: string): string {
  return new Intl.DateTimeFormat(language, { timeStyle: 'short' }).format(new Date(ts));
}

export function formatNumber(n: number, language: string): string {
  return new Intl.NumberFormat(language).format(n);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "in 3 days", "3 天后", "in 5 minutes"… (rounded down to the largest whole unit). */
export function formatRelative(ts: number, now: number, language: string): string {
  const diff = ts - now;
  const abs = Math.abs(diff);
  const rtf = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  for (const [unit, ms] of UNITS) {
    if (abs >= ms) return rtf.format(Math.trunc(diff / ms), unit);
  }
  return rtf.format(Math.trunc(diff / 1000), 'second');
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The value of an <input type="datetime-local"> for a timestamp, in local time. */
export function toLocalInput(ts: number | null): string {
  if (ts === null) return '';
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Local date-time input value → timestamp; '' → null; unreadable → NaN. */
export function fromLocalInput(value: string): number | null {
  if (value.trim() === '') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(value.trim());
  if (!m) return Number.NaN;
  const [, y, mo, d, h = '0', mi = '0'] = m;
  return new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi)).getTime();
}

/** Minutes to add to UTC for local time now (log:daily's utcOffsetMinutes). */
export function localUtcOffsetMinutes(at = Date.now()): number {
  return -new Date(at).getTimezoneOffset();
}

/** Local midnight of the day `ts` falls on. */
export function startOfLocalDay(ts: number): number {
  const d = new Date(ts);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** "1 day", "30 days", "30天", "15 minutes"… with the language's own plural rules. */
export function formatUnit(value: number, unit: 'day' | 'minute' | 'hour', language: string): string {
  return new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

/** "Downloads, Uploads, and Printing" / "下载、上传和打印". */
export function formatList(items: readonly string[], language: string): string {
  return new Intl.ListFormat(language, { type: 'conjunction', style: 'long' }).format(items);
}
