import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CHAIN_FORMAT } from '../audit/canonical';
import { readAuditHead } from '../audit/head';
import { AUDIT_GENESIS_HASH } from '../audit/schema';
import { readChainStart, verifyAuditChainAsync } from '../audit/verify';
import { ARCHIVE_FORMAT, verifyArchive, writeArchive } from './archive';
import { changeEvent, type TrustDeps } from './deps';
import { TrustError } from './errors';
import { lastExportedId } from './log-bundle';

/**
 * Retention (F22): keep `keepDays` of log (default 180). The rows to drop are a prefix of the
 * chain — every row up to the last one older than the cutoff that precedes the first newer
 * row — so the remaining log is still one unbroken chain. Before anything is deleted:
 * 1. the whole log must verify (a broken log is evidence; we never cut it);
 * 2. the rows go to a gzip JSONL archive (archive.ts), which is re-verified from disk;
 * 3. in one IMMEDIATE transaction: an audit_cut row records the last removed row's id and hash
 *    (the anchor the next row continues from, which verifyAuditChain starts at), then the rows
 *    are deleted (the audit_log trigger allows deleting only rows at or below that anchor).
 * The newest row is always kept, so the writer's head (audit_head) stays a row in the table.
 * On a machine that exports log bundles (F26), rows not exported yet are kept too, however old
 * (heldForExport).
 */
export const DEFAULT_KEEP_DAYS = 180;
const DAY_MS = 86_400_000;

export interface RetentionOptions {
  /** Where archives are written (created if missing). */
  archiveDir: string;
  keepDays?: number;
  /** Who asked (the owner) for the log row; null for a scheduled run. */
  actorId?: string | null;
}

export interface RowRange {
  fromId: number;
  throughId: number;
}

export type RetentionResult =
  | { cut: false; reason: string }
  | {
      cut: true;
      fromId: number;
      throughId: number;
      rows: number;
      headHash: string;
      cutoffTs: number;
      archiveFile: string;
      archiveSha256: string;
      /** Rows old enough to go but kept because no log bundle holds them yet; null when none. */
      keptUnexported: RowRange | null;
    };

