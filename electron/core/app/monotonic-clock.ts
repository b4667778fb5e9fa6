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

/** Small steps back happen (NTP corrections); they are not worth an alarm. */
const TOLERANCE_MS = 2 * 60_000;
const PERSIST_EVERY_MS = 60_000;

/**
 * A wall clock that never goes back, even across launches: a staff member who sets the
 * computer's date back does not revive an expired assignment (F9) or backdate log rows. While
 * the system clock is behind the highest time seen, time stands still at that mark; the first
 * rollback beyond the tolerance is reported so it can be logged for the owner.
 */
export function monotonicClock(base: Clock, store: HighWaterStore): MonotonicClock {
  let highWater = store.read() ?? 0;
  let persisted = highWater;
  let reported = false;
  const listeners: ((behindMs: number) => void)[] = [];
  const clock: Clock = () => {
    const now = base();
    if (now >= highWater) {
      highWater = now;
      if (now - persisted >= PERSIST_EVERY_MS) {
        persisted = now;
        store.write(now);
      }
      return now;
    }
    if (!reported && highWater - now > TOLERANCE_MS) {
      reported = true;
      for (const listener of listeners) listener(highWater - now);
    }
    return highWater;
  };
  return { clock, onRollback: (listener) => listeners.push(listener) };
}
