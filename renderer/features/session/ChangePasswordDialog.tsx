import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFeatureApi } from '../../app/services';
import { TextField } from '../../ui/controls';
import { ErrorNotice, useServerIssues } from '../../ui/errors';
import { FormDialog, useFormAction } from '../../ui/FormDialog';
import { NewPasswordFields, newPasswordReady } from './NewPasswordFields';

export function ChangePasswordDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const session = useFeatureApi('session');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);
  const { busy, error, result, run } = useFormAction<void>();
  const server = useServerIssues(error);

  const submit = () => {
    setTouched(true);
    if (current && newPasswordReady(next, confirm)) void run(() => session.getState().changePassword(current, next));
  };

  return (
    <FormDialog title={t('password.title')} onClose={onClose} busy={busy} submitLabel={t('password.submit')} onSubmit={submit} done={result ? t('password.done') : null}>
      <TextField label={t('password.current')} type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} data-autofocus error={server.get('current')} />
      <NewPasswordFields password={next} confirm={confirm} onPassword={setNext} onConfirm={setConfirm} touched={touched} serverError={server.get('next')} />
      <ErrorNotice error={server.size === 0 ? error : null} />
    </FormDialog>
  );
}
