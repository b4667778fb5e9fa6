import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { z } from 'zod';
import { BUILTIN_PLATFORMS } from '../../../shared/catalog';
import type { StepUpRequest } from '../../../shared/ipc/contract';
import { STORE_ACTIVITY_EVERY_MS } from '../../../shared/ipc/events';
import type { IpcResult } from '../../../shared/ipc/result';
import type { AuditEventInput } from '../../../shared/model/audit';
import type { Decision, GuardRequest } from '../../../shared/model/decision';
import type { SensitiveSwitches } from '../../../shared/model/role';
import type { Store } from '../../../shared/model/store';
import { subjectOf } from '../../../shared/policy/compile';
import { decide } from '../../../shared/policy/decide';
import { AuditReader, AuditWriter, verifyAuditChain, type AuditWriterOptions } from '../audit';
import { Auth, type ScryptParams } from '../auth';
import { newId as defaultNewId, openDatabase, openReadConnection, systemClock, type Clock } from '../db';
import { createRepositories, type Repositories } from '../repos';
import { dispatch, type Handlers } from '../service/dispatch';
import type { ConsoleSession } from '../service/context';
import { cutOffStaff, endTurn, trustDeps, type ServiceDeps } from '../service/deps';
import { createHandlers } from '../service/handlers';
import type { AppCoreApi, HostBlockRecord } from './api';
import { Id as ID } from '../../../shared/model/common';
import { ConsoleSessions } from './console-sessions';
import { guardLogEvent } from './guard-log';
import type { HostHooks, StoreClosedReason } from './host';
import { PolicyHolder, type LostAccess } from './policy-holder';
import { seedRoleTemplates } from './seed';
import { StepUpDesk } from './step-up-desk';
import { monotonicClock, type Elapsed } from './monotonic-clock';
import type { SecretBox } from '../secrets/secret-box';
import { runRetentionNow } from '../service/handlers/trust';
import { LogCutGate } from './log-cut-gate';
import { AlertWatch } from './alert-watch';
import { applySuspension, type SuspendAction } from '../trust';
import { ManagedPolicy } from '../trust/managed-policy';
import { defaultOwnerKeyFile, readPinnedOwnerKey } from '../trust/pinned-owner-key';
import type { PolicyReplacement } from '../trust/policy-payload';
import { wipePendingStoreData } from '../trust/store-data-wipes';

export interface AppCoreOptions {
  dataDir: string;
  hooks: HostHooks;
  /** The wall clock (default: the system's); the core never lets it run backwards (see monotonic-clock.ts). */
  clock?: Clock;
  /**
   * Time nobody can set, which carries the clock on while the system clock is behind. Default:
   * performance.now with the system clock; with an injected clock none (time stands still).
   */
  elapsed?: Elapsed;
  newId?: () => string;
  /** Tests lower the password hashing cost. */
  scrypt?: ScryptParams;
  audit?: AuditWriterOptions;
  /** Bugs inside use-cases (answered to the console as "internal error"). Default: console.error. */
  onInternalError?: (error: unknown) => void;
  /** Seals secrets at rest with the host's OS keychain (Electron's safeStorage); default: none. */
  secretBox?: SecretBox | null;
  /** When the log's retention runs on its own (F22); default: a minute after start, then daily. */
  retention?: RetentionSchedule;
  /**
   * The administrator-only file that pins the owner's public key on a managed staff machine
   * (trust/pinned-owner-key.ts); default: the system's place for it. null: none (tests).
   */
  ownerKeyFile?: string | null;
}

export interface RetentionSchedule {
  firstAfterMs: number;
  everyMs: number;
}

const DAILY_RETENTION: RetentionSchedule = { firstAfterMs: 60_000, everyMs: 86_400_000 };

export const DATABASE_FILE = 'shopwarden.db';

/** Appends a row the app itself writes; a refused row is an internal error, never thrown into a use-case. */
function appendOrReport(writer: AuditWriter, onInternalError: (error: unknown) => void, event: AuditEventInput): void {
  try {
    writer.append(event);
  } catch (error) {
    onInternalError(error);
  }
}
const CLOCK_HIGH_WATER_KEY = 'clock.high-water';
const NO_SWITCHES: SensitiveSwitches = { downloads: false, uploads: false, devtools: false, printing: false };
const ALL_SWITCHES: SensitiveSwitches = { downloads: true, uploads: true, devtools: true, printing: true };

