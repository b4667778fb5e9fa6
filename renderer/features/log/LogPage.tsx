// Operation log (F19–F21): filters, the virtualised table with a detail panel, blocks and
// mutations per day, export to CSV/JSONL and the hash-chain check.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LogFilter, PublicUser } from '../../../shared/ipc/contract';
import type { MachineInfo } from '../../../shared/ipc/trust';
import { useFeature, useFeatureApi, useServices } from '../../app/services';
import { Busy, Button, EmptyState, Notice, PageHeader, SelectField } from '../../ui/controls';
import { ErrorNotice } from '../../ui/errors';
import { RevealFileButton } from '../../ui/RevealFileButton';
import { allModuleIds, moduleName } from '../../util/catalog';
import { exactTotal } from '../../state/log';
import { formatNumber, localUtcOffsetMinutes, startOfLocalDay } from '../../util/format';
import { DailyChart } from './DailyChart';
import { LogDetail } from './LogDetail';
import { LogFilters } from './LogFilters';
import { ImportedLog } from './ImportedLog';
import { LogTable, type LogNames } from './LogTable';

const LOCAL_SOURCE = 'local';

const DAY = 86_400_000;
const CHART_DAYS = 30;
const CHART_MAX_DAYS = 92;

export function chartRange(filter: LogFilter, now: number): { from: number; to: number } {
  const to = filter.to ?? startOfLocalDay(now) + DAY;
  const earliest = to - CHART_MAX_DAYS * DAY;
  const from = Math.max(filter.from ?? to - CHART_DAYS * DAY, earliest);
  return { from, to };
}

export function LogPage() {
  const { t, i18n } = useTranslation();
  const { now } = useServices();
  const log = useFeatureApi('log');
  const storesApi = useFeatureApi('stores');
  const staffApi = useFeatureApi('staff');
  const rolesApi = useFeatureApi('roles');
  const stores = useFeature('stores', (s) => s.items);
  const roles = useFeature('roles', (s) => s.items);
  const staff = useFeature('staff', (s) => s.items);
  const platforms = useFeature('stores', (s) => s.platforms);
  const me = useFeature('session', (s) => s.session?.user ?? null);
  const filter = useFeature('log', (s) => s.filter);
  const extent = useFeature('log', (s) => s.extent);
  const inFlight = useFeature('log', (s) => s.inFlight.length);
  const { client } = useServices();
  // Where the rows come from: this computer's log, or a staff machine's imported bundles (F26).
  const [machines, setMachines] = useState<MachineInfo[]>([]);
  const [source, setSource] = useState<string>(LOCAL_SOURCE);
  useEffect(() => {
    if (me?.kind !== 'owner') return;
    client.call('log-bundle:machines', {}).then(setMachines, () => setMachines([]));
  }, [client, me?.kind]);
  const machine = machines.find((m) => m.machineId === source) ?? null;

  useEffect(() => {
    void storesApi.getState().load();
    void staffApi.getState().load();
    void log.getState().setFilter(log.getState().filter);
  }, [log, storesApi, staffApi]);
  // Role names for owner changes; only the owner may list roles.
  useEffect(() => {
    if (me?.kind === 'owner') void rolesApi.getState().load();
  }, [rolesApi, me?.kind]);

  useEffect(() => {
    const { from, to } = chartRange(filter, now());
    void log.getState().loadDaily(from, to, localUtcOffsetMinutes());
  }, [log, filter, now]);

  const people: PublicUser[] = useMemo(() => (me && me.kind === 'owner' ? [me, ...staff] : [...staff]), [me, staff]);
  const modules = useMemo(() => allModuleIds(platforms).map((id) => ({ id, name: `${moduleName(platforms, id, i18n.language)} (${id})` })), [platforms, i18n.language]);
  const names: LogNames = useMemo(() => {
    const users = new Map(people.map((u) => [u.id, u.displayName ? `${u.displayName} (${u.username})` : u.username]));
    const shortNames = new Map(people.map((u) => [u.id, u.displayName || u.username]));
    const storeNames = new Map(stores.map((s) => [s.id, s.name]));
    const roleNames = new Map(roles.map((r) => [r.id, r.name]));
    return {
      actor: (id) => (id === null ? '—' : (users.get(id) ?? id)),
      actorShort: (id) => (id === null ? '—' : (shortNames.get(id) ?? id)),
      store: (id) => (id === null ? '—' : (storeNames.get(id) ?? id)),
      module: (id) => (id === null ? '' : moduleName(platforms, id, i18n.language)),
      role: (id) => roleNames.get(id) ?? id,
    };
  }, [people, stores, roles, platforms, i18n.language]);

  return (
    <section className="log-page">
      <PageHeader
        title={t('log.title')}
        description={t('log.intro')}
        actions={
          <Button onClick={() => void log.getState().reload()} busy={inFlight > 0 && extent === 0}>
            {t('log.refresh')}
          </Button>
        }
      />
      {machines.length > 0 ? (
        <SelectField label={t('log.source')} value={source} onChange={(e) => setSource(e.target.value)} className="log-source">
          <option value={LOCAL_SOURCE}>{t('log.sourceLocal')}</option>
          {machines.map((m) => (
            <option key={m.machineId} value={m.machineId}>
              {t('log.sourceMachine', { name: m.name })}
            </option>
          ))}
        </SelectField>
      ) : null}
      {machine ? (
        <ImportedLog machineId={machine.machineId} machineName={machine.name} names={names} />
      ) : (
        <LocalLog names={names} people={people} modules={modules} />
      )}
    </section>
  );
}

