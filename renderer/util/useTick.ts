import { useEffect, useState } from 'react';

/** Re-renders every `ms` milliseconds (relative times, expiries that pass on screen). */
export function useTick(ms: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = window.setInterval(() => setTick((n) => n + 1), ms);
    return () => window.clearInterval(timer);
  }, [ms]);
  return tick;
}
