import { parseArgs } from 'node:util';
import { openDatabase } from '../../core/db/open';
import { systemClock } from '../../core/db/clock';
import { importLogBundle } from '../../core/trust/log-bundle-import';
import { bundleFormat, readText, requireShopWardenDatabase } from '../files';
import { EXIT_FAILED, EXIT_OK, say, UsageError, type Command } from '../io';

export const importBundleCommand: Command = {
  name: 'import-bundle',
  summary: "import a staff machine's log bundle into the owner's database",
  help: `Usage: shopwarden import-bundle <db> <bundle> [--require-enrolled]

Verifies the log bundle (signature, chain, continuity with earlier imports from the same
machine) and stores its new rows in <db>, tagged with the machine, for the log viewer.
Nothing is imported when any check fails. A machine seen for the first time is trusted on
first use and its key fingerprint printed: compare it with the one that machine shows.
The import itself is not written to the operation log (only the app's own writer may
append to it); importing from the app logs it.

Options:
  --require-enrolled  refuse bundles from machines not enrolled or imported before
  -h, --help          show this help

Exit codes: 0 imported, 1 rejected (the reason is printed), 2 usage error.`,
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'require-enrolled': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
    if (values.help) return (say(io.out, this.help), EXIT_OK);
    if (positionals.length !== 2) throw new UsageError('import-bundle takes a database and a bundle');
    const [dbFile, bundleFile] = positionals as [string, string];
    requireShopWardenDatabase(dbFile);
    const text = readText(bundleFile);
    if (bundleFormat(text)?.startsWith('shopwarden-policy-bundle')) throw new UsageError(`${bundleFile} is a policy bundle: apply it in the app on the staff machine`);
    let db;
    try {
      db = openDatabase(dbFile);
    } catch (error) {
      throw new UsageError(`${dbFile}: ${(error as Error).message}`);
    }
    try {
      const result = importLogBundle({ db, clock: systemClock }, text, { trustNewMachine: !values['require-enrolled'] });
      if (!result.ok) {
        say(io.err, `rejected (${result.code}): ${result.reason}`);
        return EXIT_FAILED;
      }
      say(io.out, result.message);
      return EXIT_OK;
    } finally {
      db.close();
    }
  },
};
