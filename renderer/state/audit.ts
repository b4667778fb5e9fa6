// "Audit you can trust" (issue #5): access review (F23), alerts (F24), retention (F22) and the
// signed bundles (F25, F26), all through the typed client. Each section keeps its own error so
// one failing call does not hide the others.
import { createStore } from 'zustand/vanilla';
import type { ShopWardenClient } from '../../shared/ipc/client';
import type { RequestOf, ResponseOf } from '../../shared/ipc/contract';
import type { AccessReview, AlertInfo, AlertRules, AlertWithRows, ArchiveInfo, MachineInfo, TrustStatus } from '../../shared/ipc/trust';

export type ReviewFormat = 'csv' | 'html';
export type ExpiringChoice = NonNullable<RequestOf<'review:apply'>['choice']>;

export interface AuditState {
  review: AccessReview | null;
  reviewDays: number;
  reviewLoading: boolean;
  reviewError: unknown;
  /** Suggestion ids being applied. */
  applying: string[];

  alerts: AlertWithRows[] | null;
  showDismissed: boolean;
  /** Undismissed alerts, as the core last said, plus those the event announced since. */
  undismissed: number;
  alertsError: unknown;
  rules: AlertRules | null;

  keepDays: number | null;
  archives: ArchiveInfo[] | null;
  archivesFolder: string | null;
  retentionError: unknown;

  status: TrustStatus | null;
  machines: MachineInfo[] | null;
  bundlesError: unknown;

  loadReview(windowDays?: number): Promise<void>;
  applySuggestion(suggestionId: string, choice?: ExpiringChoice): Promise<ResponseOf<'review:apply'>>;
  exportReview(format: ReviewFormat, timeZone?: string): Promise<ResponseOf<'review:export'>>;

  loadAlerts(showDismissed?: boolean): Promise<void>;
  loadRules(): Promise<void>;
  saveRules(rules: AlertRules): Promise<AlertRules>;
  dismiss(ids: string[]): Promise<void>;
  /** The host announced a new alert (owner consoles only). */
  alertRaised(alert: AlertInfo): void;
  /** Asks the core how many alerts wait (for the nav badge after a sign-in). */
  loadCount(): Promise<void>;

  loadRetention(): Promise<void>;
  setKeepDays(keepDays: number): Promise<void>;
  runRetention(): Promise<ResponseOf<'retention:run'>>;

  loadBundles(): Promise<void>;
  /** The trust status alone (whether this machine is managed), for the console's banner. */
  loadStatus(): Promise<void>;
  enrol(publicKeyPem: string): Promise<void>;
  exportPolicy(password: string): Promise<ResponseOf<'policy-bundle:export'>>;
  applyPolicy(text: string): Promise<ResponseOf<'policy-bundle:apply'>>;
  exportLog(machineName?: string): Promise<ResponseOf<'log-bundle:export'>>;
  importLog(text: string): Promise<ResponseOf<'log-bundle:import'>>;
}

export function createAuditStore(client: ShopWardenClient) {
  return createStore<AuditState>()((set, get) => ({
    review: null,
    reviewDays: 30,
    reviewLoading: false,
    reviewError: null,
    applying: [],
    alerts: null,
    showDismissed: false,
    undismissed: 0,
    alertsError: null,
    rules: null,
    keepDays: null,
    archives: null,
    archivesFolder: null,
    retentionError: null,
    status: null,
    machines: null,
    bundlesError: null,

    async loadReview(windowDays = get().reviewDays) {
      set({ reviewLoading: true, reviewError: null, reviewDays: windowDays });
      try {
        set({ review: await client.call('review:get', { windowDays }) });
      } catch (error) {
        set({ reviewError: error });
      } finally {
        set({ reviewLoading: false });
      }
    },
    async applySuggestion(suggestionId, choice) {
      set({ applying: [...get().applying, suggestionId] });
      try {
        const applied = await client.call('review:apply', { suggestionId, windowDays: get().reviewDays, choice });
        await get().loadReview();
        return applied;
      } finally {
        set({ applying: get().applying.filter((id) => id !== suggestionId) });
      }
    },
    exportReview: (format, timeZone) => client.call('review:export', { format, windowDays: get().reviewDays, timeZone }),

    async loadAlerts(showDismissed = get().showDismissed) {
      set({ showDismissed, alertsError: null });
      try {
        const { alerts, undismissed } = await client.call('alerts:list', { includeDismissed: showDismissed });
        set({ alerts, undismissed });
      } catch (error) {
        set({ alertsError: error });
      }
    },
    async loadRules() {
      try {
        set({ rules: await client.call('alerts:rules-get', {}) });
      } catch (error) {
        set({ alertsError: error });
      }
    },
    async saveRules(rules) {
      const saved = await client.call('alerts:rules-set', rules);
      set({ rules: saved });
      return saved;
    },
    async dismiss(ids) {
      await client.call('alerts:dismiss', { ids });
      await get().loadAlerts();
    },
    alertRaised(alert) {
      if (get().alerts?.some((a) => a.id === alert.id)) return;
      set({ undismissed: get().undismissed + 1 });
      // An open alerts list shows it at once (with its rows, from the core).
      if (get().alerts !== null) void get().loadAlerts();
    },
    async loadCount() {
      try {
        set({ undismissed: (await client.call('alerts:list', { includeDismissed: false })).undismissed });
      } catch {
        // the badge stays as it was
      }
    },

    async loadRetention() {
      set({ retentionError: null });
      try {
        const [{ keepDays }, { folder, archives }] = await Promise.all([client.call('retention:get', {}), client.call('retention:archives', {})]);
        set({ keepDays, archives, archivesFolder: folder });
      } catch (error) {
        set({ retentionError: error });
      }
    },
    async setKeepDays(keepDays) {
      set({ keepDays: (await client.call('retention:set', { keepDays })).keepDays });
    },
    async runRetention() {
      const result = await client.call('retention:run', {});
      await get().loadRetention();
      return result;
    },

    async loadStatus() {
      try {
        set({ status: await client.call('trust:owner-key', {}) });
      } catch {
        // the audit page shows why when opened
      }
    },

    async loadBundles() {
      set({ bundlesError: null });
      try {
        const [status, machines] = await Promise.all([client.call('trust:owner-key', {}), client.call('log-bundle:machines', {})]);
        set({ status, machines });
      } catch (error) {
        set({ bundlesError: error });
      }
    },
    async enrol(publicKeyPem) {
      await client.call('trust:enrol', { publicKeyPem });
      await get().loadBundles();
    },
    async exportPolicy(password) {
      const result = await client.call('policy-bundle:export', { password });
      await get().loadBundles();
      return result;
    },
    async applyPolicy(text) {
      const result = await client.call('policy-bundle:apply', { text });
      await get().loadBundles();
      return result;
    },
    exportLog: (machineName) => client.call('log-bundle:export', { machineName }),
    async importLog(text) {
      const result = await client.call('log-bundle:import', { text });
      await get().loadBundles();
      return result;
    },
  }));
}
