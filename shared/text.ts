/**
 * `text` cut to at most `maxLength` UTF-16 units (what schema `.max()` counts) on a whole code
 * point, without trailing white space. For names built to be found again by equality: half an
 * emoji is stored by SQLite as U+FFFD, and schemas with `.trim()` drop a trailing space on save,
 * so a plain `slice` would build a name that never matches the saved one.
 */
export function clipText(text: string, maxLength: number): string {
  let end = Math.min(text.length, maxLength);
  if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--;
  return text.slice(0, end).trimEnd();
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