/**
 * The application: database, accounts, policy, log and use-cases, with no idea which host
 * (Electron or the system browser) carries it. Hosts call it through AppCoreApi only.
 */
export class AppCore implements AppCoreApi {
  private readonly sessions = new ConsoleSessions();
  private readonly handlers: Handlers;
  private readonly deps: ServiceDeps;
  private retentionTimer: NodeJS.Timeout | null = null;
  private retentionRun: Promise<unknown> | null = null;
  private readonly alerts: AlertWatch;
  private closed = false;
  /** A console has called, so the host's parts exist and its hooks work (see wipeRemovedStoreData). */
  private hostUp = false;
  private wiping: Promise<unknown> = Promise.resolve();
  /** When each user's store activity was last passed on to their consoles. */
  private readonly storeActivityAt = new Map<string, number>();

  private constructor(
    readonly dataDir: string,
    private readonly db: Database.Database,
    private readonly readDb: Database.Database,
    private readonly repos: Repositories,
    private readonly writer: AuditWriter,
    private readonly policy: PolicyHolder,
    private readonly managed: ManagedPolicy,
    private readonly stepUps: StepUpDesk,
    private readonly hooks: HostHooks,
    private readonly clock: Clock,
    private readonly onInternalError: (error: unknown) => void,
    auth: Auth,
    sealParams: ScryptParams | undefined,
  ) {
    const file = join(dataDir, DATABASE_FILE);
    this.alerts = new AlertWatch({
      db,
      repos,
      suspend: (action) => this.suspend(action),
      raised: (alert) => {
        // To the owner's consoles only (a staff console never learns it was flagged).
        for (const ownerId of this.policy.policy.owners) this.hooks.emit({ type: 'alert-raised', alert }, ownerId);
      },
      onError: onInternalError,
    });
    const deps: ServiceDeps = {
      repos,
      auth,
      log: (event) => this.log(event),
      logInTransaction: (event) => writer.appendInTransaction(event),
      reader: new AuditReader(readDb),
      flushLog: () => writer.flush(),
      databaseFile: file,
      openReader: () => {
        const connection = openReadConnection(file);
        return { reader: new AuditReader(connection), close: () => connection.close() };
      },
      verifyLog: () => {
        writer.flush();
        return verifyAuditChain(readDb);
      },
      policy,
      hooks,
      clock,
      platforms: () => BUILTIN_PLATFORMS,
      sessions: this.sessions,
      stepUps,
      exportsDir: join(dataDir, 'exports'),
      db,
      archivesDir: join(dataDir, 'archives'),
      logCutGate: new LogCutGate(),
      alerts: this.alerts,
      managed,
      sealParams,
    };
    this.deps = deps;
    this.handlers = createHandlers(deps);
  }

