import type { Clock } from '../db/clock';

/** Where the clock's high-water mark is kept between launches. */
export interface HighWaterStore {
  read(): number | null;
  write(ms: number): void;
}

export interface MonotonicClock {
  clock: Clock;
  /** How far back the wall clock was found set (ms) the first time it happened, or null. */
  onRollback(listener: (behindMs: number) => void): void;
}

/** Milliseconds from a source that only moves forward and cannot be set (performance.now). */
export type Elapsed = () => number;

/** Small steps back happen (NTP corrections); they are not worth an alarm. */
const TOLERANCE_MS = 2 * 60_000;
const PERSIST_EVERY_MS = 60_000;

/**
 * A wall clock that never goes back, even across launches: a staff member who sets the
 * computer's date back does not revive an expired assignment (F9) or backdate log rows. While
 * the system clock is behind the highest time seen, time goes on from that mark at the pace
 * of `elapsed` (which nobody can set), so assignments, step-up grants and lockouts still end
 * after the real time that passed instead of waiting for the system clock to catch up. The
 * first rollback beyond the tolerance is reported so it can be logged for the owner.
 *
 * Across launches only the stored mark survives: time the app was not running while the clock
 * was set back is not counted (nothing trustworthy measured it).
 */
export function monotonicClock(base: Clock, store: HighWaterStore, elapsed: Elapsed = () => performance.now()): MonotonicClock {
  let highWater = store.read() ?? 0;
  let elapsedAtMark = elapsed();
  let persisted = highWater;
  let reported = false;
  const listeners: ((behindMs: number) => void)[] = [];
  const clock: Clock = () => {
    const now = base();
    const sinceStart = elapsed();
    if (now >= highWater) {
      highWater = now;
      elapsedAtMark = sinceStart;
    } else {
      // Whole milliseconds, like the wall clock; the fraction is carried to the next reading.
      const step = Math.max(0, Math.floor(sinceStart - elapsedAtMark));
      highWater += step;
      elapsedAtMark += step;
      if (!reported && highWater - now > TOLERANCE_MS) {
        reported = true;
        for (const listener of listeners) listener(highWater - now);
      }
    }
    if (highWater - persisted >= PERSIST_EVERY_MS) {
      persisted = highWater;
      store.write(highWater);
    }
    return highWater;
  };
  return { clock, onRollback: (listener) => listeners.push(listener) };
}