export async function runRetention(deps: TrustDeps, options: RetentionOptions): Promise<RetentionResult> {
  const keepDays = options.keepDays ?? DEFAULT_KEEP_DAYS;
  if (!Number.isInteger(keepDays) || keepDays < 1 || keepDays > 36_500) throw new TrustError('invalid-input', `keepDays must be a whole number from 1 to 36500, got ${keepDays}`);
  const { db } = deps;
  const now = deps.clock();
  const cutoffTs = now - keepDays * DAY_MS;
  const start = readChainStart(db);
  const fromId = (start?.throughId ?? 0) + 1;
  const prevHash = start?.throughHash ?? AUDIT_GENESIS_HASH;
  const head = readAuditHead(db);
  if (!head || head.lastId < fromId) return { cut: false, reason: 'the log is empty' };

  const firstKept = db.prepare('SELECT min(id) AS id FROM audit_log WHERE id >= ? AND ts >= ?').get(fromId, cutoffTs) as { id: number | null };
  const dueId = Math.min((firstKept.id ?? head.lastId + 1) - 1, head.lastId - 1);
  if (dueId < fromId) return { cut: false, reason: `no rows older than ${keepDays} days` };
  const { throughId, keptUnexported } = heldForExport(deps, dueId);
  if (throughId < fromId) {
    return { cut: false, reason: `rows ${fromId}–${dueId} are older than ${keepDays} days but are kept: they are not in a log bundle yet (export one, then run retention again)` };
  }

  // In slices, so the app's event loop (and its writer) keeps running on a large log.
  const verdict = await verifyAuditChainAsync(db);
  if (!verdict.intact) throw new TrustError('chain-broken', `the log does not verify (row ${verdict.firstBadId}: ${verdict.problem}); retention refuses to delete evidence`);
  const last = db.prepare('SELECT hash FROM audit_log WHERE id = ?').get(throughId) as { hash: string };

  mkdirSync(options.archiveDir, { recursive: true });
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  const archiveName = `shopwarden-audit-${fromId}-${throughId}-${stamp}.jsonl.gz`;
  const archiveFile = join(options.archiveDir, archiveName);
  const rows = throughId - fromId + 1;
  const header = { format: ARCHIVE_FORMAT, chainFormat: CHAIN_FORMAT, createdAt: now, cutoffTs, fromId, throughId, rows, prevHash, headHash: last.hash };
  const archiveSha256 = await writeArchive(db, archiveFile, header);
  const check = await verifyArchive(archiveFile, { throughId, headHash: last.hash, prevHash });
  if (!check.ok) throw new TrustError('chain-broken', `the archive just written does not verify (${check.reason}); nothing was deleted`);

  // The log's own record of the cut; verify believes a cut only when this row agrees with it.
  const record = changeEvent(now, options.actorId ?? null, {
    entity: 'audit-log',
    action: 'delete',
    id: `${fromId}-${throughId}`,
    before: { fromId, throughId, rows },
    after: null,
    source: 'retention',
    extra: { keepDays, cutoffTs, archive: archiveName, archiveSha256, headHash: last.hash, ...(keptUnexported && { keptUnexported }) },
  });
  const cut = db.transaction((): (() => void) | null => {
    const now2 = readChainStart(db);
    if ((now2?.throughId ?? 0) !== fromId - 1) throw new TrustError('conflict', 'another retention run cut the log meanwhile; nothing was deleted');
    const still = db.prepare('SELECT hash FROM audit_log WHERE id = ?').get(throughId) as { hash: string } | undefined;
    if (still?.hash !== last.hash) throw new TrustError('conflict', `row ${throughId} changed while it was archived; nothing was deleted`);
    db.prepare('INSERT INTO audit_cut (through_id, through_hash, cutoff_ts, cut_at, rows_removed, archive_name, archive_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      throughId,
      last.hash,
      cutoffTs,
      now,
      rows,
      archiveName,
      archiveSha256,
    );
    const removed = db.prepare('DELETE FROM audit_log WHERE id >= ? AND id <= ?').run(fromId, throughId).changes;
    if (removed !== rows) throw new TrustError('conflict', `expected to remove ${rows} rows, found ${removed}; nothing was deleted`);
    // In the same transaction: a crash can never leave a cut without its record.
    return deps.logInTransaction?.(record) ?? null;
  });
  let recorded: (() => void) | null;
  try {
    recorded = cut.immediate();
  } catch (error) {
    await rm(archiveFile, { force: true });
    throw error;
  }
  if (recorded) recorded();
  else deps.log?.(record);
  return { cut: true, fromId, throughId, rows, headHash: last.hash, cutoffTs, archiveFile, archiveSha256, keptUnexported };
}

/**
 * Where a cut due through `dueId` may end. A machine that has exported a log bundle ships its
 * log to the owner, whose import needs every row in order: a row cut before it is exported
 * would leave a gap no later bundle could close. So such a machine cuts no further than its
 * last exported row. A machine that never exported is not held back (its log would otherwise
 * grow forever); if it exports later, its first bundle starts after the cut and the owner's
 * import accepts that, saying the earlier rows are missing.
 */
function heldForExport(deps: TrustDeps, dueId: number): { throughId: number; keptUnexported: RowRange | null } {
  const exported = lastExportedId(deps.repos.settings);
  if (exported === undefined || exported >= dueId) return { throughId: dueId, keptUnexported: null };
  return { throughId: exported, keptUnexported: { fromId: exported + 1, throughId: dueId } };
}

export interface CutRecord {
  throughId: number;
  throughHash: string;
  cutoffTs: number;
  cutAt: number;
  rowsRemoved: number;
  archiveName: string;
  archiveSha256: string;
}

/** Every retention cut, oldest first (to list archives and check each against its record). */
export function listCuts(deps: Pick<TrustDeps, 'db'>): CutRecord[] {
  return deps.db
    .prepare(
      `SELECT through_id AS throughId, through_hash AS throughHash, cutoff_ts AS cutoffTs, cut_at AS cutAt, rows_removed AS rowsRemoved,
              archive_name AS archiveName, archive_sha256 AS archiveSha256 FROM audit_cut ORDER BY through_id`,
    )
    .all() as CutRecord[];
}
