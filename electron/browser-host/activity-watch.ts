// Work in a store window counts for the console's idle lock (core/pages/input-note.ts): the
// script runs in every frame, and its console message is the signal.
import type { BrowserContext } from 'playwright-core';
import { INPUT_MESSAGE, NOTE_INPUT_SCRIPT } from '../core/pages/input-note';

/** From now on, the person's input in any page of `context` calls `onInput` (a few times a minute at most per frame). Call before pages load. */
export async function watchInput(context: BrowserContext, onInput: () => void): Promise<void> {
  context.on('console', (message) => {
    if (message.type() === 'debug' && message.text() === INPUT_MESSAGE) onInput();
  });
  await context.addInitScript({ content: NOTE_INPUT_SCRIPT });
}
