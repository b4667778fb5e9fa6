// The console: first-run setup, login, then the owner console or the staff workspace under the
// top strip. Events the host pushes are routed to the feature stores.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { OwnerConsole } from '../features/owner/OwnerConsole';
import { Login } from '../features/session/Login';
import { SetupOwner } from '../features/session/SetupOwner';
import { useIdleLock } from '../features/session/useIdleLock';
import { StaffWorkspace } from '../features/workspace/StaffWorkspace';
import { toUiLanguage } from '../i18n';
import { resetFeatureStores, routeEvent } from '../state';
import { Busy, Button, Notice } from '../ui/controls';
import { useFeature, useServices } from './services';
import { TopBar } from './TopBar';

export function App() {
  const { client, stores } = useServices();
  const { i18n } = useTranslation();
  const phase = useFeature('session', (s) => s.phase);
  const language = toUiLanguage(i18n.language) ?? 'en';

  // The host's own pages (a blocked store page) speak the console's language.
  useEffect(() => {
    client.call('app:language', { language }).catch(() => {});
  }, [client, language]);

  useEffect(() => {
    void stores.session.getState().load();
    return client.onEvent((event) => routeEvent(stores, event));
  }, [client, stores]);

  useEffect(() => {
    if (phase === 'login' || phase === 'setup') resetFeatureStores(stores);
  }, [phase, stores]);

  switch (phase) {
    case 'loading':
      return (
        <main className="auth-screen">
          <Busy />
        </main>
      );
    case 'unreachable':
      return <Unreachable />;
    case 'setup':
      return <SetupOwner />;
    case 'login':
      return <Login />;
    case 'signed-in':
      return <SignedIn />;
  }
}

function Unreachable() {
  const { t } = useTranslation();
  const { stores } = useServices();
  const message = useFeature('session', (s) => s.loadError);
  return (
    <main className="auth-screen">
      <div className="auth-card">
        <p className="brand">ShopWarden</p>
        <h1>{t('app.unreachableTitle')}</h1>
        <Notice kind="error">{message}</Notice>
        <Button variant="primary" onClick={() => void stores.session.getState().load()}>
          {t('common.retry')}
        </Button>
      </div>
    </main>
  );
}

function SignedIn() {
  const { t } = useTranslation();
  const { stores, now } = useServices();
  const kind = useFeature('session', (s) => s.session?.user.kind);
  const userId = useFeature('session', (s) => s.session?.user.id);
  const idleMinutes = useFeature('session', (s) => s.settings?.idleLockMinutes);
  const storeActivity = useFeature('session', (s) => s.storeActivity);
  const idle = useIdleLock(idleMinutes, () => void stores.session.getState().logout('idle-lock'), now, storeActivity);

  useEffect(() => {
    void stores.stores.getState().loadPlatforms();
  }, [stores]);

  return (
    <div className="app" key={userId}>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <TopBar idleRemaining={idle.remaining} onStay={idle.stay} />
      {kind === 'owner' ? <OwnerConsole /> : <StaffWorkspace />}
    </div>
  );
}
