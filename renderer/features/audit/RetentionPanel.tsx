// Retention (F22): keep N days; "run now" archives older rows to a compressed file (with the
// chain's head) before deleting them; the archives made so far.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RetentionRun } from '../../../shared/ipc/trust';
import { useFeature, useFeatureApi } from '../../app/services';
import { Badge, Button, EmptyState, Notice, TextField } from '../../ui/controls';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { ErrorNotice } from '../../ui/errors';
import { useFormAction } from '../../ui/FormDialog';
import { RevealFileButton } from '../../ui/RevealFileButton';
import { formatDateTime, formatNumber } from '../../util/format';

export function RetentionPanel() {
  const { t, i18n } = useTranslation();
  const audit = useFeatureApi('audit');
  const keepDays = useFeature('audit', (s) => s.keepDays);
  const archives = useFeature('audit', (s) => s.archives);
  const folder = useFeature('audit', (s) => s.archivesFolder);
  const loadError = useFeature('audit', (s) => s.retentionError);
  const [days, setDays] = useState('');
  const saving = useFormAction<void>();
  const [confirming, setConfirming] = useState(false);
  const [run, setRun] = useState<RetentionRun | null>(null);

  useEffect(() => {
    void audit.getState().loadRetention();
  }, [audit]);
  useEffect(() => {
    if (keepDays !== null && days === '') setDays(String(keepDays));
  }, [keepDays, days]);

  const value = Number(days);
  const invalid = days.trim() === '' || !Number.isInteger(value) || value < 1 || value > 36_500;

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (invalid) return;
    void saving.run(async () => {
      await audit.getState().setKeepDays(value);
    });
  };

  return (
    <section className="panel" aria-labelledby="retention-title">
      <h2 id="retention-title">{t('audit.retention.title')}</h2>
      <form onSubmit={save} noValidate className="inline-form">
        <TextField
          label={t('audit.retention.keepDays')}
          hint={t('audit.retention.keepDaysHint')}
          inputMode="numeric"
          value={days}
          onChange={(e) => {
            saving.dismissResult();
            setDays(e.target.value);
          }}
          error={invalid && days !== '' ? t('audit.retention.keepDaysRange') : undefined}
        />
        <Button type="submit" disabled={invalid} busy={saving.busy}>
          {t('common.save')}
        </Button>
      </form>
      {saving.result ? <Notice kind="success">{t('settings.saved')}</Notice> : null}
      <Button variant="danger" onClick={() => setConfirming(true)}>
        {t('audit.retention.runNow')}
      </Button>
      {run ? (
        <Notice kind={run.cut ? 'success' : 'info'}>
          {run.cut ? t('audit.retention.cut', { rows: formatNumber(run.rows, i18n.language), file: run.fileName }) : t('audit.retention.notCut', { reason: run.reason })}
          {run.cut ? <RevealFileButton folder="archives" fileName={run.fileName} /> : null}
        </Notice>
      ) : null}
      <ErrorNotice error={saving.error ?? loadError} />
      <h3>{t('audit.retention.archives')}</h3>
      {folder ? <p className="field-hint">{t('audit.retention.folder', { folder })}</p> : null}
      {archives === null ? null : archives.length === 0 ? (
        <EmptyState title={t('audit.retention.noArchives')} />
      ) : (
        <table className="grid-table">
          <caption className="visually-hidden">{t('audit.retention.archives')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('audit.retention.col.file')}</th>
              <th scope="col">{t('audit.retention.col.rows')}</th>
              <th scope="col">{t('audit.retention.col.through')}</th>
              <th scope="col">{t('audit.retention.col.cutAt')}</th>
              <th scope="col">{t('audit.retention.col.sha256')}</th>
            </tr>
          </thead>
          <tbody>
            {archives.map((a) => (
              <tr key={a.throughId}>
                <td>
                  {a.archiveName} {a.present ? <RevealFileButton folder="archives" fileName={a.archiveName} /> : <Badge kind="danger">{t('audit.retention.missing')}</Badge>}
                </td>
                <td>{formatNumber(a.rowsRemoved, i18n.language)}</td>
                <td>#{a.throughId}</td>
                <td>{formatDateTime(a.cutAt, i18n.language)}</td>
                <td className="mono">{a.archiveSha256.slice(0, 16)}…</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {confirming ? (
        <ConfirmDialog
          title={t('audit.retention.confirmTitle')}
          confirmLabel={t('audit.retention.runNow')}
          danger
          onConfirm={async () => setRun(await audit.getState().runRetention())}
          onClose={() => setConfirming(false)}
        >
          <p>{t('audit.retention.confirmBody', { days: keepDays ?? value })}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