/** This computer's own log: filters, counts, export, verify, the virtualised table and the chart. */
function LocalLog({ names, people, modules }: { names: LogNames; people: PublicUser[]; modules: { id: string; name: string }[] }) {
  const { t, i18n } = useTranslation();
  const log = useFeatureApi('log');
  const stores = useFeature('stores', (s) => s.items);
  const filter = useFeature('log', (s) => s.filter);
  const total = useFeature('log', (s) => s.total);
  const totalCapped = useFeature('log', (s) => s.totalCapped);
  const extent = useFeature('log', (s) => s.extent);
  const more = useFeature('log', (s) => s.more);
  const error = useFeature('log', (s) => s.error);
  const selected = useFeature('log', (s) => s.selected);
  const daily = useFeature('log', (s) => s.daily);
  const dailyError = useFeature('log', (s) => s.dailyError);
  return (
    <>
      <LogFilters key={JSON.stringify(filter)} initial={filter} people={people} stores={stores} modules={modules} onApply={(f) => void log.getState().setFilter(f)} />

      <div className="log-toolbar">
        <p className="log-count" role="status" aria-live="polite">
          {total === null ? t('log.counting') : t(totalCapped ? 'log.countMore' : 'log.count', { total: formatNumber(total, i18n.language), loaded: formatNumber(extent, i18n.language) })}
          {more ? <span className="muted"> · {t('log.scrollForMore')}</span> : null}
        </p>
        <ExportButtons total={total} />
        <VerifyButton />
      </div>
      <ExportStatus />
      <VerifyStatus />
      {error ? <Notice kind="error">{t('common.loadError', { message: error })}</Notice> : null}

      <div className={`log-main${selected ? ' with-detail' : ''}`}>
        {total === 0 ? (
          <EmptyState title={t('log.emptyTitle')}>{Object.keys(filter).length > 0 ? t('log.emptyFiltered') : t('log.emptyText')}</EmptyState>
        ) : extent === 0 && !error ? (
          <Busy />
        ) : (
          <LogTable names={names} />
        )}
        {selected ? <LogDetail row={selected} names={names} onClose={() => log.getState().select(null)} /> : null}
      </div>

      <section className="panel" aria-labelledby="chart-title">
        <h2 id="chart-title">{t('log.chartTitle')}</h2>
        {dailyError ? <Notice kind="error">{t('common.loadError', { message: dailyError })}</Notice> : daily ? <DailyChart days={daily} /> : <Busy />}
      </section>
    </>
  );
}

