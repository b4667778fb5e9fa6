/** Day of week, date and minute of the day of an instant in an IANA time zone. */
export interface LocalTime {
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** YYYY-MM-DD in that zone. */
  date: string;
  /** Minutes since local midnight. */
  minute: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formatters = new Map<string, Intl.DateTimeFormat>();

export function localTime(ts: number, timeZone: string): LocalTime {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(ts)) parts[part.type] = part.value;
  return {
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** "08:30" → 510. */
export function minuteOfDay(clock: string): number {
  const [h, m] = clock.split(':');
  return Number(h) * 60 + Number(m);
}

/**
 * Whether a local time falls in the working window. With start < end the window is
 * [start, end) on a working day; with end < start (a night shift) it runs from start on a
 * working day into the next morning until end.
 */
export function withinWorkingHours(t: LocalTime, days: readonly number[], start: number, end: number): boolean {
  if (start < end) return days.includes(t.weekday) && t.minute >= start && t.minute < end;
  if (t.minute >= start) return days.includes(t.weekday);
  if (t.minute < end) return days.includes((t.weekday + 6) % 7);
  return false;
}
