import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { RetentionSettings } from '../../../../shared/ipc/trust';
import type { Handlers } from '../dispatch';
import { ServiceError } from '../errors';
import { actor, cutOffStaff, logChange, trustDeps, type ServiceDeps } from '../deps';
import type { CallContext } from '../context';
import { passwordCheckFailed } from './auth';
import type { Channel } from '../../../../shared/ipc/contract';
import {
  accessReviewCsv,
  accessReviewHtml,
  appliedPolicy,
  applyPolicyBundle,
  applySuggestion,
  buildAccessReview,
  createOwnerKey,
  DEFAULT_KEEP_DAYS,
  enrolledOwnerKey,
  enrollOwnerKey,
  exportLogBundle,
  exportPolicyBundle,
  importLogBundle,
  listCuts,
  listMachines,
  machineIdentity,
  ownerPublicKey,
  queryImported,
  runRetention,
  shortFingerprint,
  unlockOwnerKey,
  type PublicKeyInfo,
  type RetentionResult,
} from '../../trust';
import { LAST_EXPORTED_SETTING, lastExportedId } from '../../trust/log-bundle';
import { wipePendingStoreData } from '../../trust/store-data-wipes';

type TrustChannels =
  | 'review:get'
  | 'review:apply'
  | 'review:export'
  | 'alerts:rules-get'
  | 'alerts:rules-set'
  | 'alerts:list'
  | 'alerts:dismiss'
  | 'retention:get'
  | 'retention:set'
  | 'retention:run'
  | 'retention:archives'
  | 'trust:owner-key'
  | 'trust:enrol'
  | 'policy-bundle:export'
  | 'policy-bundle:apply'
  | 'log-bundle:export'
  | 'log-bundle:import'
  | 'log-bundle:machines'
  | 'log-bundle:query';

const RETENTION_SETTING = 'trust.retention';

/**
 * Retention with the owner's setting (default 180 days): asked for from the console, or run by
 * the app on its daily schedule (`actorId` null). Async, so that a flush that throws rejects
 * (the schedule catches rejections) instead of escaping its timer.
 */
export async function runRetentionNow(deps: ServiceDeps, actorId: string | null): Promise<RetentionResult> {
  deps.flushLog();
  const keepDays = deps.repos.settings.get(RETENTION_SETTING, RetentionSettings)?.keepDays ?? DEFAULT_KEEP_DAYS;
  return deps.logCutGate.cut(() => runRetention(trustDeps(deps), { archiveDir: deps.archivesDir, keepDays, actorId }));
}

const keyInfo = <K extends PublicKeyInfo>(key: K) => ({ ...key, shortFingerprint: shortFingerprint(key.fingerprint) });

