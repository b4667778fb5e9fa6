import { parseArgs } from 'node:util';
import { readChainStart, verifyAuditChain } from '../../core/audit/verify';
import { verifyArchive } from '../../core/trust/archive';
import { shortFingerprint } from '../../core/trust/keys';
import { checkLogBundle } from '../../core/trust/log-bundle-import';
import { bundleFormat, fileKind, openReadOnly, readText } from '../files';
import { EXIT_FAILED, EXIT_OK, say, UsageError, type Command } from '../io';

export const verifyLogCommand: Command = {
  name: 'verify-log',
  summary: 'check the hash chain of a database, a retention archive or a log bundle',
  help: `Usage: shopwarden verify-log <file> [--json]

Checks the hash chain of the operation log in <file>, which may be
  - a ShopWarden database (shopwarden.db): every row from the genesis, or from the
    retention anchor, re-hashed and linked, and the anchored head; opened read-only;
  - a retention archive (*.jsonl.gz): every row re-hashed and linked, header checked;
  - a log bundle from a staff machine (*.json): signature with the key it names, and the
    chain inside. Compare the printed fingerprint with the one that machine shows.

Options:
  --json      print the verdict as one JSON object
  -h, --help  show this help

Exit codes: 0 intact, 1 verification failed, 2 usage error (bad arguments, unreadable file).`,
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
    if (values.help) return (say(io.out, this.help), EXIT_OK);
    if (positionals.length !== 1) throw new UsageError('verify-log takes exactly one file');
    const file = positionals[0]!;
    const verdict = await verify(file);
    if (values.json) say(io.out, JSON.stringify(verdict));
    else say(verdict.ok ? io.out : io.err, verdict.text);
    return verdict.ok ? EXIT_OK : EXIT_FAILED;
  },
};

interface Verdict {
  ok: boolean;
  kind: 'database' | 'archive' | 'log-bundle';
  text: string;
  [key: string]: unknown;
}

async function verify(file: string): Promise<Verdict> {
  const kind = fileKind(file);
  if (kind === 'sqlite') {
    const db = openReadOnly(file);
    try {
      const start = readChainStart(db);
      const verdict = verifyAuditChain(db);
      const anchor = start ? ` (rows 1–${start.throughId} archived by retention; the chain continues from ${start.throughHash.slice(0, 16)}…)` : '';
      if (verdict.intact) return { ok: true, kind: 'database', text: `intact: ${verdict.rows} rows, head ${verdict.head}${anchor}`, ...verdict };
      return { ok: false, kind: 'database', text: `BROKEN at row ${verdict.firstBadId}: ${verdict.problem}`, ...verdict };
    } finally {
      db.close();
    }
  }
  if (kind === 'gzip') {
    const verdict = await verifyArchive(file);
    if (verdict.ok) return { kind: 'archive', text: `intact archive: rows ${verdict.fromId}–${verdict.throughId} (${verdict.rows}), continues from ${verdict.prevHash.slice(0, 16)}…, head ${verdict.headHash}`, ...verdict };
    return { kind: 'archive', text: `BROKEN archive (${verdict.code}): ${verdict.reason}`, ...verdict };
  }
  const text = readText(file);
  const format = bundleFormat(text);
  if (format?.startsWith('shopwarden-policy-bundle')) {
    throw new UsageError(`${file} is a policy bundle: a staff machine checks it against its enrolled owner key when applying it`);
  }
  const checked = checkLogBundle(text);
  if (!checked.ok) return { kind: 'log-bundle', text: `REJECTED log bundle (${checked.code}): ${checked.reason}`, ...checked };
  const { bundle } = checked;
  return {
    ok: true,
    kind: 'log-bundle',
    text: `intact log bundle from "${bundle.machine.name}" (machine ${bundle.machine.id}, key ${shortFingerprint(bundle.machine.fingerprint)}): rows ${bundle.fromId}–${bundle.throughId}, head ${bundle.headHash}`,
    machineId: bundle.machine.id,
    fingerprint: bundle.machine.fingerprint,
    fromId: bundle.fromId,
    throughId: bundle.throughId,
    headHash: bundle.headHash,
  };
}