function ExportButtons({ total }: { total: number | null }) {
  const { t } = useTranslation();
  const log = useFeatureApi('log');
  const exporting = useFeature('log', (s) => s.exporting);
  return (
    <div className="button-row">
      <Button onClick={() => void log.getState().exportRows('csv')} busy={exporting === 'csv'} disabled={exporting !== null || total === 0}>
        {t('log.exportCsv')}
      </Button>
      <Button onClick={() => void log.getState().exportRows('jsonl')} busy={exporting === 'jsonl'} disabled={exporting !== null || total === 0}>
        {t('log.exportJsonl')}
      </Button>
    </div>
  );
}

function ExportStatus() {
  const { t, i18n } = useTranslation();
  const log = useFeatureApi('log');
  const exporting = useFeature('log', (s) => s.exporting);
  const startedAt = useFeature('log', (s) => s.exportStartedAt);
  const progress = useFeature('log', (s) => s.exportProgress);
  const result = useFeature('log', (s) => s.exportResult);
  const error = useFeature('log', (s) => s.exportError);
  // A capped count is not the number of rows the export writes: wait for its progress instead.
  const total = useFeature('log', exactTotal);
  const [, tick] = useState(0);
  useEffect(() => {
    if (!exporting) return;
    const timer = window.setInterval(() => tick((n) => n + 1), 1000);
    return () => window.clearInterval(timer);
  }, [exporting]);
  if (exporting && startedAt !== null) {
    const seconds = Math.floor((Date.now() - startedAt) / 1000);
    const of = progress?.total ?? total;
    return (
      <div className="export-progress">
        <Busy
          label={t('log.exporting', {
            format: exporting.toUpperCase(),
            done: formatNumber(progress?.rows ?? 0, i18n.language),
            rows: of === null ? '…' : formatNumber(of, i18n.language),
            seconds,
          })}
        />
        <progress aria-label={t('log.exportProgress')} max={Math.max(of ?? 0, 1)} value={progress?.rows ?? 0} />
      </div>
    );
  }
  if (result)
    return (
      <Notice kind="success" onDismiss={() => log.setState({ exportResult: null })}>
        {t('log.exported', { rows: formatNumber(result.rows, i18n.language), file: result.fileName })}
        <div className="mono break small">{result.path}</div>
        <RevealFileButton folder="exports" fileName={result.fileName} />
      </Notice>
    );
  if (error) return <ErrorNotice error={error} onDismiss={() => log.setState({ exportError: null })} />;
  return null;
}

function VerifyButton() {
  const { t } = useTranslation();
  const log = useFeatureApi('log');
  const verifying = useFeature('log', (s) => s.verifying);
  return (
    <Button onClick={() => void log.getState().verify()} busy={verifying}>
      {t('log.verify')}
    </Button>
  );
}

function VerifyStatus() {
  const { t, i18n } = useTranslation();
  const log = useFeatureApi('log');
  const verdict = useFeature('log', (s) => s.verdict);
  const error = useFeature('log', (s) => s.verifyError);
  const verifying = useFeature('log', (s) => s.verifying);
  if (verifying) return <Busy label={t('log.verifying')} />;
  if (error) return <Notice kind="error">{t('common.loadError', { message: error })}</Notice>;
  if (!verdict) return null;
  return verdict.intact ? (
    <Notice kind="success" onDismiss={() => log.setState({ verdict: null })}>
      {t('log.intact', { rows: formatNumber(verdict.rows, i18n.language), head: verdict.head.slice(0, 16) })}
    </Notice>
  ) : (
    <Notice kind="error" title={t('log.brokenTitle')} onDismiss={() => log.setState({ verdict: null })}>
      {t('log.broken', { id: verdict.firstBadId, problem: verdict.problem })}
    </Notice>
  );
}