/** Issue #5 (F22–F26) as console use-cases over electron/core/trust; every channel is owner-only. */
export function trustHandlers(deps: ServiceDeps): Pick<Handlers, TrustChannels> {
  const { settings } = deps.repos;
  const trust = () => trustDeps(deps);
  const stamp = () => new Date(deps.clock()).toISOString().replace(/[:.]/g, '-');

  /** Writes a file into the exports folder under a temporary name first, so no half file is left. */
  const writeExport = (fileName: string, text: string) => {
    mkdirSync(deps.exportsDir, { recursive: true });
    const path = join(deps.exportsDir, fileName);
    const partial = `${path}.partial`;
    writeFileSync(partial, text, { encoding: 'utf8', mode: 0o600 });
    renameSync(partial, path);
    return { path, fileName };
  };

  const review = (req: { windowDays: number; expiringWithinDays: number }) => {
    deps.flushLog();
    return buildAccessReview(deps.db, deps.repos, { now: deps.clock(), windowDays: req.windowDays, expiringWithinDays: req.expiringWithinDays });
  };

  const keepDays = () => settings.get(RETENTION_SETTING, RetentionSettings)?.keepDays ?? DEFAULT_KEEP_DAYS;

  const policyChanged = () => {
    deps.policy.reload();
    deps.hooks.emit({ type: 'policy-changed' });
  };

  const confirmOwner = async (ctx: CallContext, password: string, channel: Channel) => {
    const result = await deps.auth.confirmPassword(actor(ctx).id, password);
    if (!result.ok) throw passwordCheckFailed(deps, result, { userId: actor(ctx).id, channel });
  };

  return {
    'review:get': (req) => review(req),

    'review:apply': (req, ctx) => {
      const suggestion = review(req)
        .staff.flatMap((s) => s.suggestions)
        .find((s) => s.id === req.suggestionId);
      if (!suggestion) throw new ServiceError('conflict', 'this suggestion no longer applies (the assignment or its use changed); run the review again');
      if (suggestion.kind === 'expiring' && !req.choice) throw new ServiceError('invalid-payload', 'say whether to renew the access (with a new end) or end it', [{ path: 'choice', message: 'required' }]);
      if (req.choice?.action === 'renew' && req.choice.validUntil <= deps.clock()) {
        throw new ServiceError('invalid-payload', 'the new end of access must be in the future', [{ path: 'choice.validUntil', message: 'in the past' }]);
      }
      const applied = applySuggestion(trust(), actor(ctx).id, suggestion, req.choice);
      policyChanged();
      return { suggestionId: applied.suggestionId, change: applied.change, assignmentId: applied.assignment?.id ?? null, roleId: applied.role?.id ?? null };
    },

    'review:export': (req) => {
      const built = review(req);
      const options = { timeZone: req.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone };
      const text = req.format === 'csv' ? accessReviewCsv(built, options) : accessReviewHtml(built, { ...options, title: req.title });
      return writeExport(`shopwarden-access-review-${stamp()}.${req.format}`, text);
    },

    'alerts:rules-get': () => deps.alerts.rules(),
    'alerts:rules-set': (req, ctx) => {
      const before = deps.alerts.rules();
      const after = deps.alerts.setRules(req);
      logChange(deps, ctx, 'alert-rules', 'update', 'alert-rules', before, after);
      return after;
    },
    'alerts:list': (req) => {
      deps.flushLog(); // evaluates what just happened too
      return deps.alerts.list(req.includeDismissed);
    },
    'alerts:dismiss': (req, ctx) => {
      const dismissed = deps.alerts.dismiss(req.ids);
      if (dismissed > 0) logChange(deps, ctx, 'alerts', 'update', 'dismiss', null, { dismissed: req.ids.slice(0, 100), count: dismissed });
      return { dismissed };
    },

    'retention:get': () => ({ keepDays: keepDays() }),
    'retention:set': (req, ctx) => {
      const before = { keepDays: keepDays() };
      settings.set(RETENTION_SETTING, req);
      logChange(deps, ctx, 'settings', 'update', RETENTION_SETTING, before, req);
      return req;
    },
    'retention:run': async (_req, ctx) => {
      const result = await runRetentionNow(deps, actor(ctx).id);
      if (!result.cut) return result;
      const { archiveFile, ...rest } = result;
      return { ...rest, fileName: basename(archiveFile) };
    },
    'retention:archives': () => ({
      folder: deps.archivesDir,
      archives: listCuts({ db: deps.db }).map((cut) => ({ ...cut, present: existsSync(join(deps.archivesDir, cut.archiveName)) })),
    }),

    'trust:owner-key': () => {
      const owner = ownerPublicKey(settings);
      const enrolled = enrolledOwnerKey(settings);
      const applied = appliedPolicy(settings);
      const machine = machineIdentity(settings, deps.clock());
      return {
        ownerKey: owner && keyInfo(owner),
        enrolledOwnerKey: enrolled && { ...keyInfo(enrolled), enrolledAt: enrolled.enrolledAt },
        pinnedOwnerKey: deps.managed.pinnedKey && keyInfo(deps.managed.pinnedKey),
        appliedPolicy: applied && { version: applied.version, appliedAt: applied.appliedAt },
        management: deps.managed.status(),
        machine: { machineId: machine.machineId, name: machine.name, fingerprint: machine.fingerprint, shortFingerprint: shortFingerprint(machine.fingerprint) },
      };
    },
    'trust:enrol': (req, ctx) => {
      const pinned = deps.managed.pinnedFile;
      if (pinned !== null) throw new ServiceError('conflict', `this computer's owner key is pinned by an administrator in ${pinned}; it cannot be enrolled from the console`);
      const before = enrolledOwnerKey(settings);
      const key = enrollOwnerKey(settings, req.publicKeyPem, deps.clock());
      logChange(deps, ctx, 'enrolled-owner-key', before ? 'update' : 'create', 'enrolled-owner-key', before && { fingerprint: before.fingerprint }, { fingerprint: key.fingerprint });
      return keyInfo(key);
    },

    'policy-bundle:export': async (req, ctx) => {
      await confirmOwner(ctx, req.password, 'policy-bundle:export');
      if (!ownerPublicKey(settings)) {
        // First export: the key is created now, sealed with the owner's login password.
        const created = await createOwnerKey(settings, req.password, deps.clock(), { seal: deps.sealParams });
        logChange(deps, ctx, 'owner-key', 'create', 'owner-key', null, { fingerprint: created.fingerprint });
      }
      const key = await unlockOwnerKey(settings, req.password);
      const exported = exportPolicyBundle(trust(), key, actor(ctx).id);
      const file = writeExport(`shopwarden-policy-v${exported.version}-${stamp()}.json`, exported.text);
      return { ...file, version: exported.version, counts: exported.counts };
    },

    'policy-bundle:apply': async (req, ctx) => {
      const result = applyPolicyBundle(trust(), req.text, actor(ctx).id, deps.managed.trustedKey());
      if (!result.ok) return result;
      // Lost access closes tabs (the holder tells the host); removed people and stores go for good.
      deps.policy.reload('revoked');
      for (const staffId of [...result.removedStaffIds, ...result.disabledStaffIds]) await cutOffStaff(deps, staffId, 'disabled');
      // The bundle is applied whatever a wipe does: one that fails is logged and tried again
      // at the next start and apply, with any left from before (trust/store-data-wipes.ts).
      await wipePendingStoreData(deps);
      deps.hooks.emit({ type: 'policy-changed' });
      return result;
    },

    'log-bundle:export': (req, ctx) => {
      deps.flushLog(); // the bundle reaches the newest row
      const previous = lastExportedId(settings);
      const exported = exportLogBundle(trust(), { machineName: req.machineName });
      const safeName = exported.machineId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40);
      let file: { path: string; fileName: string };
      try {
        file = writeExport(`shopwarden-log-${safeName}-${exported.fromId}-${exported.throughId}.json`, exported.text);
      } catch (error) {
        // Not written: the next export starts where this one did.
        if (previous === undefined) settings.delete(LAST_EXPORTED_SETTING);
        else settings.set(LAST_EXPORTED_SETTING, previous);
        throw error;
      }
      logChange(deps, ctx, 'log-bundle', 'create', `${exported.fromId}-${exported.throughId}`, null, { rows: exported.rows, fingerprint: exported.fingerprint });
      return { ...file, rows: exported.rows, fromId: exported.fromId, throughId: exported.throughId, more: exported.more, fingerprint: exported.fingerprint };
    },
    'log-bundle:import': (req, ctx) => importLogBundle(trust(), req.text, { actorId: actor(ctx).id }),
    'log-bundle:machines': () => listMachines(deps.db),
    'log-bundle:query': (req) => queryImported(deps.db, { machineId: req.machineId }, { after: req.after, limit: req.limit }),
  };
}
