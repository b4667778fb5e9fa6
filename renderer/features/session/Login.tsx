// Sign-in (F6, F7): pick who you are, type your password. Wrong password, lockout (with the time
// it ends) and disabled accounts each get their own message.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useFeature, useFeatureApi } from '../../app/services';
import { Button, Notice, SelectField, TextField } from '../../ui/controls';
import { ErrorNotice } from '../../ui/errors';
import { LanguageSelect } from '../../ui/LanguageSelect';

export function Login() {
  const { t } = useTranslation();
  const session = useFeatureApi('session');
  const users = useFeature('session', (s) => s.users);
  const notice = useFeature('session', (s) => s.notice);
  const lastUser = useFeature('session', (s) => s.lastUser);
  const [username, setUsername] = useState(() => (lastUser && users.some((u) => u.username === lastUser) ? lastUser : (users[0]?.username ?? '')));
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!users.some((u) => u.username === username) && users.length > 0) setUsername(lastUser && users.some((u) => u.username === lastUser) ? lastUser : users[0]!.username);
  }, [users, username, lastUser]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!username || !password) return;
    setBusy(true);
    setError(null);
    try {
      await session.getState().login(username, password);
    } catch (e) {
      setError(e);
      setPassword('');
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
        <h1>{t('login.title')}</h1>
        {notice ? (
          <Notice kind={notice === 'idle-lock' ? 'info' : 'warning'} onDismiss={() => session.getState().clearNotice()}>
            {t(`login.notice.${notice}`)}
          </Notice>
        ) : null}
        <form onSubmit={submit} noValidate>
          {users.length > 0 ? (
            <SelectField label={t('login.user')} value={username} onChange={(e) => setUsername(e.target.value)}>
              {users.map((u) => (
                <option key={u.id} value={u.username}>
                  {u.displayName ? `${u.displayName} (${u.username})` : u.username}
                  {u.kind === 'owner' ? ` — ${t('common.owner')}` : ''}
                </option>
              ))}
            </SelectField>
          ) : (
            <TextField label={t('login.user')} value={username} autoComplete="username" onChange={(e) => setUsername(e.target.value)} />
          )}
          <TextField
            label={t('login.password')}
            type="password"
            value={password}
            autoComplete="current-password"
            required
            autoFocus
            onChange={(e) => setPassword(e.target.value)}
          />
          <ErrorNotice error={error} />
          <Button type="submit" variant="primary" busy={busy} disabled={!username || !password} className="btn-block">
            {t('login.submit')}
          </Button>
        </form>
      </div>
    </main>
  );
}
