// The operation log viewer's data (F20, F21). Rows come in keyset pages (log:query, newest
// first, `beforeId` = the previous page's `nextBeforeId`): a page can only be fetched once the
// one before it is known, so the table grows as it is scrolled, and pages far from the visible
// rows are dropped again (their cursors are kept, so scrolling back refetches them). Memory and
// DOM stay flat however large the log; nothing ever loads the whole log. The rows are a snapshot:
// the first page's answer fixes the newest row (`throughId`) and every later page, page 0 read
// again included, is bounded by it, so rows logged meanwhile never shift the pages (they would
// hide the rows between them); they appear when the filter is applied again or on reload().
import { createStore } from 'zustand/vanilla';
import type { ShopWardenClient } from '../../shared/ipc/client';
import type { LogFilter, ResponseOf } from '../../shared/ipc/contract';
import type { AuditEvent } from '../../shared/model/audit';
import { describeError } from './errors';

export const LOG_PAGE_SIZE = 200;
/** Pages kept on either side of the visible ones. */
export const LOG_KEEP_PAGES = 5;

export type DayActivity = ResponseOf<'log:daily'>[number];
export type ChainVerdict = ResponseOf<'log:verify'>;
export type ExportResult = ResponseOf<'log:export'>;
export type ExportFormat = 'csv' | 'jsonl';

export interface LogState {
  filter: LogFilter;
  /** Rows matching the filter (log:count); null until known. */
  total: number | null;
  /** log:count stopped counting at `total`: there are more. */
  totalCapped: boolean;
  /** Rows of the pages in memory, by page index. */
  pages: Record<number, AuditEvent[]>;
  /** `beforeId` of each page whose start is known (index 0: undefined, the newest rows). */
  starts: (number | undefined)[];
  /** The snapshot's newest row id, from the first page's answer; null until it is known. */
  throughId: number | null;
  /** Rows known so far (every page up to the last fetched one). */
  extent: number;
  /** More rows follow the last fetched page. */
  more: boolean;
  /** Page indexes being fetched. */
  inFlight: number[];
  error: string | null;
  selected: AuditEvent | null;

  daily: DayActivity[] | null;
  dailyError: string | null;
  verdict: ChainVerdict | null;
  verifying: boolean;
  verifyError: string | null;
  exporting: ExportFormat | null;
  exportStartedAt: number | null;
  /** Rows written so far of the export under way, as the core reports them. */
  exportProgress: { rows: number; total: number } | null;
  exportResult: ExportResult | null;
  exportError: unknown;

  /** Applies a filter: counts and fetches the first page again. */
  setFilter(filter: LogFilter): Promise<void>;
  /** Starts over with the current filter: a new snapshot (new rows appear at the top). */
  reload(): Promise<void>;
  /** The rows `first`..`last` are (about to be) visible: fetch what they need, drop the rest. */
  ensureRange(first: number, last: number): void;
  rowAt(index: number): AuditEvent | undefined;
  select(row: AuditEvent | null): void;
  loadDaily(from: number, to: number, utcOffsetMinutes: number): Promise<void>;
  verify(): Promise<void>;
  exportRows(format: ExportFormat): Promise<void>;
}

/** The number of matching rows when it is known exactly: null while counting and when log:count stopped at its limit. */
export const exactTotal = (s: LogState): number | null => (s.totalCapped ? null : s.total);

