// Alerts (F24): what the rules raised, newest first, each with the log rows behind it; the rules
// themselves; dismissing. New alerts arrive through the host's alert-raised event.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlertInfo, AlertRuleKind, AlertRules, AlertWithRows } from '../../../shared/ipc/trust';
import type { en } from '../../i18n/en';
import { useFeature, useFeatureApi } from '../../app/services';
import { Badge, Button, CheckboxField, EmptyState, Notice, TextField } from '../../ui/controls';
import { ErrorNotice, useServerIssues } from '../../ui/errors';
import { useFormAction } from '../../ui/FormDialog';
import { formatDateTime, formatLogTime, formatNumber } from '../../util/format';

export const RULE_KINDS: readonly AlertRuleKind[] = ['block-burst', 'outside-hours', 'step-up-denied'];

export function AlertsPanel({ names }: { names: (id: string | null) => string }) {
  const { t, i18n } = useTranslation();
  const audit = useFeatureApi('audit');
  const alerts = useFeature('audit', (s) => s.alerts);
  const showDismissed = useFeature('audit', (s) => s.showDismissed);
  const error = useFeature('audit', (s) => s.alertsError);
  const [actionError, setActionError] = useState<unknown>(null);

  useEffect(() => {
    void audit.getState().loadAlerts();
  }, [audit]);

  const dismiss = async (ids: string[]) => {
    setActionError(null);
    try {
      await audit.getState().dismiss(ids);
    } catch (e) {
      setActionError(e);
    }
  };

  const open = alerts?.filter((a) => !a.dismissed) ?? [];
  return (
    <section className="panel" aria-labelledby="alerts-title">
      <h2 id="alerts-title">{t('audit.alerts.title')}</h2>
      <div className="toolbar">
        <CheckboxField label={t('audit.alerts.showDismissed')} checked={showDismissed} onChange={(e) => void audit.getState().loadAlerts(e.target.checked)} />
        <Button onClick={() => void audit.getState().loadAlerts()}>{t('audit.refresh')}</Button>
        {open.length > 1 ? <Button onClick={() => void dismiss(open.map((a) => a.id))}>{t('audit.alerts.dismissAll', { count: open.length })}</Button> : null}
      </div>
      <ErrorNotice error={error ?? actionError} />
      {alerts === null ? null : alerts.length === 0 ? (
        <EmptyState title={t('audit.alerts.none')} />
      ) : (
        <ul className="alert-list" aria-label={t('audit.alerts.listLabel')}>
          {alerts.map((alert) => (
            <AlertItem key={alert.id} alert={alert} names={names} language={i18n.language} onDismiss={() => void dismiss([alert.id])} />
          ))}
        </ul>
      )}
      <RulesForm />
    </section>
  );
}

