// Staff (F7): one account per person (一人一号), named 部门_姓名_站点; disabling one signs them
// out and closes every store they have open, at once.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublicUser } from '../../../shared/ipc/contract';
import { useFeature, useFeatureApi } from '../../app/services';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Badge, Busy, Button, EmptyState, Notice, PageHeader, TextField } from '../../ui/controls';
import { ErrorNotice, useServerIssues } from '../../ui/errors';
import { FormDialog, useFormAction } from '../../ui/FormDialog';
import { NewPasswordFields, newPasswordReady } from '../session/NewPasswordFields';
import { passwordProblem, usernameProblem } from '../session/validation';

type Action = { kind: 'create' } | { kind: 'rename' | 'password' | 'toggle' | 'delete'; user: PublicUser };

export function StaffPage() {
  const { t } = useTranslation();
  const api = useFeatureApi('staff');
  const staff = useFeature('staff', (s) => s.items);
  const loaded = useFeature('staff', (s) => s.loaded);
  const error = useFeature('staff', (s) => s.error);
  const [action, setAction] = useState<Action | null>(null);
  const close = () => setAction(null);

  useEffect(() => {
    void api.getState().load();
  }, [api]);

  return (
    <section>
      <PageHeader
        title={t('staff.title')}
        description={t('staff.intro')}
        actions={
          <Button variant="primary" onClick={() => setAction({ kind: 'create' })}>
            {t('staff.add')}
          </Button>
        }
      />
      {error ? <Notice kind="error">{t('common.loadError', { message: error })}</Notice> : null}
      {!loaded && !error ? (
        <Busy />
      ) : loaded && staff.length === 0 ? (
        <EmptyState title={t('staff.emptyTitle')} action={<Button variant="primary" onClick={() => setAction({ kind: 'create' })}>{t('staff.add')}</Button>}>
          {t('staff.emptyText')}
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('staff.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('staff.username')}</th>
                <th scope="col">{t('staff.displayName')}</th>
                <th scope="col">{t('staff.status')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {staff.map((u) => (
                <tr key={u.id} className={u.disabled ? 'row-muted' : undefined}>
                  <th scope="row" className="mono">
                    {u.username}
                  </th>
                  <td>{u.displayName || <span className="muted">—</span>}</td>
                  <td>{u.disabled ? <Badge kind="danger">{t('staff.disabled')}</Badge> : <Badge kind="ok">{t('staff.active')}</Badge>}</td>
                  <td className="actions">
                    <Button onClick={() => setAction({ kind: 'rename', user: u })} aria-label={t('staff.renameFor', { name: u.username })}>
                      {t('staff.rename')}
                    </Button>
                    <Button onClick={() => setAction({ kind: 'password', user: u })} aria-label={t('staff.resetFor', { name: u.username })}>
                      {t('staff.resetPassword')}
                    </Button>
                    <Button variant={u.disabled ? 'secondary' : 'danger'} onClick={() => setAction({ kind: 'toggle', user: u })} aria-label={t(u.disabled ? 'staff.enableFor' : 'staff.disableFor', { name: u.username })}>
                      {u.disabled ? t('staff.enable') : t('staff.disable')}
                    </Button>
                    <Button variant="danger" onClick={() => setAction({ kind: 'delete', user: u })} aria-label={t('common.deleteNamed', { name: u.username })}>
                      {t('common.delete')}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {action?.kind === 'create' ? <CreateStaffDialog onClose={close} /> : null}
      {action?.kind === 'rename' ? <RenameDialog user={action.user} onClose={close} /> : null}
      {action?.kind === 'password' ? <ResetPasswordDialog user={action.user} onClose={close} /> : null}
      {action?.kind === 'toggle' ? (
        <ConfirmDialog
          title={t(action.user.disabled ? 'staff.enableTitle' : 'staff.disableTitle', { name: action.user.username })}
          confirmLabel={action.user.disabled ? t('staff.enable') : t('staff.disable')}
          danger={!action.user.disabled}
          onConfirm={() => api.getState().setDisabled(action.user.id, !action.user.disabled)}
          onClose={close}
        >
          <p>{t(action.user.disabled ? 'staff.enableText' : 'staff.disableText')}</p>
        </ConfirmDialog>
      ) : null}
      {action?.kind === 'delete' ? (
        <ConfirmDialog title={t('staff.deleteTitle', { name: action.user.username })} confirmLabel={t('common.delete')} danger onConfirm={() => api.getState().remove(action.user.id)} onClose={close}>
          <p>{t('staff.deleteText')}</p>
          <p className="muted">{t('staff.deleteHint')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function CreateStaffDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const api = useFeatureApi('staff');
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [touched, setTouched] = useState(false);
  const { busy, error, run } = useFormAction<void>();
  const server = useServerIssues(error);
  const userProblem = touched ? usernameProblem(username) : null;
  const pwProblem = touched ? passwordProblem(password) : null;

  const submit = () => {
    setTouched(true);
    if (usernameProblem(username) || passwordProblem(password)) return;
    void run(async () => {
      await api.getState().create({ username: username.trim(), displayName: displayName.trim(), password });
      onClose();
    });
  };

  return (
    <FormDialog title={t('staff.addTitle')} onClose={onClose} size="medium" busy={busy} submitLabel={t('staff.add')} onSubmit={submit} done={null}>
      <TextField
        label={t('staff.username')}
        hint={t('staff.namingHint')}
        value={username}
        onChange={(e) => setUsername(e.target.value)}
        autoComplete="off"
        data-autofocus
        placeholder={t('staff.namingExample')}
        error={userProblem ? t(`validation.${userProblem}`) : server.get('username')}
      />
      <TextField label={t('staff.displayName')} value={displayName} onChange={(e) => setDisplayName(e.target.value)} error={server.get('displayName')} maxLength={80} />
      <TextField
        label={t('staff.initialPassword')}
        hint={t('staff.initialPasswordHint')}
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={pwProblem ? t(`validation.${pwProblem}`) : server.get('password')}
      />
      <p className="field-hint">{t('staff.readOnlyFirst')}</p>
      <ErrorNotice error={server.size === 0 ? error : null} />
    </FormDialog>
  );
}

function RenameDialog({ user, onClose }: { user: PublicUser; onClose: () => void }) {
  const { t } = useTranslation();
  const api = useFeatureApi('staff');
  const [name, setName] = useState(user.displayName);
  const { busy, error, run } = useFormAction<void>();
  const server = useServerIssues(error);
  const submit = () =>
    void run(async () => {
      await api.getState().rename(user.id, name.trim());
      onClose();
    });
  return (
    <FormDialog title={t('staff.renameTitle', { name: user.username })} onClose={onClose} busy={busy} submitLabel={t('common.save')} onSubmit={submit} done={null}>
      <TextField label={t('staff.displayName')} value={name} onChange={(e) => setName(e.target.value)} data-autofocus maxLength={80} error={server.get('displayName')} />
      <ErrorNotice error={error} />
    </FormDialog>
  );
}

function ResetPasswordDialog({ user, onClose }: { user: PublicUser; onClose: () => void }) {
  const { t } = useTranslation();
  const api = useFeatureApi('staff');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);
  const { busy, error, result, run } = useFormAction<void>();
  const server = useServerIssues(error);
  const submit = () => {
    setTouched(true);
    if (newPasswordReady(password, confirm)) void run(() => api.getState().resetPassword(user.id, password));
  };
  return (
    <FormDialog
      title={t('staff.resetTitle', { name: user.username })}
      onClose={onClose}
      busy={busy}
      submitLabel={t('staff.resetPassword')}
      onSubmit={submit}
      done={result ? t('staff.resetDone') : null}
    >
      <p>{t('staff.resetText')}</p>
      <NewPasswordFields password={password} confirm={confirm} onPassword={setPassword} onConfirm={setConfirm} touched={touched} serverError={server.get('password')} autoFocus />
      <ErrorNotice error={error} />
    </FormDialog>
  );
}
