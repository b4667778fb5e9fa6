import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { AlertInfo, MAX_ALERT_ROWS, type AlertWithRows } from '../../../shared/ipc/trust';
import { STORED_ROW_SELECT, toAuditEvent, type StoredRow } from '../audit/row';
import type { Repositories } from '../repos';
import { AlertEngine, loadAlertRules, saveAlertRules, type Alert, type AlertRules, type SuspendAction } from '../trust';

const STATE_SETTING = 'trust.alerts.state';
/** The newest alerts kept for the console; older ones remain findable through the log. */
const MAX_KEPT = 500;

const State = z.object({ lastSeenId: z.number().int().nonnegative(), alerts: z.array(AlertInfo) });
type State = z.infer<typeof State>;

export interface AlertWatchOptions {
  db: Database;
  repos: Repositories;
  /** Carries out an automatic suspension; answers whether the person was suspended. */
  suspend: (action: SuspendAction) => boolean;
  /** Tells the owner's consoles. */
  raised: (alert: AlertInfo) => void;
  onError: (error: unknown) => void;
}

/**
 * The alert rules (F24) watching the log: AppCore calls poll() after every committed batch;
 * the engine reads only the rows it has not seen. Raised alerts are kept in settings (the newest
 * MAX_KEPT, with their dismissed flag) so the console lists them after a restart; the last row
 * evaluated is saved with them and on close, so a restart neither repeats nor skips rows
 * (alert ids are stable, a repeat is merged).
 */
export class AlertWatch {
  private engine: AlertEngine;
  private polling = false;
  private dirtySeen = false;

  constructor(private readonly options: AlertWatchOptions) {
    const state = this.readState();
    // First start: history raises nothing, watching begins at the current end of the log.
    const lastSeenId = state?.lastSeenId ?? this.headId();
    if (!state) this.writeState({ lastSeenId, alerts: [] });
    this.engine = this.newEngine(loadAlertRules(options.repos.settings), lastSeenId);
  }

  rules(): AlertRules {
    return loadAlertRules(this.options.repos.settings);
  }

  /** Validates and stores new rules; watching continues from the same row with them. */
  setRules(rules: unknown): AlertRules {
    const saved = saveAlertRules(this.options.repos.settings, rules);
    this.engine = this.newEngine(saved, this.engine.lastSeenId);
    return saved;
  }

  /** Evaluates the rows committed since the last poll. Never throws. */
  poll(): void {
    if (this.polling) return; // a suspension's own rows come back on the next batch
    this.polling = true;
    try {
      for (;;) {
        const before = this.engine.lastSeenId;
        const batch = this.engine.poll(this.options.db, 5000);
        if (batch.lastId === before) break;
        if (batch.alerts.length === 0) {
          this.dirtySeen = true;
          continue;
        }
        const suspendedBy = new Set<string>();
        for (const action of batch.actions) {
          try {
            if (this.options.suspend(action)) suspendedBy.add(action.alertId);
          } catch (error) {
            this.options.onError(error);
          }
        }
        const infos = batch.alerts.map((a) => toInfo(a, suspendedBy.has(a.id)));
        this.store(infos, batch.lastId);
        for (const info of infos) this.options.raised(info);
      }
    } catch (error) {
      this.options.onError(error);
    } finally {
      this.polling = false;
    }
  }

  /** Saves the last row evaluated (on close). */
  save(): void {
    if (!this.dirtySeen) return;
    const state = this.readState() ?? { lastSeenId: 0, alerts: [] };
    this.writeState({ ...state, lastSeenId: this.engine.lastSeenId });
    this.dirtySeen = false;
  }

  list(includeDismissed: boolean): { alerts: AlertWithRows[]; undismissed: number } {
    const all = this.readState()?.alerts ?? [];
    const shown = all.filter((a) => includeDismissed || !a.dismissed).sort((a, b) => b.at - a.at || b.id.localeCompare(a.id));
    const select = this.options.db.prepare(`SELECT ${STORED_ROW_SELECT} FROM audit_log WHERE id = ?`);
    return {
      alerts: shown.map((a) => ({
        ...a,
        // Rows removed by retention since are simply missing (the archives hold them).
        rows: a.rowIds
          .slice(-MAX_ALERT_ROWS)
          .map((id) => select.get(id) as StoredRow | undefined)
          .filter((r): r is StoredRow => r !== undefined)
          .map(toAuditEvent),
      })),
      undismissed: all.filter((a) => !a.dismissed).length,
    };
  }

  /** Marks alerts as seen by the owner; answers how many changed. Unknown ids are ignored. */
  dismiss(ids: readonly string[]): number {
    const wanted = new Set(ids);
    return this.options.db
      .transaction(() => {
        const state = this.readState() ?? { lastSeenId: this.engine.lastSeenId, alerts: [] };
        let changed = 0;
        const alerts = state.alerts.map((a) => {
          if (!wanted.has(a.id) || a.dismissed) return a;
          changed++;
          return { ...a, dismissed: true };
        });
        if (changed > 0) this.writeState({ ...state, alerts });
        return changed;
      })
      .immediate();
  }

  private store(infos: AlertInfo[], lastId: number): void {
    this.options.db
      .transaction(() => {
        const state = this.readState() ?? { lastSeenId: 0, alerts: [] };
        const byId = new Map(state.alerts.map((a) => [a.id, a]));
        for (const info of infos) if (!byId.has(info.id)) byId.set(info.id, info);
        const alerts = [...byId.values()].sort((a, b) => a.at - b.at).slice(-MAX_KEPT);
        this.writeState({ lastSeenId: Math.max(lastId, state.lastSeenId), alerts });
      })
      .immediate();
    this.dirtySeen = false;
  }

  private newEngine(rules: AlertRules, lastSeenId: number): AlertEngine {
    const kinds = new Map<string, boolean>();
    const engine = new AlertEngine(rules, {
      lastSeenId,
      isStaff: (actorId) => {
        let staff = kinds.get(actorId);
        if (staff === undefined) {
          staff = this.options.repos.users.get(actorId)?.kind === 'staff';
          if (kinds.size > 10_000) kinds.clear();
          kinds.set(actorId, staff);
        }
        return staff;
      },
    });
    engine.warmUp(this.options.db);
    return engine;
  }

  private headId(): number {
    return (this.options.db.prepare('SELECT coalesce(max(id), 0) AS id FROM audit_log').get() as { id: number }).id;
  }

  private readState(): State | undefined {
    return this.options.repos.settings.get(STATE_SETTING, State);
  }

  private writeState(state: State): void {
    this.options.repos.settings.set(STATE_SETTING, state);
  }
}

function toInfo(alert: Alert, suspended: boolean): AlertInfo {
  return { id: alert.id, rule: alert.rule, staffId: alert.staffId, storeId: alert.storeId, at: alert.at, rowIds: alert.rowIds, facts: alert.facts, suspended, dismissed: false };
}
