/**
 * How an export writes a row's time: ISO 8601, in UTC ("…Z") or in the owner's time zone with
 * its offset ("2026-11-24T03:35:16.123+08:00"), so the spreadsheet reads like the viewer and
 * every time still names one instant.
 */
export type ExportTime = (ts: number) => string;

/** Offsets are constant over such a span unless a zone changes offset inside it (checked below). */
const SPAN_MS = 15 * 60_000;

export function exportTime(timeZone?: string): ExportTime {
  if (timeZone === undefined || timeZone === 'UTC') return (ts) => new Date(ts).toISOString();
  const offsetAt = offsetReader(timeZone);
  // Rows come in time order, so one remembered span serves thousands of rows: the Intl call
  // (microseconds) runs twice per span instead of once per row.
  let spanStart = NaN;
  let spanOffset: number | null = null;
  return (ts) => {
    const start = Math.floor(ts / SPAN_MS) * SPAN_MS;
    if (start !== spanStart) {
      spanStart = start;
      const offset = offsetAt(start);
      // A change of offset inside the span (none in today's zones, whose changes fall on
      // quarter hours): each row of that span asks for itself.
      spanOffset = offsetAt(start + SPAN_MS - 1) === offset ? offset : null;
    }
    return withOffset(ts, spanOffset ?? offsetAt(ts));
  };
}

function withOffset(ts: number, offsetMinutes: number): string {
  const local = new Date(ts + offsetMinutes * 60_000).toISOString().slice(0, -1);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const minutes = Math.abs(offsetMinutes);
  return `${local}${sign}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The zone's offset from UTC in minutes at an instant ("GMT+05:45" → 345). */
function offsetReader(timeZone: string): (ts: number) => number {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  return (ts) => {
    const name = format.formatToParts(ts).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
    const match = /^GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(name);
    if (match === null) throw new RangeError(`unexpected time zone offset "${name}" for ${timeZone}`);
    if (match[1] === undefined) return 0;
    // Offsets with seconds are from the 19th century (local mean time): rounded to the minute.
    const minutes = Number(match[2]) * 60 + Number(match[3]) + Math.round(Number(match[4] ?? 0) / 60);
    return match[1] === '-' ? -minutes : minutes;
  };
}
