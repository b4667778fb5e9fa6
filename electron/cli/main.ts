import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { exportLogCommand } from './commands/export-log';
import { importBundleCommand } from './commands/import-bundle';
import { verifyLogCommand } from './commands/verify-log';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, say, UsageError, type CliIo, type Command } from './io';

/**
 * `shopwarden <command>`: offline tools over the operation log (no UI, no Electron). Run
 * through bin/shopwarden.mjs, or `node --import tsx electron/cli/main.ts`.
 */
const COMMANDS: readonly Command[] = [verifyLogCommand, exportLogCommand, importBundleCommand];

const USAGE = `Usage: shopwarden <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(16)}${c.summary}`).join('\n')}

Run "shopwarden <command> --help" for the options of one command.
Exit codes: 0 ok, 1 verification failed, 2 usage error.`;

export async function runCli(argv: readonly string[], io: CliIo = { out: process.stdout, err: process.stderr }): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    say(io.err, USAGE);
    return EXIT_USAGE;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    say(io.out, topic?.help ?? USAGE);
    return EXIT_OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    say(io.err, `unknown command "${name}"\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      say(io.err, `shopwarden ${command.name}: ${(error as Error).message}\nRun "shopwarden ${command.name} --help" for usage.`);
      return EXIT_USAGE;
    }
    say(io.err, `shopwarden ${command.name}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_FAILED;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) process.exitCode = await runCli(process.argv.slice(2));