function AlertItem({ alert, names, language, onDismiss }: { alert: AlertWithRows; names: (id: string | null) => string; language: string; onDismiss: () => void }) {
  const { t } = useTranslation();
  const reasonWords = useReasonWords();
  const who = names(alert.staffId);
  const text = t(`audit.alerts.rule.${alert.rule}`);
  return (
    <li className="alert-item" aria-label={t('audit.alerts.itemLabel', { rule: text, name: who })}>
      <div className="alert-head">
        <Badge kind={alert.dismissed ? 'neutral' : 'warn'}>{text}</Badge>{' '}
        <strong>{who}</strong> · <time dateTime={new Date(alert.at).toISOString()}>{formatDateTime(alert.at, language)}</time>
        {alert.suspended ? (
          <>
            {' '}
            <Badge kind="danger">{t('audit.alerts.suspended')}</Badge>
          </>
        ) : null}
        {alert.dismissed ? null : (
          <Button className="alert-dismiss" onClick={onDismiss} aria-label={t('audit.alerts.dismissNamed', { rule: text, name: who })}>
            {t('common.dismiss')}
          </Button>
        )}
      </div>
      <p>
        <AlertSentence alert={alert} language={language} />
      </p>
      <details>
        <summary>{t('audit.alerts.rows', { count: alert.rowIds.length })}</summary>
        <table className="grid-table">
          <caption className="visually-hidden">{t('audit.alerts.rowsCaption', { rule: text, name: who })}</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('audit.alerts.col.time')}</th>
              <th scope="col">{t('audit.alerts.col.kind')}</th>
              <th scope="col">{t('audit.alerts.col.store')}</th>
              <th scope="col">{t('audit.alerts.col.url')}</th>
              <th scope="col">{t('audit.alerts.col.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {alert.rows.map((row) => (
              <tr key={row.id}>
                <td>{row.id}</td>
                <td>{formatLogTime(row.ts, language)}</td>
                <td>{t(`kind.${row.kind}`)}</td>
                <td>{names(row.storeId)}</td>
                <td className="url-cell">{row.url ?? ''}</td>
                <td>{row.reason === null ? '' : reasonWords(row.reason)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {alert.rows.length < alert.rowIds.length ? <p className="field-hint">{t('audit.alerts.rowsShown', { shown: alert.rows.length, count: alert.rowIds.length })}</p> : null}
      </details>
    </li>
  );
}

type ReasonCode = keyof typeof en.reason;

/** Log reason codes in the words the log viewer uses; a code without words as it is. */
function useReasonWords(): (code: string) => string {
  const { t, i18n } = useTranslation();
  return (code) => (i18n.exists(`reason.${code}`) ? t(`reason.${code as ReasonCode}`) : code);
}

/** What raised the alert, worded in the interface language from the alert's facts. */
function AlertSentence({ alert, language }: { alert: AlertInfo; language: string }) {
  const { t } = useTranslation();
  const reasonWords = useReasonWords();
  const { facts } = alert;
  // Alerts stored by older versions carry only an English sentence.
  if (!facts) return <>{alert.message ?? t(`audit.alerts.rule.${alert.rule}`)}</>;
  switch (facts.rule) {
    case 'block-burst':
      return <>{t('audit.alerts.sentence.blockBurst', { blocks: formatNumber(facts.blocks, language), minutes: formatNumber(facts.withinMinutes, language) })}</>;
    case 'outside-hours':
      return <>{t('audit.alerts.sentence.outsideHours', { activity: t(`kind.${facts.kind}`), date: formatLocalDate(facts.date, language), time: facts.time, timeZone: facts.timeZone })}</>;
    case 'step-up-denied':
      return <>{facts.reason === null ? t('audit.alerts.sentence.stepUpDenied') : t('audit.alerts.sentence.stepUpDeniedBecause', { reason: reasonWords(facts.reason) })}</>;
  }
}

/** "2025-01-06" (a date in the rule's time zone) in the reader's format; as it is if unreadable. */
function formatLocalDate(date: string, language: string): string {
  const [y, m, d] = date.split('-').map(Number);
  if (!y || !m || !d) return date;
  // Formatted in UTC so the day does not shift with the reader's own time zone.
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, d));
}

const DAYS = [1, 2, 3, 4, 5, 6, 0] as const;

