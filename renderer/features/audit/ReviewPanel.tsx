// Access review (F23): per staff member, what they were granted against what they used, with
// the core's suggestions applied one click at a time (each change is logged by the core), and
// the review exported as CSV or as a printable page.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { OTHER_MODULE, type AccessSuggestion, type StaffReview } from '../../../shared/ipc/trust';
import { useFeature, useFeatureApi } from '../../app/services';
import { Badge, Button, EmptyState, SelectField } from '../../ui/controls';
import { ErrorNotice } from '../../ui/errors';
import { FileWrittenNotice } from '../../ui/RevealFileButton';
import { moduleName, roleName } from '../../util/catalog';
import { formatDate, formatDateTime, formatList } from '../../util/format';
import type { ReviewFormat } from '../../state/audit';

const WINDOWS = [7, 30, 90, 180] as const;
const DAY = 86_400_000;
/** "Renew" extends an expiring access by this much from its current end. */
export const RENEW_DAYS = 90;

export function ReviewPanel() {
  const { t } = useTranslation();
  const audit = useFeatureApi('audit');
  const review = useFeature('audit', (s) => s.review);
  const days = useFeature('audit', (s) => s.reviewDays);
  const loading = useFeature('audit', (s) => s.reviewLoading);
  const error = useFeature('audit', (s) => s.reviewError);
  const [exported, setExported] = useState<{ path: string; fileName: string } | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [exporting, setExporting] = useState<ReviewFormat | null>(null);

  useEffect(() => {
    void audit.getState().loadReview();
  }, [audit]);

  const exportAs = async (format: ReviewFormat) => {
    setExporting(format);
    setActionError(null);
    setExported(null);
    try {
      const file = await audit.getState().exportReview(format, Intl.DateTimeFormat().resolvedOptions().timeZone);
      setExported(file);
    } catch (e) {
      setActionError(e);
    } finally {
      setExporting(null);
    }
  };

  return (
    <section className="panel" aria-labelledby="review-title">
      <h2 id="review-title">{t('audit.review.title')}</h2>
      <p className="field-hint">{t('audit.review.intro')}</p>
      <div className="toolbar">
        <SelectField label={t('audit.review.window')} value={String(days)} onChange={(e) => void audit.getState().loadReview(Number(e.target.value))}>
          {WINDOWS.map((d) => (
            <option key={d} value={d}>
              {t('audit.review.lastDays', { days: d })}
            </option>
          ))}
        </SelectField>
        <Button onClick={() => void audit.getState().loadReview()} busy={loading}>
          {t('audit.refresh')}
        </Button>
        <Button onClick={() => void exportAs('csv')} busy={exporting === 'csv'}>
          {t('audit.review.exportCsv')}
        </Button>
        <Button onClick={() => void exportAs('html')} busy={exporting === 'html'}>
          {t('audit.review.exportPrintable')}
        </Button>
      </div>
      {exported ? <FileWrittenNotice text={t('audit.exportedTo', { file: exported.path })} folder="exports" fileName={exported.fileName} /> : null}
      <ErrorNotice error={error ?? actionError} />
      {review === null ? null : review.staff.length === 0 ? (
        <EmptyState title={t('audit.review.noStaff')} />
      ) : (
        review.staff.map((staff) => <StaffBlock key={staff.staffId} staff={staff} days={review.windowDays} onError={setActionError} />)
      )}
    </section>
  );
}

