// Window geometry as plain arithmetic (no Electron import), so it is unit-tested.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Height in CSS pixels of the console strip at the top of the window while a store tab is shown:
 * the console renders its store tabs, labels (F5) and status there; the store page fills the rest.
 */
export const CONSOLE_STRIP_HEIGHT = 88;

/** Where the active store tab goes inside a window whose content area is `width` × `height`. */
export function storeTabBounds(width: number, height: number, stripHeight = CONSOLE_STRIP_HEIGHT): Rect {
  const w = Math.max(0, Math.floor(width));
  const h = Math.max(0, Math.floor(height));
  const top = Math.min(Math.max(0, Math.floor(stripHeight)), h);
  return { x: 0, y: top, width: w, height: h - top };
}

export const DEFAULT_WINDOW = { width: 1280, height: 860 } as const;
export const MIN_WINDOW = { width: 800, height: 560 } as const;

/**
 * The saved window bounds if enough of them (a 100 × 50 px grab area at the top) is on a display
 * that exists now; otherwise null, and the window opens at the default size, centred. Protects
 * against a monitor that was unplugged since the last run.
 */
export function visibleSavedBounds(saved: Rect | null, workAreas: readonly Rect[]): Rect | null {
  if (!saved) return null;
  const { x, y } = saved;
  const width = Math.max(MIN_WINDOW.width, Math.floor(saved.width));
  const height = Math.max(MIN_WINDOW.height, Math.floor(saved.height));
  if (![x, y, width, height].every(Number.isFinite)) return null;
  const grab: Rect = { x, y, width: Math.min(width, 100), height: Math.min(height, 50) };
  const onScreen = workAreas.some((area) => overlap(area, grab) >= grab.width * grab.height * 0.5);
  return onScreen ? { x: Math.floor(x), y: Math.floor(y), width, height } : null;
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}
