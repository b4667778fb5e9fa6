// First run (F6): the owner account, with a strong password, before anything else.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useFeatureApi } from '../../app/services';
import { Button, TextField } from '../../ui/controls';
import { ErrorNotice, useServerIssues } from '../../ui/errors';
import { LanguageSelect } from '../../ui/LanguageSelect';
import { passwordProblem, usernameProblem } from './validation';

export function SetupOwner() {
  const { t } = useTranslation();
  const session = useFeatureApi('session');
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const server = useServerIssues(error);
  const userError = touched ? usernameProblem(username) : null;
  const passwordError = touched ? passwordProblem(password) : null;
  const confirmError = touched && confirm !== password ? 'mismatch' : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (usernameProblem(username) || passwordProblem(password) || confirm !== password) return;
    setBusy(true);
    setError(null);
    try {
      await session.getState().setupOwner({ username: username.trim(), password, displayName: displayName.trim() });
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <main className="auth-screen">
      <div className="auth-card">
        <div className="auth-top">
          <p className="brand">ShopWarden</p>
          <LanguageSelect compact />
        </div>
        <h1>{t('setup.title')}</h1>
        <p className="muted">{t('setup.intro')}</p>
        <form onSubmit={submit} noValidate>
          <TextField
            label={t('setup.username')}
            hint={t('setup.usernameHint')}
            value={username}
            autoComplete="username"
            required
            autoFocus
            onChange={(e) => setUsername(e.target.value)}
            error={userError ? t(`validation.${userError}`) : server.get('username')}
          />
          <TextField label={t('setup.displayName')} value={displayName} autoComplete="name" onChange={(e) => setDisplayName(e.target.value)} error={server.get('displayName')} />
          <TextField
            label={t('setup.password')}
            hint={t('validation.passwordHint')}
            type="password"
            value={password}
            autoComplete="new-password"
            required
            onChange={(e) => setPassword(e.target.value)}
            error={passwordError ? t(`validation.${passwordError}`) : server.get('password')}
          />
          <TextField
            label={t('setup.confirm')}
            type="password"
            value={confirm}
            autoComplete="new-password"
            required
            onChange={(e) => setConfirm(e.target.value)}
            error={confirmError ? t('validation.mismatch') : undefined}
          />
          <ErrorNotice error={server.size === 0 ? error : null} />
          <Button type="submit" variant="primary" busy={busy} className="btn-block">
            {t('setup.submit')}
          </Button>
        </form>
      </div>
    </main>
  );
}
