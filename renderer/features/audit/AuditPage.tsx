// "Audit you can trust" (issue #5): alerts, access review, retention and signed bundles on one
// owner page, one tab each (alerts first: they are what needs the owner now).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFeature, useFeatureApi } from '../../app/services';
import { PageHeader } from '../../ui/controls';
import { Tabs } from '../../ui/Tabs';
import { AlertsPanel } from './AlertsPanel';
import { BundlesPanel } from './BundlesPanel';
import { RetentionPanel } from './RetentionPanel';
import { ReviewPanel } from './ReviewPanel';

const SECTIONS = ['alerts', 'review', 'retention', 'bundles'] as const;
type Section = (typeof SECTIONS)[number];

export function AuditPage() {
  const { t } = useTranslation();
  const [section, setSection] = useState<Section>('alerts');
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
      <Tabs label={t('audit.sections')} tabs={SECTIONS.map((id) => ({ id, label: t(`audit.${id}.title`) }))} active={section} onChange={(id) => setSection(id as Section)}>
        {section === 'alerts' ? <AlertsPanel names={names} /> : null}
        {section === 'review' ? <ReviewPanel /> : null}
        {section === 'retention' ? <RetentionPanel /> : null}
        {section === 'bundles' ? <BundlesPanel /> : null}
      </Tabs>
    </section>
  );
}
