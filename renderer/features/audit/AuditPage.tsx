// "Audit you can trust" (issue #5): access review, alerts, retention and signed bundles on one
// owner page, one section each.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useFeature, useFeatureApi } from '../../app/services';
import { PageHeader } from '../../ui/controls';
import { AlertsPanel } from './AlertsPanel';
import { BundlesPanel } from './BundlesPanel';
import { RetentionPanel } from './RetentionPanel';
import { ReviewPanel } from './ReviewPanel';

export function AuditPage() {
  const { t } = useTranslation();
  const staff = useFeatureApi('staff');
  const stores = useFeatureApi('stores');
  const staffItems = useFeature('staff', (s) => s.items);
  const storeItems = useFeature('stores', (s) => s.items);

  useEffect(() => {
    void staff.getState().refresh();
    void stores.getState().refresh();
  }, [staff, stores]);

  const names = (id: string | null): string => {
    if (id === null) return '—';
    const user = staffItems.find((u) => u.id === id);
    if (user) return user.displayName || user.username;
    return storeItems.find((s) => s.id === id)?.name ?? id;
  };

  return (
    <section>
      <PageHeader title={t('audit.title')} description={t('audit.intro')} />
      <AlertsPanel names={names} />
      <ReviewPanel />
      <RetentionPanel />
      <BundlesPanel />
    </section>
  );
}
