import { useTranslation } from 'react-i18next';
import { useFeature, useFeatureApi } from '../../app/services';
import { Notice } from '../../ui/controls';

/** "Your access to … ended": the app closed a store of this person (store-closed events). */
export function ClosedNotices() {
  const { t } = useTranslation();
  const workspace = useFeatureApi('workspace');
  const notices = useFeature('workspace', (s) => s.notices);
  if (notices.length === 0) return null;
  return (
    <div className="notices">
      {notices.map((n) => (
        <Notice key={n.id} kind={n.reason === 'expired' || n.reason === 'revoked' ? 'warning' : 'info'} onDismiss={() => workspace.getState().dismissNotice(n.id)}>
          {t(`closed.${n.reason}`, { store: n.storeName ?? t('closed.unknownStore') })}
        </Notice>
      ))}
    </div>
  );
}
