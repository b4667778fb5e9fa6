import type { Database } from 'better-sqlite3';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { TimeZone } from '../../../shared/model/common';
import { ExportFormatter, exportHeader, namesFrom } from '../../core/audit/export';
import { exportTime } from '../../core/audit/export-time';
import { STORED_ROW_SELECT, type StoredRowValues } from '../../core/audit/row';
import { openOutput, openReadOnly, type OutputFile } from '../files';
import { EXIT_OK, say, UsageError, type Command } from '../io';

export const exportLogCommand: Command = {
  name: 'export-log',
  summary: 'write the operation log of a database as CSV or JSON lines',
  help: `Usage: shopwarden export-log <db> [--format csv|jsonl] [--since <id>] [--time-zone <zone>] [--out <file>]

Writes the rows of the operation log in <db> (opened read-only), oldest first, with their
hashes. CSV names staff and stores by their names; JSON lines keep the ids.

Options:
  --format csv|jsonl  output format (default jsonl)
  --since <id>        only rows with an id greater than <id> (default 0: all)
  --time-zone <zone>  CSV times in this IANA zone with its offset, e.g. Asia/Shanghai
                      (default UTC)
  --out <file>        write to <file> instead of standard output
  -h, --help          show this help

Exit codes: 0 ok, 2 usage error.`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { format: { type: 'string', default: 'jsonl' }, since: { type: 'string', default: '0' }, 'time-zone': { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) return (say(io.out, this.help), EXIT_OK);
    if (positionals.length !== 1) throw new UsageError('export-log takes exactly one database');
    const format = values.format;
    if (format !== 'csv' && format !== 'jsonl') throw new UsageError(`--format must be csv or jsonl, not "${format}"`);
    if (!/^\d{1,15}$/.test(values.since)) throw new UsageError(`--since must be a row id (a whole number), not "${values.since}"`);
    const since = Number(values.since);
    const timeZone = values['time-zone'];
    if (timeZone !== undefined && !TimeZone.safeParse(timeZone).success) throw new UsageError(`--time-zone must be an IANA time zone such as Asia/Shanghai, not "${timeZone}"`);
    const dbFile = positionals[0]!;
    const db = openReadOnly(dbFile);
    let output: OutputFile | null = null;
    let rows = 0;
    try {
      output = values.out === undefined ? null : openOutput(values.out, [dbFile]);
      const out: Writable = output?.stream ?? io.out;
      const formatter = new ExportFormatter(nameLookup(db), exportTime(timeZone));
      const write = async (text: string) => {
        if (!out.write(text)) await once(out, 'drain');
      };
      const header = exportHeader(format);
      if (header !== '') await write(header);
      // One page at a time: no statement stays open across the awaits.
      const page = db.prepare(`SELECT ${STORED_ROW_SELECT} FROM audit_log WHERE id > ? ORDER BY id LIMIT 5000`).raw(true);
      let after = since;
      for (;;) {
        const batch = page.all(after) as StoredRowValues[];
        if (batch.length === 0) break;
        await write(batch.map((row) => formatter.line(format, row)).join(''));
        rows += batch.length;
        after = batch[batch.length - 1]![0];
      }
      await output?.commit();
    } catch (error) {
      output?.abort();
      throw error;
    } finally {
      db.close();
    }
    if (values.out !== undefined) say(io.err, `exported ${rows} rows to ${values.out}`);
    return EXIT_OK;
  },
};

function nameLookup(db: Database): (id: string | null) => string | null {
  const names = new Map<string, string>();
  const has = (table: string) => db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table) !== undefined;
  if (has('users')) for (const r of db.prepare('SELECT id, username AS name FROM users').all() as Array<{ id: string; name: string }>) names.set(r.id, r.name);
  if (has('stores')) for (const r of db.prepare('SELECT id, name FROM stores').all() as Array<{ id: string; name: string }>) names.set(r.id, r.name);
  return namesFrom(names);
}
