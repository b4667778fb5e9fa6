// The strip at the top of the window (88 px, the height the Electron host leaves above a store
// tab): who is signed in, language, sign-out and the idle-lock warning, then the open stores.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ChangePasswordDialog } from '../features/session/ChangePasswordDialog';
import { TabStrip } from '../features/workspace/TabStrip';
import { Button } from '../ui/controls';
import { LanguageSelect } from '../ui/LanguageSelect';
import { useFeature, useFeatureApi } from './services';

export function TopBar({ idleRemaining, onStay }: { idleRemaining: number | null; onStay: () => void }) {
  const { t } = useTranslation();
  const session = useFeatureApi('session');
  const user = useFeature('session', (s) => s.session?.user ?? null);
  const [changing, setChanging] = useState(false);
  if (!user) return null;
  return (
    <header className="topbar">
      <div className="topbar-row">
        <span className="brand">ShopWarden</span>
        <span className="topbar-user">
          <span className="topbar-name">{user.displayName || user.username}</span>
          <span className={`badge ${user.kind === 'owner' ? 'badge-info' : 'badge-neutral'}`}>{user.kind === 'owner' ? t('common.owner') : t('common.staff')}</span>
        </span>
        {idleRemaining !== null ? (
          <span className="idle-warning" role="alert">
            {t('idle.warning', { seconds: Math.ceil(idleRemaining / 1000) })}
            <Button variant="primary" onClick={onStay}>
              {t('idle.stay')}
            </Button>
          </span>
        ) : null}
        <span className="topbar-actions">
          <LanguageSelect compact />
          <Button variant="ghost" onClick={() => setChanging(true)}>
            {t('password.open')}
          </Button>
          <Button variant="ghost" onClick={() => void session.getState().logout()}>
            {t('common.signOut')}
          </Button>
        </span>
      </div>
      <TabStrip />
      {changing ? <ChangePasswordDialog onClose={() => setChanging(false)} /> : null}
    </header>
  );
}