function StaffBlock({ staff, days, onError }: { staff: StaffReview; days: number; onError: (e: unknown) => void }) {
  const { t, i18n } = useTranslation();
  const platforms = useFeature('stores', (s) => s.platforms);
  const name = staff.displayName ? `${staff.displayName} (${staff.username})` : staff.username;
  return (
    <article className="review-staff" aria-labelledby={`review-${staff.staffId}`}>
      <h3 id={`review-${staff.staffId}`}>
        {name} {staff.disabled ? <Badge>{t('audit.review.disabled')}</Badge> : null}
      </h3>
      <p className="field-hint">{staff.lastActivity === null ? t('audit.review.neverActive') : t('audit.review.lastActivity', { time: formatDateTime(staff.lastActivity, i18n.language) })}</p>
      {staff.assignments.length === 0 ? (
        <p>{t('audit.review.noAssignments')}</p>
      ) : (
        <table className="grid-table">
          <caption className="visually-hidden">{t('audit.review.assignmentsOf', { name })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('audit.review.col.store')}</th>
              <th scope="col">{t('audit.review.col.role')}</th>
              <th scope="col">{t('audit.review.col.status')}</th>
              <th scope="col">{t('audit.review.col.lastUsed')}</th>
              <th scope="col">{t('audit.review.col.modules')}</th>
            </tr>
          </thead>
          <tbody>
            {staff.assignments.map((a) => (
              <tr key={a.assignmentId}>
                <td>{a.storeName}</td>
                <td>{roleName(a.roleName, i18n.language)}</td>
                <td>{t(`audit.review.status.${a.status}`)}</td>
                <td>{a.lastUsed === null ? t('audit.review.never') : formatDate(a.lastUsed, i18n.language)}</td>
                <td>
                  {formatList(
                    a.modules.map((m) => t('audit.review.moduleUse', { module: m.module === OTHER_MODULE ? t('roles.otherPages') : moduleName(platforms, m.module, i18n.language), level: t(`level.${m.granted}`), reads: m.navigations, changes: m.mutations })),
                    i18n.language,
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {staff.suggestions.length === 0 ? (
        <p className="field-hint">{t('audit.review.noSuggestions')}</p>
      ) : (
        <ul className="suggestions" aria-label={t('audit.review.suggestionsOf', { name })}>
          {staff.suggestions.map((s) => (
            <Suggestion key={s.id} suggestion={s} staff={staff} days={days} onError={onError} />
          ))}
        </ul>
      )}
    </article>
  );
}

function Suggestion({ suggestion, staff, days, onError }: { suggestion: AccessSuggestion; staff: StaffReview; days: number; onError: (e: unknown) => void }) {
  const { t, i18n } = useTranslation();
  const audit = useFeatureApi('audit');
  const busy = useFeature('audit', (s) => s.applying.includes(suggestion.id));
  const store = staff.assignments.find((a) => a.assignmentId === suggestion.assignmentId)?.storeName ?? suggestion.storeId;
  const text =
    suggestion.kind === 'downgrade'
      ? t('audit.review.suggest.downgrade', { modules: formatList(suggestion.modules, i18n.language), store, days })
      : suggestion.kind === 'revoke'
        ? t('audit.review.suggest.revoke', { store, days })
        : suggestion.kind === 'expiring'
          ? t('audit.review.suggest.expiring', { store, date: formatDate(suggestion.validUntil, i18n.language) })
          : t('audit.review.suggest.remove-expired', { store, date: formatDate(suggestion.validUntil, i18n.language) });

  const apply = async (choice?: { action: 'renew'; validUntil: number } | { action: 'end' }) => {
    onError(null);
    try {
      await audit.getState().applySuggestion(suggestion.id, choice);
    } catch (e) {
      onError(e);
    }
  };

  return (
    <li className="suggestion">
      <span>{text}</span>{' '}
      {suggestion.kind === 'expiring' ? (
        <>
          <Button busy={busy} onClick={() => void apply({ action: 'renew', validUntil: suggestion.validUntil + RENEW_DAYS * DAY })} aria-label={`${t('audit.review.renew', { days: RENEW_DAYS })}: ${text}`}>
            {t('audit.review.renew', { days: RENEW_DAYS })}
          </Button>{' '}
          <Button busy={busy} onClick={() => void apply({ action: 'end' })} aria-label={`${t('audit.review.end')}: ${text}`}>
            {t('audit.review.end')}
          </Button>
        </>
      ) : (
        <Button variant="primary" busy={busy} onClick={() => void apply()} aria-label={`${t('audit.review.apply')}: ${text}`}>
          {t('audit.review.apply')}
        </Button>
      )}
    </li>
  );
}
