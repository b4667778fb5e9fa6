/** Small helpers every benchmark script shares. */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** True when the module at `moduleUrl` (its import.meta.url) is the script Node was started with. */
export function executedDirectly(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

/** The lower median (0 for no values). */
export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.floor((sorted.length - 1) / 2)]!;
};

/** Nearest-rank percentile of values already sorted ascending, `p` from 0 to 100 (0 for no values). */
export const percentileOfSorted = (sorted: ArrayLike<number>, p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

/** Nearest-rank percentile, `p` from 0 to 100 (0 for no values). */
export const percentile = (values: readonly number[], p: number): number => percentileOfSorted([...values].sort((a, b) => a - b), p);
