import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useFeatureApi } from '../../app/services';
import { issuesByPath } from '../../state/errors';
import { Dialog } from '../../ui/Dialog';
import { Button, Notice, TextField } from '../../ui/controls';
import { ErrorNotice } from '../../ui/errors';
import { passwordProblem } from './validation';

export function ChangePasswordDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const session = useFeatureApi('session');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const problem = touched ? passwordProblem(next) : null;
  const server = issuesByPath(error);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!current || passwordProblem(next) || next !== confirm) return;
    setBusy(true);
    setError(null);
    try {
      await session.getState().changePassword(current, next);
      setDone(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={t('password.title')}
      onClose={onClose}
      busy={busy}
      size="small"
      footer={
        done ? (
          <Button variant="primary" onClick={onClose}>
            {t('common.close')}
          </Button>
        ) : (
          <>
            <Button onClick={onClose} disabled={busy}>
              {t('common.cancel')}
            </Button>
            <Button variant="primary" type="submit" form="change-password-form" busy={busy}>
              {t('password.submit')}
            </Button>
          </>
        )
      }
    >
      {done ? (
        <Notice kind="success">{t('password.done')}</Notice>
      ) : (
        <form id="change-password-form" onSubmit={submit} noValidate>
          <TextField label={t('password.current')} type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} data-autofocus error={server.get('current')} />
          <TextField
            label={t('password.next')}
            hint={t('validation.passwordHint')}
            type="password"
            autoComplete="new-password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
            error={problem ? t(`validation.${problem}`) : server.get('next')}
          />
          <TextField
            label={t('password.confirm')}
            type="password"
            autoComplete="new-password"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            error={touched && confirm !== next ? t('validation.mismatch') : undefined}
          />
          <ErrorNotice error={server.size === 0 ? error : null} />
        </form>
      )}
    </Dialog>
  );
}
