import type { Database } from 'better-sqlite3';
import type { AlertFacts } from '../../../shared/ipc/trust';
import type { AuditKind } from '../../../shared/model/audit';
import type { AlertRuleKind, AlertRules } from './alert-rules';
import { localTime, minuteOfDay, withinWorkingHours } from './local-time';

/**
 * Alert rules (F24) evaluated over log rows in id order: incrementally as new rows are
 * committed (AlertEngine.poll / process), or over a range (evaluateAlerts). Each alert names
 * the log rows behind it. When a rule is listed in `autoSuspend`, its alert also yields a
 * "suspend staff X" action, which the caller carries out (applySuspension, then the service
 * closes the person's stores).
 *
 * - block-burst: per staff member, the blocks of the last `withinMinutes`; reaching `blocks`
 *   raises an alert with those rows and starts counting afresh.
 * - outside-hours: the first activity row (login, store open, navigation, mutation, download,
 *   block, step-up request) of a staff member outside working hours raises one alert per
 *   person and local day; later rows of that day are not repeated.
 * - step-up-denied: every denied step-up (kind step-up-deny), except the staff member's own
 *   dismissals unless `includeDismissed`.
 */
export interface AlertRow {
  id: number;
  ts: number;
  kind: AuditKind;
  actorId: string | null;
  storeId: string | null;
  decision: string | null;
  reason: string | null;
}

export interface Alert {
  /** Stable: `<rule>:<id of the row that raised it>`. */
  id: string;
  rule: AlertRuleKind;
  staffId: string;
  storeId: string | null;
  /** Time of the row that raised it. */
  at: number;
  /** The log rows behind the alert, oldest first. */
  rowIds: number[];
  /** What the console words the alert from, in its own language. */
  facts: AlertFacts;
}

export interface SuspendAction {
  type: 'suspend-staff';
  staffId: string;
  alertId: string;
  rule: AlertRuleKind;
}

export interface AlertBatch {
  alerts: Alert[];
  actions: SuspendAction[];
  /** Id of the last row looked at (the next poll continues after it). */
  lastId: number;
}

export interface AlertEngineOptions {
  /** Rows up to this id were evaluated before (after a restart: the id saved from the last batch). */
  lastSeenId?: number;
  /** Which actors are staff; the owner's own activity raises nothing. Default: every actor. */
  isStaff?: (actorId: string) => boolean;
}

const ACTIVITY = new Set(['login', 'store-open', 'navigation', 'mutation', 'download', 'block', 'step-up-request']);
const ROW_SELECT = 'SELECT id, ts, kind, actor_id AS actorId, store_id AS storeId, decision, reason FROM audit_log';

export class AlertEngine {
  private seen: number;
  private readonly isStaff: (actorId: string) => boolean;
  private readonly recentBlocks = new Map<string, AlertRow[]>();
  private readonly outsideDays = new Set<string>();
  private readonly workStart: number;
  private readonly workEnd: number;

  constructor(
    private readonly rules: AlertRules,
    options: AlertEngineOptions = {},
  ) {
    this.seen = options.lastSeenId ?? 0;
    this.isStaff = options.isStaff ?? (() => true);
    this.workStart = minuteOfDay(rules.outsideHours.start);
    this.workEnd = minuteOfDay(rules.outsideHours.end);
  }

  get lastSeenId(): number {
    return this.seen;
  }

  /**
   * After a restart with `lastSeenId`: replays the rows of the preceding day without raising
   * anything, so a burst that straddles the restart still counts and an outside-hours day
   * already reported is not reported again.
   */
  warmUp(db: Database): void {
    if (this.seen === 0) return;
    const last = db.prepare('SELECT ts FROM audit_log WHERE id <= ? ORDER BY id DESC LIMIT 1').get(this.seen) as { ts: number } | undefined;
    if (!last) return;
    const rows = db.prepare(`${ROW_SELECT} WHERE id <= ? AND ts >= ? ORDER BY id`).all(this.seen, last.ts - 86_400_000) as AlertRow[];
    for (const row of rows) this.evaluate(row);
  }