  static async open(options: AppCoreOptions): Promise<AppCore> {
    const newId = options.newId ?? defaultNewId;
    const file = join(options.dataDir, DATABASE_FILE);
    const db = openDatabase(file);
    const readDb = openReadConnection(file);
    // The repositories stamp rows with the same never-backwards clock that decides expiry.
    let clock: Clock = options.clock ?? systemClock;
    const repos = createRepositories(db, { clock: () => clock(), newId, secretBox: options.secretBox ?? null });
    // Secrets saved before the host had a keychain are sealed now rather than on their next edit.
    repos.stores.sealPlainSecrets();
    const monotonic = monotonicClock(
      options.clock ?? systemClock,
      {
        read: () => repos.settings.get(CLOCK_HIGH_WATER_KEY, z.number()) ?? null,
        write: (ms) => repos.settings.set(CLOCK_HIGH_WATER_KEY, ms),
      },
      options.elapsed ?? (options.clock ? () => 0 : undefined),
    );
    clock = monotonic.clock;
    let rolledBackMs: number | null = null;
    monotonic.onRollback((behindMs) => (rolledBackMs = behindMs));
    clock(); // compares the system clock with the last launch's at once
    seedRoleTemplates(db, repos);
    const onInternalError = options.onInternalError ?? ((error: unknown) => console.error('[shopwarden] internal error:', error));
    let core: AppCore | null = null;
    // Every committed batch goes past the alert rules (F24), synchronously: what the owner
    // reads after a flush includes its alerts.
    const writer = new AuditWriter(db, { ...options.audit, onCommit: () => core?.alerts.poll() });
    const auth = new Auth({ users: repos.users, clock, scrypt: options.scrypt, isSuspended: (userId) => repos.suspensions.has(userId) });
    const log = (event: AuditEventInput) => appendOrReport(writer, onInternalError, event);
    const managed = new ManagedPolicy({ db, repos, clock, log }, readPinnedOwnerKey(options.ownerKeyFile === undefined ? defaultOwnerKeyFile() : options.ownerKeyFile));
    // A managed machine's tables put back from its signed policy before a build: what that
    // removed goes as after a bundle (the first build runs before the core exists).
    const beforeStart: { restored: PolicyReplacement | null } = { restored: null };
    const staffAccess = () => {
      const held = managed.hold();
      if (held.restored) {
        if (core) core.afterRestore(held.restored);
        else beforeStart.restored = held.restored;
      }
      return held.staffAccess;
    };
    const policy = new PolicyHolder(repos, () => BUILTIN_PLATFORMS, clock, {
      onLost: (lost) => core?.accessLost(lost),
      staffAccess,
      onBoundary: () => options.hooks.emit({ type: 'policy-changed' }),
      onRebuilt: () => options.hooks.policyChanged(),
    });
    core = new AppCore(options.dataDir, db, readDb, repos, writer, policy, managed, new StepUpDesk(clock, newId), options.hooks, clock, onInternalError, auth, options.scrypt);
    const opened = core;
    if (beforeStart.restored) opened.afterRestore(beforeStart.restored);
    const logRollback = (behindMs: number) => opened.log({ ts: clock(), kind: 'policy-error', reason: 'clock-rolled-back', detail: { behindMs } });
    if (rolledBackMs !== null) logRollback(rolledBackMs);
    monotonic.onRollback(logRollback);
    core.scheduleRetention(options.retention ?? DAILY_RETENTION);
    return core;
  }

  newSession(): ConsoleSession {
    return this.sessions.create();
  }

  /**
   * The host no longer shows this console (window closed, page reloaded or gone): whoever was
   * signed in there is signed out, and their stores close unless they are signed in elsewhere.
   */
  async endSession(session: ConsoleSession): Promise<void> {
    this.sessions.forget(session);
    const user = session.user;
    if (!user) return;
    session.user = null;
    session.signedInAt = null;
    await endTurn(this.deps, user.id, 'console-closed');
  }

  invoke(session: ConsoleSession, channel: unknown, payload: unknown): Promise<IpcResult<unknown>> {
    if (this.closed) return Promise.resolve({ ok: false, error: { code: 'internal', message: 'the app is shutting down', issues: [] } });
    if (!this.hostUp) {
      this.hostUp = true;
      this.wipeRemovedStoreData(); // the retry at start of wipes that failed or never ran
    }
    return dispatch(this.handlers, channel, payload, { session, reportInternalError: this.onInternalError, policyManaged: () => this.managed.isManaged() });
  }

  /**
   * What the guard would decide now, unlogged: for a host deciding again what is already open
   * (HostHooks.policyChanged) — a page on screen is not a new request. Whatever it then ends
   * goes through guard() and is logged there.
   */
  peek(request: GuardRequest): Decision {
    return decide(request, this.policy.policy, this.clock());
  }

  guard(request: GuardRequest): Decision {
    const now = this.clock();
    const decision = decide(request, this.policy.policy, now);
    try {
      const event = guardLogEvent(request, decision, now);
      if (event) this.writer.append(event);
      return decision;
    } catch (error) {
      // Nothing passes unlogged: if the log refuses the row, the request is blocked (F16).
      this.onInternalError(error);
      return { ...decision, allowed: false, reason: 'error' };
    }
  }

  recordHostBlock(block: HostBlockRecord): void {
    this.log({
      ts: this.clock(),
      kind: 'block',
      actorId: ID.safeParse(block.userId).success ? block.userId : null,
      storeId: ID.safeParse(block.storeId).success ? block.storeId : null,
      url: String(block.url).slice(0, 8192),
      decision: 'blocked',
      reason: `host-${String(block.what).slice(0, 40)}`,
    });
  }

  storeActivity(userId: string): void {
    const now = this.clock();
    const last = this.storeActivityAt.get(userId);
    if (last !== undefined && now - last < STORE_ACTIVITY_EVERY_MS && now >= last) return;
    this.storeActivityAt.set(userId, now);
    this.hooks.emit({ type: 'store-activity' }, userId);
  }

