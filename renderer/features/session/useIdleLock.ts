import { useEffect, useRef, useState } from 'react';

/** The last minute before the lock is announced, so the person can stay signed in. */
export const IDLE_WARNING_MS = 60_000;
const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'focusin'] as const;

/**
 * Locks the console after `minutes` without input in it or in the person's store windows (0 /
 * null: never). `elsewhere` changes whenever the host reports work in a store window. Answers
 * the time left while the warning is due, else null; `stay()` counts as input.
 */
export function useIdleLock(
  minutes: number | null | undefined,
  onLock: () => void,
  now: () => number = Date.now,
  elsewhere = 0,
): { remaining: number | null; stay: () => void } {
  const last = useRef(now());
  const [remaining, setRemaining] = useState<number | null>(null);
  const lockRef = useRef(onLock);
  lockRef.current = onLock;

  useEffect(() => {
    last.current = now();
    setRemaining(null);
  }, [elsewhere, now]);

  useEffect(() => {
    if (!minutes) {
      setRemaining(null);
      return;
    }
    last.current = now();
    const limit = minutes * 60_000;
    const touch = () => {
      last.current = now();
    };
    for (const type of ACTIVITY) window.addEventListener(type, touch, { passive: true, capture: true });
    let locked = false;
    const timer = window.setInterval(() => {
      const left = limit - (now() - last.current);
      if (left <= 0) {
        if (!locked) {
          locked = true;
          lockRef.current();
        }
        return;
      }
      setRemaining(left <= IDLE_WARNING_MS ? left : null);
    }, 1000);
    return () => {
      window.clearInterval(timer);
      for (const type of ACTIVITY) window.removeEventListener(type, touch, { capture: true });
    };
  }, [minutes, now]);

  return {
    remaining,
    stay: () => {
      last.current = now();
      setRemaining(null);
    },
  };
}
