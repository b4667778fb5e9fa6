// The staff member's screen (F5, F9, F17): the stores assigned to them now, with platform, site,
// role and when access ends; open one; approvals waiting for the owner.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StepUpRequest, WorkspaceStore } from '../../../shared/ipc/contract';
import { useFeature, useFeatureApi, useServices } from '../../app/services';
import { Badge, Busy, Button, ColourDot, EmptyState, Notice, PageHeader } from '../../ui/controls';
import { useErrorText } from '../../ui/errors';
import { platformName, roleName as displayRoleName, siteName } from '../../util/catalog';
import { formatDateTime, formatRelative } from '../../util/format';
import { useTick } from '../../util/useTick';
import { ClosedNotices } from './ClosedNotices';
import { StepUpDialog } from './StepUpDialog';

const SOON_MS = 3 * 86_400_000;

export function StaffWorkspace() {
  const { t } = useTranslation();
  const { now } = useServices();
  const workspace = useFeatureApi('workspace');
  const all = useFeature('workspace', (s) => s.stores);
  // Relative expiry texts stay current, and access that ends while the list is on screen leaves it.
  useTick(30_000);
  const at = now();
  const stores = all.filter((w) => w.validUntil === null || w.validUntil > at);
  const loaded = useFeature('workspace', (s) => s.loaded);
  const error = useFeature('workspace', (s) => s.error);

  useEffect(() => {
    void workspace.getState().load();
    void workspace.getState().loadStepUps();
  }, [workspace]);

  return (
    <main className="workspace" id="main">
      <PageHeader title={t('workspace.title')} description={t('workspace.intro')} />
      <ClosedNotices />
      <StepUps />
      {error ? <Notice kind="error">{t('workspace.loadError', { message: error })}</Notice> : null}
      {!loaded && !error ? (
        <Busy />
      ) : stores.length === 0 && loaded ? (
        <EmptyState title={t('workspace.emptyTitle')}>{t('workspace.emptyText')}</EmptyState>
      ) : (
        <ul className="store-cards">
          {stores.map((w) => (
            <StoreCard key={w.store.id} item={w} />
          ))}
        </ul>
      )}
    </main>
  );
}

function StoreCard({ item }: { item: WorkspaceStore }) {
  const { t, i18n } = useTranslation();
  const { now } = useServices();
  const workspace = useFeatureApi('workspace');
  const platforms = useFeature('stores', (s) => s.platforms);
  const busy = useFeature('workspace', (s) => s.busyStoreId === item.store.id);
  const isOpen = useFeature('workspace', (s) => s.open.some((o) => o.storeId === item.store.id));
  const failure = useFeature('workspace', (s) => s.storeErrors[item.store.id]);
  const errorText = useErrorText();
  const { store, roleName, validUntil } = item;
  const left = validUntil === null ? null : validUntil - now();
  const titleId = `store-${store.id}-title`;
  return (
    <li className="store-card" aria-labelledby={titleId}>
      <div className="store-card-stripe" style={{ backgroundColor: store.colour }} aria-hidden="true" />
      <div className="store-card-body">
        <h2 id={titleId} className="store-card-title">
          <ColourDot colour={store.colour} />
          {store.name}
        </h2>
        <p className="store-card-meta">
          {platformName(platforms, store.platformId, i18n.language)} · {siteName(platforms, store.platformId, store.siteId, i18n.language)}
          {store.group ? ` · ${store.group}` : ''}
        </p>
        <p className="store-card-role">
          {t('workspace.role')}
          {t('common.colon')}
          <strong>{displayRoleName(roleName, i18n.language)}</strong>
        </p>
        <p className="store-card-expiry">
          {validUntil === null ? (
            <span className="muted">{t('workspace.noEnd')}</span>
          ) : (
            <Badge kind={left !== null && left < SOON_MS ? 'warn' : 'neutral'}>
              <span title={formatDateTime(validUntil, i18n.language)}>{t('workspace.endsIn', { when: formatRelative(validUntil, now(), i18n.language) })}</span>
            </Badge>
          )}
        </p>
        {failure ? <p className="field-error" role="alert">{errorText(failure)}</p> : null}
      </div>
      <div className="store-card-actions">
        <Button variant="primary" busy={busy} onClick={() => void workspace.getState().openStore(store.id)} aria-describedby={titleId}>
          {isOpen ? t('workspace.show') : t('workspace.open')}
        </Button>
      </div>
    </li>
  );
}

/** Pending approvals; a new one opens its dialog at once. */
function StepUps() {
  const { t, i18n } = useTranslation();
  const requests = useFeature('workspace', (s) => s.stepUps);
  const [current, setCurrent] = useState<StepUpRequest | null>(null);
  const [deferred, setDeferred] = useState<ReadonlySet<string>>(new Set());

  useEffect(() => {
    if (current && !requests.some((r) => r.id === current.id)) return;
    if (!current) {
      const next = requests.find((r) => !deferred.has(r.id));
      if (next) setCurrent(next);
    }
  }, [requests, current, deferred]);

  if (requests.length === 0 && !current) return null;
  return (
    <section className="panel" aria-labelledby="step-ups-title">
      <h2 id="step-ups-title">{t('stepUp.pendingTitle')}</h2>
      {requests.length === 0 ? (
        <p className="muted">{t('stepUp.noneWaiting')}</p>
      ) : (
        <ul className="plain-list">
          {requests.map((r) => (
            <li key={r.id} className="row-between">
              <span>
                <span className="mono break">{r.url}</span>
                <span className="muted"> · {formatDateTime(r.at, i18n.language)}</span>
              </span>
              <Button onClick={() => setCurrent(r)}>{t('stepUp.review')}</Button>
            </li>
          ))}
        </ul>
      )}
      {current ? (
        <StepUpDialog
          key={current.id}
          request={current}
          onClose={() => {
            setDeferred(new Set([...deferred, current.id]));
            setCurrent(null);
          }}
        />
      ) : null}
    </section>
  );
}
