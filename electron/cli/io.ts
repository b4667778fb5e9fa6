import type { Writable } from 'node:stream';

/** Exit codes of every subcommand. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export interface CliIo {
  out: Writable;
  err: Writable;
}

/** Wrong arguments, a missing file, a file of the wrong kind: exit code 2 with this message. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface Command {
  name: string;
  summary: string;
  /** Full help text, shown by `<command> --help`. */
  help: string;
  run(args: string[], io: CliIo): Promise<number>;
}

export function say(stream: Writable, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}
