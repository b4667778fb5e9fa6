/**
 * The script both hosts run in store pages so that work there (typing, clicking, scrolling)
 * counts as activity for the console's idle lock: someone busy in their stores is not away from
 * the computer. It notes the person's own input (trusted events only) and says so on the
 * console at most every few seconds; the console, rather than a function exposed to the page,
 * so that no global of ours is visible to the platform's scripts. A page that fakes the message
 * only keeps its own person signed in longer.
 */
export const INPUT_MESSAGE = 'shopwarden: input';

const SAY_EVERY_MS = 5000;

export const NOTE_INPUT_SCRIPT = `(() => {
  const debug = console.debug;
  const now = Date.now;
  let said = -Infinity;
  const note = (event) => {
    if (!event.isTrusted) return;
    const t = now();
    if (t - said < ${SAY_EVERY_MS}) return;
    said = t;
    Reflect.apply(debug, console, [${JSON.stringify(INPUT_MESSAGE)}]);
  };
  for (const type of ['keydown', 'pointerdown', 'wheel']) window.addEventListener(type, note, { capture: true, passive: true });
})();`;
