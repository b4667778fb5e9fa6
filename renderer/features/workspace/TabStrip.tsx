// The open stores (F5): each labelled with store and site, with a close button, and the browser
// buttons of the one in front. In Electron the host shows the store below this strip as a tab of
// the window; clicking a tab brings it to the front (workspace:open-store focuses an open
// store), the × closes it.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useServices, useFeature, useFeatureApi } from '../../app/services';
import { siteName } from '../../util/catalog';
import { Button, ColourDot } from '../../ui/controls';
import { StoreNavBar } from './StoreNavBar';

export function TabStrip() {
  const { t, i18n } = useTranslation();
  const { host } = useServices();
  const workspace = useFeatureApi('workspace');
  const open = useFeature('workspace', (s) => s.open);
  const busy = useFeature('workspace', (s) => s.busyStoreId);
  const waiting = useFeature('workspace', (s) => s.stepUps.length);
  const platforms = useFeature('stores', (s) => s.platforms);
  const front = useFeature('workspace', (s) => s.front);
  const labelOf = (tab: (typeof open)[number]) => `${tab.name} · ${siteName(platforms, tab.platformId, tab.siteId, i18n.language)}`;
  const frontTab = open.find((tab) => tab.storeId === front);
  // Stores the host still has open come back as tabs after the console reloads, for owner and staff.
  useEffect(() => {
    if (!workspace.getState().loaded) void workspace.getState().load();
  }, [workspace]);

  return (
    <nav className="tab-strip" aria-label={t('tabs.label')}>
      {open.length === 0 ? (
        <span className="tab-strip-empty">{t('tabs.none')}</span>
      ) : (
        <ul className="tabs">
          {open.map((tab) => {
            const label = labelOf(tab);
            return (
              <li key={tab.storeId} className={tab.storeId === front ? 'tab tab-front' : 'tab'} aria-current={tab.storeId === front ? 'true' : undefined}>
                <button type="button" className="tab-open" onClick={() => void workspace.getState().openStore(tab.storeId)} disabled={busy === tab.storeId} title={t('tabs.show', { store: label })}>
                  <ColourDot colour={tab.colour} />
                  <span className="tab-label">{label}</span>
                </button>
                <button
                  type="button"
                  className="tab-close"
                  aria-label={t('tabs.close', { store: label })}
                  title={t('tabs.close', { store: label })}
                  disabled={busy === tab.storeId}
                  onClick={() => void workspace.getState().closeStore(tab.storeId)}
                >
                  ×
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {frontTab ? <StoreNavBar storeId={frontTab.storeId} label={labelOf(frontTab)} /> : null}
      <span className="tab-strip-side">
        {waiting > 0 ? <span className="badge badge-warn">{t('tabs.approvalWaiting', { count: waiting })}</span> : null}
        {host === 'electron' && open.length > 0 ? (
          <Button title={t('tabs.consoleShortcut')} onClick={() => void workspace.getState().showConsole()}>
            {t('tabs.showConsole')}
          </Button>
        ) : null}
      </span>
    </nav>
  );
}