  storeClosed(storeId: string, userId: string, reason: StoreClosedReason): void {
    const known = (id: string) => (ID.safeParse(id).success ? id : null);
    this.log({ ts: this.clock(), kind: 'store-close', actorId: known(userId), storeId: known(storeId), reason });
    this.hooks.emit({ type: 'store-closed', storeId, reason }, userId);
  }

  reportStepUp(input: Pick<StepUpRequest, 'storeId' | 'userId' | 'url' | 'filter'>): StepUpRequest {
    const { request, isNew } = this.stepUps.request(input);
    if (isNew) {
      this.log({ ts: request.at, kind: 'step-up-request', actorId: request.userId, storeId: request.storeId, url: request.url, ruleId: request.filter.slice(0, 200), decision: 'blocked', reason: 'step-up-required' });
      this.hooks.emit({ type: 'step-up-needed', request }, request.userId);
    }
    return request;
  }

  storeForSession(storeId: string): Store | null {
    return this.repos.stores.getWithSecrets(storeId);
  }

  switchesFor(storeId: string, userId: string): SensitiveSwitches {
    const policy = this.policy.policy;
    if (policy.owners.has(userId)) return ALL_SWITCHES;
    return subjectOf(policy, storeId, userId)?.profile?.switches ?? NO_SWITCHES;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.retentionTimer) clearTimeout(this.retentionTimer);
    await this.retentionRun;
    await this.wiping;
    this.policy.dispose();
    try {
      this.writer.close();
      this.alerts.save();
    } finally {
      this.readDb.close();
      this.db.close();
    }
  }

  /**
   * Keeps the log to the owner's retention setting without anyone having to remember (F22): the
   * same archive-then-cut as the console's "run now", logged with no actor. A run that cannot cut
   * (a broken chain is never cut) is reported and tried again next time.
   */
  private scheduleRetention({ firstAfterMs, everyMs }: RetentionSchedule): void {
    const run = () => {
      if (this.closed) return;
      this.retentionRun = runRetentionNow(this.deps, null)
        .catch((error: unknown) => this.onInternalError(error))
        .finally(() => {
          this.retentionRun = null;
          if (this.closed) return;
          this.retentionTimer = setTimeout(run, everyMs);
          this.retentionTimer.unref();
        });
    };
    this.retentionTimer = setTimeout(run, firstAfterMs);
    this.retentionTimer.unref();
  }

  private log(event: AuditEventInput): void {
    appendOrReport(this.writer, this.onInternalError, event);
  }

  /**
   * An alert rule with automatic suspension fired (F24): the person is suspended on this
   * computer and that is logged by the trust core, then everything disabling does in the
   * console happens (tabs close at once, signed out everywhere, lists refresh).
   */
  private suspend(action: SuspendAction): boolean {
    const result = applySuspension(trustDeps(this.deps), action);
    if (!result.suspended) return false;
    this.policy.reload('disabled');
    cutOffStaff(this.deps, result.userId, 'disabled').catch(this.onInternalError);
    this.hooks.emit({ type: 'policy-changed' });
    return true;
  }

  /** A managed machine's tables were put back from its signed policy: people and stores it does not have go for good. */
  private afterRestore(restored: PolicyReplacement): void {
    for (const staffId of [...restored.removedStaffIds, ...restored.disabledStaffIds]) cutOffStaff(this.deps, staffId, 'disabled').catch(this.onInternalError);
    this.wipeRemovedStoreData();
    this.hooks.emit({ type: 'policy-changed' });
  }

  /**
   * Wipes the session data of stores a bundle or a restore removed that is still on disk
   * (noted in the transaction that removed them, trust/store-data-wipes.ts); a failure is logged
   * and kept for the next try. The hosts build their parts after open and carry out hooks only
   * then, so before the first console call this waits for that call.
   */
  private wipeRemovedStoreData(): void {
    if (!this.hostUp) return;
    this.wiping = this.wiping.then(() => wipePendingStoreData(this.deps)).catch(this.onInternalError);
  }

  /** Assignments ended, revoked or staff disabled: their store tabs close at once (F9). */
  private accessLost(lost: LostAccess[]): void {
    for (const { storeId, userId, reason } of lost) {
      this.log({ ts: this.clock(), kind: 'session-closed', actorId: userId, storeId, reason });
      // The host tells the person's console, once, and only if the store was open.
      this.hooks.closeStore(storeId, userId, reason).catch(this.onInternalError);
    }
  }
}
