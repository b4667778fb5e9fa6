// The rows imported from a staff machine's signed log bundles (F26), oldest first, a page at a
// time: shown in the operation log under that machine's name, and from the Audit page's list of
// machines. The bundles were verified (signature, chain, continuity) when they were imported.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportedCursor, ImportedEvent } from '../../../shared/ipc/trust';
import { useServices } from '../../app/services';
import { Busy, Button, EmptyState } from '../../ui/controls';
import { ErrorNotice } from '../../ui/errors';
import { formatLogTime } from '../../util/format';
import type { LogNames } from './LogTable';

const PAGE = 200;

export function ImportedLog({ machineId, machineName, names }: { machineId: string; machineName: string; names?: LogNames | undefined }) {
  const { t, i18n } = useTranslation();
  const { client } = useServices();
  const [rows, setRows] = useState<ImportedEvent[] | null>(null);
  const [next, setNext] = useState<ImportedCursor | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const load = async (after: ImportedCursor | null, previous: ImportedEvent[]) => {
    setBusy(true);
    setError(null);
    try {
      const page = await client.call('log-bundle:query', { machineId, limit: PAGE, ...(after ? { after } : {}) });
      setRows([...previous, ...page.rows]);
      setNext(page.next);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    setRows(null);
    void load(null, []);
    // A new machine starts over (load is recreated each render and need not be a dependency).
  }, [machineId]);

  const actor = names?.actorShort ?? ((id: string | null) => id ?? '—');
  const store = names?.store ?? ((id: string | null) => id ?? '—');
  const module = names?.module ?? ((id: string | null) => id ?? '');
  const caption = t('log.importedFrom', { name: machineName });
  if (rows === null) return error ? <ErrorNotice error={error} /> : <Busy />;
  if (rows.length === 0) return <EmptyState title={t('log.importedEmpty', { name: machineName })} />;
  return (
    <div className="imported-log">
      <table className="grid-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t('log.col.time')}</th>
            <th scope="col">{t('log.col.kind')}</th>
            <th scope="col">{t('log.col.actor')}</th>
            <th scope="col">{t('log.col.store')}</th>
            <th scope="col">{t('log.col.method')}</th>
            <th scope="col">{t('log.col.url')}</th>
            <th scope="col">{t('log.col.module')}</th>
            <th scope="col">{t('log.col.decision')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} className={r.decision === 'blocked' ? 'log-row-blocked' : undefined}>
              <td className="mono">{r.id}</td>
              <td>{formatLogTime(r.ts, i18n.language)}</td>
              <td>{t(`kind.${r.kind}`)}</td>
              <td>{actor(r.actorId)}</td>
              <td>{store(r.storeId)}</td>
              <td className="mono">{r.method ?? ''}</td>
              <td className="url-cell">{r.url ?? ''}</td>
              <td>{module(r.module)}</td>
              <td>{r.decision ? <span className={`badge ${r.decision === 'blocked' ? 'badge-danger' : 'badge-ok'}`}>{t(`decision.${r.decision}`)}</span> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorNotice error={error} />
      {next ? (
        <Button busy={busy} onClick={() => void load(next, rows)}>
          {t('log.loadMore')}
        </Button>
      ) : null}
    </div>
  );
}