function RulesForm() {
  const { t, i18n } = useTranslation();
  const audit = useFeatureApi('audit');
  const stored = useFeature('audit', (s) => s.rules);
  const [draft, setDraft] = useState<AlertRules | null>(null);
  const { busy, error, result, run, dismissResult } = useFormAction<void>();
  const issues = useServerIssues(error);

  useEffect(() => {
    void audit.getState().loadRules();
  }, [audit]);
  useEffect(() => {
    if (stored && !draft) setDraft(stored);
  }, [stored, draft]);

  if (!draft) return null;
  const change = (patch: Partial<AlertRules>) => {
    dismissResult();
    setDraft({ ...draft, ...patch });
  };
  const num = (value: string) => (value.trim() === '' ? Number.NaN : Number(value));
  const dayName = (d: number) => new Intl.DateTimeFormat(i18n.language, { weekday: 'short', timeZone: 'UTC' }).format(Date.UTC(2025, 0, 5 + d));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      setDraft(await audit.getState().saveRules(draft));
    });
  };

  return (
    <form className="rules-form" onSubmit={submit} noValidate aria-labelledby="alert-rules-title">
      <h3 id="alert-rules-title">{t('audit.rules.title')}</h3>
      <fieldset>
        <legend>{t('audit.alerts.rule.block-burst')}</legend>
        <CheckboxField label={t('audit.rules.enabled')} checked={draft.blockBurst.enabled} onChange={(e) => change({ blockBurst: { ...draft.blockBurst, enabled: e.target.checked } })} />
        <TextField
          label={t('audit.rules.blocks')}
          inputMode="numeric"
          value={Number.isNaN(draft.blockBurst.blocks) ? '' : String(draft.blockBurst.blocks)}
          onChange={(e) => change({ blockBurst: { ...draft.blockBurst, blocks: num(e.target.value) } })}
          error={issues.get('blockBurst.blocks')}
        />
        <TextField
          label={t('audit.rules.withinMinutes')}
          inputMode="numeric"
          value={Number.isNaN(draft.blockBurst.withinMinutes) ? '' : String(draft.blockBurst.withinMinutes)}
          onChange={(e) => change({ blockBurst: { ...draft.blockBurst, withinMinutes: num(e.target.value) } })}
          error={issues.get('blockBurst.withinMinutes')}
        />
      </fieldset>
      <fieldset>
        <legend>{t('audit.alerts.rule.outside-hours')}</legend>
        <CheckboxField label={t('audit.rules.enabled')} checked={draft.outsideHours.enabled} onChange={(e) => change({ outsideHours: { ...draft.outsideHours, enabled: e.target.checked } })} />
        <TextField label={t('audit.rules.timeZone')} value={draft.outsideHours.timeZone} onChange={(e) => change({ outsideHours: { ...draft.outsideHours, timeZone: e.target.value } })} error={issues.get('outsideHours.timeZone')} />
        <TextField label={t('audit.rules.start')} type="time" value={draft.outsideHours.start} onChange={(e) => change({ outsideHours: { ...draft.outsideHours, start: e.target.value } })} error={issues.get('outsideHours.start')} />
        <TextField label={t('audit.rules.end')} type="time" value={draft.outsideHours.end} onChange={(e) => change({ outsideHours: { ...draft.outsideHours, end: e.target.value } })} error={issues.get('outsideHours.end')} />
        <fieldset className="day-picker">
          <legend>{t('audit.rules.days')}</legend>
          {DAYS.map((d) => (
            <CheckboxField
              key={d}
              label={dayName(d)}
              checked={draft.outsideHours.days.includes(d)}
              onChange={(e) =>
                change({ outsideHours: { ...draft.outsideHours, days: e.target.checked ? [...draft.outsideHours.days, d].sort() : draft.outsideHours.days.filter((x) => x !== d) } })
              }
            />
          ))}
        </fieldset>
      </fieldset>
      <fieldset>
        <legend>{t('audit.alerts.rule.step-up-denied')}</legend>
        <CheckboxField label={t('audit.rules.enabled')} checked={draft.stepUpDenied.enabled} onChange={(e) => change({ stepUpDenied: { ...draft.stepUpDenied, enabled: e.target.checked } })} />
        <CheckboxField
          label={t('audit.rules.includeDismissed')}
          checked={draft.stepUpDenied.includeDismissed}
          onChange={(e) => change({ stepUpDenied: { ...draft.stepUpDenied, includeDismissed: e.target.checked } })}
        />
      </fieldset>
      <fieldset>
        <legend>{t('audit.rules.autoSuspend')}</legend>
        <p className="field-hint">{t('audit.rules.autoSuspendHint')}</p>
        {RULE_KINDS.map((kind) => (
          <CheckboxField
            key={kind}
            label={t(`audit.alerts.rule.${kind}`)}
            checked={draft.autoSuspend.includes(kind)}
            onChange={(e) => change({ autoSuspend: e.target.checked ? [...draft.autoSuspend, kind] : draft.autoSuspend.filter((k) => k !== kind) })}
          />
        ))}
      </fieldset>
      {result ? <Notice kind="success">{t('settings.saved')}</Notice> : null}
      <ErrorNotice error={error} />
      <Button type="submit" variant="primary" busy={busy}>
        {t('audit.rules.save')}
      </Button>
    </form>
  );
}
