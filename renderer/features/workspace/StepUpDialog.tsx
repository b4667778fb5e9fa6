// F17: a store page needs the owner's approval on the spot. The owner types their password at
// this screen; the grant covers that page (its filter) for the minutes chosen.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { IpcCallError } from '../../../shared/ipc/client';
import type { StepUpRequest } from '../../../shared/ipc/contract';
import { useFeature, useFeatureApi } from '../../app/services';
import { Dialog } from '../../ui/Dialog';
import { Button, Notice, SelectField, TextField } from '../../ui/controls';
import { ErrorNotice } from '../../ui/errors';
import { formatDateTime, formatTime, formatUnit } from '../../util/format';

export const STEP_UP_MINUTES = [5, 15, 30, 60, 120, 240] as const;

// The generic sentence speaks of a user name, which this dialog does not ask for.
const isWrongPassword = (error: unknown) => error instanceof IpcCallError && error.code === 'invalid-credentials';

export function StepUpDialog({ request, onClose }: { request: StepUpRequest; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const workspace = useFeatureApi('workspace');
  const storeName = useFeature('workspace', (s) => s.stores.find((w) => w.store.id === request.storeId)?.store.name ?? request.storeId);
  const [password, setPassword] = useState('');
  const [minutes, setMinutes] = useState(15);
  const [busy, setBusy] = useState<'approve' | 'dismiss' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [until, setUntil] = useState<number | null>(null);

  const approve = async (event: FormEvent) => {
    event.preventDefault();
    if (!password) return;
    setBusy('approve');
    setError(null);
    try {
      setUntil(await workspace.getState().approveStepUp(request.id, password, minutes));
    } catch (e) {
      setError(e);
      setPassword('');
    } finally {
      setBusy(null);
    }
  };

  const dismiss = async () => {
    setBusy('dismiss');
    try {
      await workspace.getState().dismissStepUp(request.id);
      onClose();
    } catch (e) {
      setError(e);
      setBusy(null);
    }
  };

  if (until !== null)
    return (
      <Dialog title={t('stepUp.title')} onClose={onClose} size="small" footer={<Button variant="primary" onClick={onClose} data-autofocus>{t('common.close')}</Button>}>
        <Notice kind="success">{t('stepUp.approved', { time: formatTime(until, i18n.language) })}</Notice>
      </Dialog>
    );

  return (
    <Dialog
      title={t('stepUp.title')}
      onClose={onClose}
      busy={busy !== null}
      description={t('stepUp.intro')}
      footer={
        <>
          <Button onClick={onClose} disabled={busy !== null}>
            {t('stepUp.later')}
          </Button>
          <Button variant="danger" onClick={() => void dismiss()} busy={busy === 'dismiss'} disabled={busy !== null}>
            {t('stepUp.dismiss')}
          </Button>
          <Button variant="primary" type="submit" form="step-up-form" busy={busy === 'approve'} disabled={busy !== null || !password}>
            {t('stepUp.approve')}
          </Button>
        </>
      }
    >
      <dl className="facts">
        <dt>{t('stepUp.store')}</dt>
        <dd>{storeName}</dd>
        <dt>{t('stepUp.page')}</dt>
        <dd className="mono break">{request.url}</dd>
        <dt>{t('stepUp.filter')}</dt>
        <dd className="mono break">{request.filter}</dd>
        <dt>{t('stepUp.at')}</dt>
        <dd>{formatDateTime(request.at, i18n.language)}</dd>
      </dl>
      <form id="step-up-form" onSubmit={approve} noValidate>
        <TextField label={t('stepUp.ownerPassword')} type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} data-autofocus />
        <SelectField label={t('stepUp.minutes')} value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
          {STEP_UP_MINUTES.map((m) => (
            <option key={m} value={m}>
              {formatUnit(m, 'minute', i18n.language)}
            </option>
          ))}
        </SelectField>
        {isWrongPassword(error) ? <Notice kind="error">{t('stepUp.wrongPassword')}</Notice> : <ErrorNotice error={error} />}
      </form>
    </Dialog>
  );
}
