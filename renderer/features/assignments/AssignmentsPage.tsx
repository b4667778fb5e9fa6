// Assignments (F9, F10): the staff × store matrix. Each cell names the role and the validity;
// activating it edits that one assignment.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublicUser } from '../../../shared/ipc/contract';
import type { Assignment } from '../../../shared/model/assignment';
import type { Store } from '../../../shared/model/store';
import { useFeature, useFeatureApi, useServices } from '../../app/services';
import { Busy, Button, ColourDot, EmptyState, Notice, PageHeader } from '../../ui/controls';
import { roleName as displayRoleName, siteName } from '../../util/catalog';
import { formatDate, formatDateTime } from '../../util/format';
import { useTick } from '../../util/useTick';
import { AssignmentDialog } from './AssignmentDialog';
import { ApplyRoleDialog, CopyAssignmentsDialog } from './BulkDialogs';

type Cell = { staff: PublicUser; store: Store; existing: Assignment | null };

export function AssignmentsPage() {
  const { t, i18n } = useTranslation();
  const { now } = useServices();
  const storesApi = useFeatureApi('stores');
  const staffApi = useFeatureApi('staff');
  const rolesApi = useFeatureApi('roles');
  const api = useFeatureApi('assignments');
  const stores = useFeature('stores', (s) => s.items);
  const staff = useFeature('staff', (s) => s.items);
  const roles = useFeature('roles', (s) => s.items);
  const assignments = useFeature('assignments', (s) => s.items);
  const platforms = useFeature('stores', (s) => s.platforms);
  const storesLoaded = useFeature('stores', (s) => s.loaded);
  const staffLoaded = useFeature('staff', (s) => s.loaded);
  const rolesLoaded = useFeature('roles', (s) => s.loaded);
  const assignmentsLoaded = useFeature('assignments', (s) => s.loaded);
  const allLoaded = storesLoaded && staffLoaded && rolesLoaded && assignmentsLoaded;
  const error = useFeature('assignments', (s) => s.error);
  const [cell, setCell] = useState<Cell | null>(null);
  const [bulk, setBulk] = useState<'copy' | 'apply' | null>(null);

  useEffect(() => {
    void storesApi.getState().load();
    void staffApi.getState().load();
    void rolesApi.getState().load();
    void api.getState().load();
  }, [storesApi, staffApi, rolesApi, api]);

  const byPair = useMemo(() => new Map(assignments.map((a) => [`${a.staffId}/${a.storeId}`, a])), [assignments]);
  const roleName = (id: string) => {
    const role = roles.find((r) => r.id === id);
    return role ? displayRoleName(role.name, i18n.language) : id;
  };
  // "Starts…" and "Until…" turn into access and "Ended" while the page is on screen.
  useTick(30_000);
  const at = now();

  const status = (a: Assignment): { text: string; kind: 'expired' | 'future' | 'until' | 'open' } => {
    if (a.validUntil !== null && a.validUntil <= at) return { text: t('assignments.expired'), kind: 'expired' };
    if (a.validFrom !== null && a.validFrom > at) return { text: t('assignments.startsOn', { date: formatDate(a.validFrom, i18n.language) }), kind: 'future' };
    if (a.validUntil !== null) return { text: t('assignments.until', { date: formatDate(a.validUntil, i18n.language) }), kind: 'until' };
    return { text: t('assignments.noEnd'), kind: 'open' };
  };

  return (
    <section>
      <PageHeader
        title={t('assignments.title')}
        description={t('assignments.intro')}
        actions={
          <>
            <Button onClick={() => setBulk('copy')} disabled={stores.length < 2}>
              {t('assignments.copy')}
            </Button>
            <Button variant="primary" onClick={() => setBulk('apply')} disabled={stores.length === 0 || staff.length === 0 || roles.length === 0}>
              {t('assignments.apply')}
            </Button>
          </>
        }
      />
      {error ? <Notice kind="error">{t('common.loadError', { message: error })}</Notice> : null}
      {!allLoaded && !error ? (
        <Busy />
      ) : stores.length === 0 || staff.length === 0 ? (
        <EmptyState title={t('assignments.emptyTitle')}>{stores.length === 0 ? t('assignments.needStores') : t('assignments.needStaff')}</EmptyState>
      ) : (
        <div className="table-wrap matrix-wrap" tabIndex={0} role="region" aria-label={t('assignments.matrix')}>
          <table className="table matrix">
            <caption className="visually-hidden">{t('assignments.matrix')}</caption>
            <thead>
              <tr>
                <th scope="col" className="matrix-corner">
                  {t('assignments.staff')}
                </th>
                {stores.map((s) => (
                  <th scope="col" key={s.id} className="matrix-store">
                    <ColourDot colour={s.colour} /> {s.name}
                    <div className="muted small">{siteName(platforms, s.platformId, s.siteId, i18n.language)}</div>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {staff.map((u) => (
                <tr key={u.id} className={u.disabled ? 'row-muted' : undefined}>
                  <th scope="row" className="matrix-staff">
                    {u.displayName ? (
                      <>
                        {u.displayName}
                        <div className="muted small mono">{u.username}</div>
                      </>
                    ) : (
                      <span className="mono">{u.username}</span>
                    )}
                  </th>
                  {stores.map((s) => {
                    const a = byPair.get(`${u.id}/${s.id}`) ?? null;
                    const st = a ? status(a) : null;
                    const label = a
                      ? t('assignments.cellLabel', { staff: u.username, store: s.name, role: roleName(a.roleId), status: st!.text })
                      : t('assignments.cellLabelNone', { staff: u.username, store: s.name });
                    return (
                      <td key={s.id} className="matrix-cell">
                        <button type="button" className={`cell-button${a ? ` cell-${st!.kind}` : ' cell-empty'}`} aria-label={label} title={a?.validUntil ? formatDateTime(a.validUntil, i18n.language) : undefined} onClick={() => setCell({ staff: u, store: s, existing: a })}>
                          {a ? (
                            <>
                              <span className="cell-role">{roleName(a.roleId)}</span>
                              <span className="cell-status">{st!.text}</span>
                            </>
                          ) : (
                            <span aria-hidden="true">—</span>
                          )}
                        </button>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cell ? <AssignmentDialog staff={cell.staff} store={cell.store} existing={cell.existing} roles={roles} onClose={() => setCell(null)} /> : null}
      {bulk === 'copy' ? <CopyAssignmentsDialog stores={stores} onClose={() => setBulk(null)} /> : null}
      {bulk === 'apply' ? <ApplyRoleDialog stores={stores} staff={staff.filter((u) => !u.disabled)} roles={roles} onClose={() => setBulk(null)} /> : null}
    </section>
  );
}
