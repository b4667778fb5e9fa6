// The operation log table (F20): virtualised with @tanstack/react-virtual, so only the rows on
// screen (plus a few) are in the DOM, and fed page by page from the log store as it scrolls
// (keyset pages, see state/log.ts). Keyboard: ↑/↓, PageUp/PageDown, Home/End move between rows,
// Enter or Space shows a row in the detail panel.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEvent } from '../../../shared/model/audit';
import { useFeature, useFeatureApi } from '../../app/services';
import { exactTotal } from '../../state/log';
import { formatDateTime, formatLogTime } from '../../util/format';

export const LOG_ROW_HEIGHT = 32;

export interface LogNames {
  /** "Display name (user name)": filters, the detail panel. */
  actor(id: string | null): string;
  /** The display name alone when there is one: the table's narrow column (the full name is its title). */
  actorShort(id: string | null): string;
  store(id: string | null): string;
  module(id: string | null): string;
  /** A role's name (owner changes name roles by id). */
  role(id: string): string;
}

export const LOG_COLUMNS = ['time', 'kind', 'actor', 'store', 'method', 'url', 'module', 'decision'] as const;

const WEB_URL = /^(https?:\/\/|wss?:\/\/)([^/?#]*)(.*)$/i;

/**
 * An address as the narrow URL cell shows it: the page (path and query) first, then the host —
 * cut at the cell's end, the page is what tells rows apart (the Store column says where). Without
 * "https://"; a WebSocket keeps its scheme. null: not a web address, shown as it is. The detail
 * panel and the cell's title have it whole.
 */
export function urlParts(url: string): { page: string; host: string } | null {
  const match = WEB_URL.exec(url);
  if (!match) return null;
  const [, scheme, host, rest] = match as unknown as [string, string, string, string];
  return { page: rest === '' ? '/' : rest, host: /^https?/i.test(scheme) ? host : `${scheme}${host}` };
}

function UrlCell({ url }: { url: string }) {
  const parts = urlParts(url);
  if (!parts) return <>{url}</>;
  return (
    <>
      {parts.page} <span className="log-url-host">{parts.host}</span>
    </>
  );
}

export function LogTable({ names }: { names: LogNames }) {
  const { t, i18n } = useTranslation();
  const log = useFeatureApi('log');
  const extent = useFeature('log', (s) => s.extent);
  const more = useFeature('log', (s) => s.more);
  // Unknown to assistive technology while counting, and when the count stopped at its limit.
  const total = useFeature('log', exactTotal);
  const pages = useFeature('log', (s) => s.pages);
  const selectedId = useFeature('log', (s) => s.selected?.id ?? null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [focusIndex, setFocusIndex] = useState(0);
  const wantFocus = useRef(false);

  const count = extent + (more ? 1 : 0);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LOG_ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    if (count > 0) log.getState().ensureRange(first, last);
  }, [log, first, last, count]);

  useEffect(() => {
    if (!wantFocus.current) return;
    const row = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${focusIndex}"]`);
    if (row) {
      wantFocus.current = false;
      row.focus({ preventScroll: true });
    }
  });

  // `pages` is subscribed to above so that arriving pages re-render; the store maps index → row.
  const row = (index: number): AuditEvent | undefined => (pages ? log.getState().rowAt(index) : undefined);

  const moveTo = (index: number) => {
    const next = Math.max(0, Math.min(extent - 1, index));
    if (next < 0) return;
    setFocusIndex(next);
    wantFocus.current = true;
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>, index: number) => {
    const keys: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, PageDown: index + 10, PageUp: index - 10, Home: 0, End: extent - 1 };
    if (event.key in keys) {
      event.preventDefault();
      moveTo(keys[event.key]!);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      const r = row(index);
      if (r) log.getState().select(r);
    }
  };

  return (
    <div className="log-table" role="grid" aria-label={t('log.tableLabel')} aria-rowcount={total === null ? -1 : total + 1} aria-colcount={LOG_COLUMNS.length}>
      <div role="rowgroup" className="log-head">
        <div role="row" aria-rowindex={1} className="log-row log-row-head">
          {LOG_COLUMNS.map((c) => (
            <div role="columnheader" key={c} className={`log-cell log-${c}`}>
              {t(`log.col.${c}`)}
            </div>
          ))}
        </div>
      </div>
      <div ref={scrollRef} className="log-scroll" data-log-scroll role="rowgroup">
        <div className="log-spacer" style={{ height: `${virtualizer.getTotalSize()}px` }}>
          {items.map((item) => {
            const r = item.index < extent ? row(item.index) : undefined;
            const style = { transform: `translateY(${item.start}px)`, height: `${LOG_ROW_HEIGHT}px` };
            if (!r)
              return (
                <div key={item.key} role="row" aria-rowindex={item.index + 2} data-index={item.index} className="log-row log-row-loading" style={style}>
                  <div role="gridcell" className="log-cell log-loading">
                    {item.index >= extent ? t('log.loadingMore') : t('common.loading')}
                  </div>
                </div>
              );
            const selected = r.id === selectedId;
            return (
              <div
                key={item.key}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={selected}
                data-index={item.index}
                data-id={r.id}
                tabIndex={item.index === focusIndex ? 0 : -1}
                className={`log-row${selected ? ' log-row-selected' : ''}${r.decision === 'blocked' ? ' log-row-blocked' : ''}`}
                style={style}
                onClick={() => {
                  setFocusIndex(item.index);
                  log.getState().select(r);
                }}
                onFocus={() => setFocusIndex(item.index)}
                onKeyDown={(e) => onKeyDown(e, item.index)}
              >
                <div role="gridcell" className="log-cell log-time" title={formatDateTime(r.ts, i18n.language)}>
                  {formatLogTime(r.ts, i18n.language)}
                </div>
                <div role="gridcell" className="log-cell log-kind">
                  {t(`kind.${r.kind}`)}
                </div>
                <div role="gridcell" className="log-cell log-actor" title={names.actor(r.actorId)}>
                  {names.actorShort(r.actorId)}
                </div>
                <div role="gridcell" className="log-cell log-store" title={names.store(r.storeId)}>
                  {names.store(r.storeId)}
                </div>
                <div role="gridcell" className="log-cell log-method mono">
                  {r.method ?? ''}
                </div>
                <div role="gridcell" className="log-cell log-url mono" title={r.url ?? undefined}>
                  {r.url ? <UrlCell url={r.url} /> : ''}
                </div>
                <div role="gridcell" className="log-cell log-module" title={names.module(r.module)}>
                  {names.module(r.module)}
                </div>
                <div role="gridcell" className="log-cell log-decision">
                  {r.decision ? <span className={`badge ${r.decision === 'blocked' ? 'badge-danger' : 'badge-ok'}`}>{t(`decision.${r.decision}`)}</span> : null}
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