  /** Evaluates rows newer than lastSeenId, in the order given (id order). */
  process(rows: Iterable<AlertRow>): AlertBatch {
    const alerts: Alert[] = [];
    for (const row of rows) {
      if (row.id <= this.seen) continue;
      this.seen = row.id;
      alerts.push(...this.evaluate(row));
    }
    return { alerts, actions: this.actionsFor(alerts), lastId: this.seen };
  }

  /** Reads and evaluates the rows committed since the last call (at most `limit`). */
  poll(db: Database, limit = 10_000): AlertBatch {
    return this.process(db.prepare(`${ROW_SELECT} WHERE id > ? ORDER BY id LIMIT ?`).all(this.seen, limit) as AlertRow[]);
  }

  private evaluate(row: AlertRow): Alert[] {
    const staffId = row.actorId;
    if (staffId === null || !this.isStaff(staffId)) return [];
    const alerts: Alert[] = [];
    const { blockBurst, outsideHours, stepUpDenied } = this.rules;
    if (blockBurst.enabled && row.kind === 'block') {
      const windowStart = row.ts - blockBurst.withinMinutes * 60_000;
      const recent = (this.recentBlocks.get(staffId) ?? []).filter((r) => r.ts > windowStart);
      recent.push(row);
      if (recent.length >= blockBurst.blocks) {
        alerts.push(alert(row, recent, { rule: 'block-burst', blocks: recent.length, withinMinutes: blockBurst.withinMinutes }));
        this.recentBlocks.delete(staffId);
      } else {
        this.recentBlocks.set(staffId, recent);
      }
    }
    if (outsideHours.enabled && ACTIVITY.has(row.kind)) {
      const local = localTime(row.ts, outsideHours.timeZone);
      const dayKey = `${staffId}\n${local.date}`;
      if (!withinWorkingHours(local, outsideHours.days, this.workStart, this.workEnd) && !this.outsideDays.has(dayKey)) {
        this.outsideDays.add(dayKey);
        const hhmm = `${String(Math.floor(local.minute / 60)).padStart(2, '0')}:${String(local.minute % 60).padStart(2, '0')}`;
        alerts.push(alert(row, [row], { rule: 'outside-hours', kind: row.kind, date: local.date, time: hhmm, timeZone: outsideHours.timeZone }));
      }
    }
    if (stepUpDenied.enabled && row.kind === 'step-up-deny' && (stepUpDenied.includeDismissed || row.reason !== 'dismissed')) {
      alerts.push(alert(row, [row], { rule: 'step-up-denied', reason: row.reason }));
    }
    return alerts;
  }

  /** One suspension per staff member and batch, for alerts of the rules listed in autoSuspend. */
  private actionsFor(alerts: Alert[]): SuspendAction[] {
    const actions = new Map<string, SuspendAction>();
    for (const a of alerts) {
      if (this.rules.autoSuspend.includes(a.rule) && !actions.has(a.staffId)) actions.set(a.staffId, { type: 'suspend-staff', staffId: a.staffId, alertId: a.id, rule: a.rule });
    }
    return [...actions.values()];
  }
}

function alert(row: AlertRow, rows: AlertRow[], facts: AlertFacts): Alert {
  return { id: `${facts.rule}:${row.id}`, rule: facts.rule, staffId: row.actorId!, storeId: row.storeId, at: row.ts, rowIds: rows.map((r) => r.id), facts };
}

export interface AlertRange {
  /** Rows with id > afterId (default 0). */
  afterId?: number;
  /** Rows with id <= throughId. */
  throughId?: number;
  /** Rows with ts >= from. */
  from?: number;
  /** Rows with ts < to. */
  to?: number;
}

/** Every alert the rules raise over a range of the log, as if evaluated live from its start. */
export function evaluateAlerts(db: Database, rules: AlertRules, range: AlertRange = {}, options: Omit<AlertEngineOptions, 'lastSeenId'> = {}): AlertBatch {
  const engine = new AlertEngine(rules, options);
  const rows = db
    .prepare(`${ROW_SELECT} WHERE id > ? AND id <= ? AND ts >= ? AND ts < ? ORDER BY id`)
    .iterate(range.afterId ?? 0, range.throughId ?? Number.MAX_SAFE_INTEGER, range.from ?? -Number.MAX_SAFE_INTEGER, range.to ?? Number.MAX_SAFE_INTEGER) as IterableIterator<AlertRow>;
  return engine.process(rows);
}
