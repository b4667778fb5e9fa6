// Browser buttons and address of the store in front (F5). The store's own window (system
// browser) or tab (Electron) has no toolbar of its own, so the console carries one; every
// navigation it starts passes the guard like any other.
import { useTranslation } from 'react-i18next';
import type { StoreNavigation } from '../../../shared/ipc/contract';
import { useFeature, useFeatureApi } from '../../app/services';

const BUTTONS: readonly { action: StoreNavigation; glyph: string }[] = [
  { action: 'back', glyph: '←' },
  { action: 'forward', glyph: '→' },
  { action: 'reload', glyph: '⟳' },
  { action: 'home', glyph: '⌂' },
];

export function StoreNavBar({ storeId, label }: { storeId: string; label: string }) {
  const { t } = useTranslation();
  const workspace = useFeatureApi('workspace');
  const location = useFeature('workspace', (s) => s.locations[storeId]);
  const enabled = (action: StoreNavigation) =>
    action === 'back' ? !!location?.canGoBack : action === 'forward' ? !!location?.canGoForward : true;
  return (
    <div className="store-nav" role="toolbar" aria-label={t('tabs.navigation', { store: label })}>
      {BUTTONS.map(({ action, glyph }) => (
        <button
          key={action}
          type="button"
          className="store-nav-button"
          aria-label={t(`tabs.${action}`)}
          title={t(`tabs.${action}`)}
          disabled={!enabled(action)}
          onClick={() => void workspace.getState().navigate(storeId, action)}
        >
          <span aria-hidden="true">{glyph}</span>
        </button>
      ))}
      <input
        className="store-nav-address mono"
        readOnly
        aria-label={t('tabs.address')}
        value={location?.url ?? ''}
        placeholder={t('tabs.loading')}
        title={location?.title || location?.url || ''}
      />
    </div>
  );
}
