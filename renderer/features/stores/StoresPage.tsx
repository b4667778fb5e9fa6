// Stores (F1–F3): the registry, with network identity, "open as owner" (the owner signs in to
// the platform once, F4) and deletion that wipes the store's session data.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Store } from '../../../shared/model/store';
import { useFeature, useFeatureApi } from '../../app/services';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Busy, Button, ColourDot, EmptyState, Notice, PageHeader } from '../../ui/controls';
import { useErrorText } from '../../ui/errors';
import { platformName, siteName } from '../../util/catalog';
import { StoreForm } from './StoreForm';

export function StoresPage() {
  const { t, i18n } = useTranslation();
  const api = useFeatureApi('stores');
  const workspace = useFeatureApi('workspace');
  const stores = useFeature('stores', (s) => s.items);
  const loaded = useFeature('stores', (s) => s.loaded);
  const error = useFeature('stores', (s) => s.error);
  const platforms = useFeature('stores', (s) => s.platforms);
  const openBusy = useFeature('workspace', (s) => s.busyStoreId);
  const openErrors = useFeature('workspace', (s) => s.storeErrors);
  const errorText = useErrorText();
  const [editing, setEditing] = useState<Store | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Store | null>(null);

  useEffect(() => {
    void api.getState().load();
  }, [api]);

  const openAsOwner = async (store: Store) => {
    // The workspace list names the store for the tab strip; make sure it knows a new store.
    if (!workspace.getState().stores.some((w) => w.store.id === store.id)) await workspace.getState().load();
    await workspace.getState().openStore(store.id);
  };

  return (
    <section aria-labelledby="stores-title">
      <PageHeader
        title={<span id="stores-title">{t('stores.title')}</span>}
        description={t('stores.intro')}
        actions={
          <Button variant="primary" onClick={() => setEditing('new')}>
            {t('stores.add')}
          </Button>
        }
      />
      {error ? <Notice kind="error">{t('common.loadError', { message: error })}</Notice> : null}
      {!loaded && !error ? (
        <Busy />
      ) : loaded && stores.length === 0 ? (
        <EmptyState title={t('stores.emptyTitle')} action={<Button variant="primary" onClick={() => setEditing('new')}>{t('stores.add')}</Button>}>
          {t('stores.emptyText')}
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('stores.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('stores.name')}</th>
                <th scope="col">
                  {t('stores.platform')} / {t('stores.site')}
                </th>
                <th scope="col">{t('stores.group')}</th>
                <th scope="col">{t('stores.identity')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {stores.map((s) => (
                <tr key={s.id}>
                  <th scope="row" className="store-name-cell">
                    <ColourDot colour={s.colour} /> {s.name}
                    <div className="muted small one-line" title={s.homeUrl}>
                      {s.homeUrl}
                    </div>
                    {openErrors[s.id] ? <div className="field-error" role="alert">{errorText(openErrors[s.id])}</div> : null}
                  </th>
                  <td>
                    {platformName(platforms, s.platformId, i18n.language)}
                    <div className="muted small">{siteName(platforms, s.platformId, s.siteId, i18n.language)}</div>
                  </td>
                  <td>{s.group || <span className="muted">—</span>}</td>
                  <td className="small">
                    {s.proxy ? <div>{t('stores.viaProxy', { proxy: `${s.proxy.scheme}://${s.proxy.host}:${s.proxy.port}` })}</div> : <div className="muted">{t('stores.direct')}</div>}
                    {s.userAgent ? <div>{t('stores.customUa')}</div> : null}
                    {s.acceptLanguage ? <div>{t('stores.languageIs', { lang: s.acceptLanguage })}</div> : null}
                  </td>
                  <td className="actions">
                    <Button busy={openBusy === s.id} onClick={() => void openAsOwner(s)} aria-label={t('stores.openAsOwnerFor', { name: s.name })}>
                      {t('stores.openAsOwner')}
                    </Button>
                    <Button onClick={() => setEditing(s)} aria-label={t('common.editNamed', { name: s.name })}>
                      {t('common.edit')}
                    </Button>
                    <Button variant="danger" onClick={() => setDeleting(s)} aria-label={t('common.deleteNamed', { name: s.name })}>
                      {t('common.delete')}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing ? <StoreForm store={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
      {deleting ? (
        <ConfirmDialog
          title={t('stores.deleteTitle', { name: deleting.name })}
          confirmLabel={t('stores.deleteConfirm')}
          danger
          onConfirm={() => api.getState().remove(deleting.id)}
          onClose={() => setDeleting(null)}
        >
          <p>{t('stores.deleteWipes')}</p>
          <p>{t('stores.deleteAssignments')}</p>
          <p className="muted">{t('stores.deleteLogKept')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