export function createLogStore(client: ShopWardenClient, options: { pageSize?: number } = {}) {
  const pageSize = options.pageSize ?? LOG_PAGE_SIZE;
  return createStore<LogState>()((set, get) => {
    /** Bumped on every filter change: answers for an older filter are dropped. */
    let generation = 0;

    const fetchPage = async (page: number) => {
      const state = get();
      if (page >= state.starts.length || state.inFlight.includes(page) || state.pages[page]) return;
      const mine = generation;
      const beforeId = state.starts[page];
      const { throughId } = state;
      set({ inFlight: [...state.inFlight, page] });
      try {
        const answer = await client.call('log:query', {
          filter: state.filter,
          limit: pageSize,
          ...(beforeId === undefined ? {} : { beforeId }),
          ...(throughId === null ? {} : { throughId }),
        });
        if (mine !== generation) return;
        const now = get();
        const starts = [...now.starts];
        const isLast = page === now.starts.length - 1;
        if (answer.nextBeforeId !== null && isLast) starts.push(answer.nextBeforeId);
        set({
          pages: { ...now.pages, [page]: answer.rows },
          starts,
          throughId: now.throughId ?? answer.throughId,
          extent: isLast ? page * pageSize + answer.rows.length : now.extent,
          more: isLast ? answer.nextBeforeId !== null : now.more,
          inFlight: now.inFlight.filter((p) => p !== page),
        });
      } catch (error) {
        if (mine !== generation) return;
        set({ error: describeError(error), inFlight: get().inFlight.filter((p) => p !== page) });
      }
    };

    const start = async () => {
      const mine = ++generation;
      set({ total: null, totalCapped: false, pages: {}, starts: [undefined], throughId: null, extent: 0, more: false, inFlight: [], error: null });
      // The page first, the count after it: counting a common URL text visits every match, and
      // a host that answers one request at a time would keep the page waiting behind it.
      await fetchPage(0);
      if (mine !== generation) return;
      try {
        const { filter, throughId } = get();
        const { count, capped } = await client.call('log:count', { filter, ...(throughId === null ? {} : { throughId }) });
        if (mine === generation) set({ total: count, totalCapped: capped });
      } catch (error) {
        if (mine === generation) set({ error: describeError(error) });
      }
    };

    return {
      filter: {},
      total: null,
      totalCapped: false,
      pages: {},
      starts: [undefined],
      throughId: null,
      extent: 0,
      more: false,
      inFlight: [],
      error: null,
      selected: null,
      daily: null,
      dailyError: null,
      verdict: null,
      verifying: false,
      verifyError: null,
      exporting: null,
      exportStartedAt: null,
      exportProgress: null,
      exportResult: null,
      exportError: null,

      async setFilter(filter) {
        set({ filter, selected: null });
        await start();
      },

      reload: () => start(),

      ensureRange(first, last) {
        const { extent, more, pages } = get();
        const firstPage = Math.max(0, Math.floor(first / pageSize));
        let lastPage = Math.max(firstPage, Math.floor(last / pageSize));
        // Near the end of what is known: fetch the next page before it is needed.
        if (more && last >= extent - Math.ceil(pageSize / 2)) lastPage = Math.max(lastPage, Math.floor(extent / pageSize));
        const keepFrom = firstPage - LOG_KEEP_PAGES;
        const keepTo = lastPage + LOG_KEEP_PAGES;
        const kept = Object.fromEntries(Object.entries(pages).filter(([k]) => Number(k) >= keepFrom && Number(k) <= keepTo));
        if (Object.keys(kept).length !== Object.keys(pages).length) set({ pages: kept });
        for (let page = firstPage; page <= lastPage; page++) void fetchPage(page);
      },

      rowAt(index) {
        return get().pages[Math.floor(index / pageSize)]?.[index % pageSize];
      },

      select(row) {
        set({ selected: row });
      },

      async loadDaily(from, to, utcOffsetMinutes) {
        try {
          set({ daily: await client.call('log:daily', { from, to, utcOffsetMinutes }), dailyError: null });
        } catch (error) {
          set({ daily: null, dailyError: describeError(error) });
        }
      },

      async verify() {
        set({ verifying: true, verdict: null, verifyError: null });
        try {
          set({ verdict: await client.call('log:verify', {}) });
        } catch (error) {
          set({ verifyError: describeError(error) });
        } finally {
          set({ verifying: false });
        }
      },

      async exportRows(format) {
        if (get().exporting) return;
        set({ exporting: format, exportStartedAt: Date.now(), exportProgress: null, exportResult: null, exportError: null });
        try {
          const { filter, throughId } = get();
          // The rows the viewer counted, with times as the viewer shows them (its zone, offset written).
          const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
          set({ exportResult: await client.call('log:export', { filter, format, timeZone, ...(throughId === null ? {} : { throughId }) }) });
        } catch (error) {
          set({ exportError: error });
        } finally {
          set({ exporting: null, exportStartedAt: null, exportProgress: null });
        }
      },
    };
  });
}
