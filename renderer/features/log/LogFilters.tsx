// The viewer's filters (F20): who, which store, module, kind, decision, time range, URL text.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LogFilter, PublicUser } from '../../../shared/ipc/contract';
import { AuditKind } from '../../../shared/model/audit';
import type { Store } from '../../../shared/model/store';
import { Button, SelectField, TextField } from '../../ui/controls';
import { fromLocalInput, toLocalInput } from '../../util/format';

export interface LogFilterForm {
  actorId: string;
  storeId: string;
  module: string;
  kind: string;
  decision: string;
  from: string;
  to: string;
  urlContains: string;
}

export const EMPTY_FILTER_FORM: LogFilterForm = { actorId: '', storeId: '', module: '', kind: '', decision: '', from: '', to: '', urlContains: '' };

/** The inputs pick minutes; "Until 20:34" means to the end of that minute (the filter's `to` is exclusive). */
const MINUTE = 60_000;

export function formToFilter(f: LogFilterForm): LogFilter | null {
  const from = fromLocalInput(f.from);
  const until = fromLocalInput(f.to);
  const to = until === null || Number.isNaN(until) ? until : until + MINUTE;
  if (Number.isNaN(from) || Number.isNaN(to)) return null;
  const filter: LogFilter = {};
  if (f.actorId) filter.actorId = f.actorId;
  if (f.storeId) filter.storeId = f.storeId;
  if (f.module) filter.module = f.module;
  if (f.kind) filter.kinds = [f.kind as AuditKind];
  if (f.decision === 'allowed' || f.decision === 'blocked') filter.decision = f.decision;
  if (from !== null) filter.from = from;
  if (to !== null) filter.to = to;
  if (f.urlContains.trim()) filter.urlContains = f.urlContains.trim().slice(0, 500);
  return filter;
}

export function filterToForm(filter: LogFilter): LogFilterForm {
  return {
    actorId: filter.actorId ?? '',
    storeId: filter.storeId ?? '',
    module: filter.module ?? '',
    kind: filter.kinds?.[0] ?? '',
    decision: filter.decision ?? '',
    from: toLocalInput(filter.from ?? null),
    to: toLocalInput(filter.to === undefined ? null : filter.to - MINUTE),
    urlContains: filter.urlContains ?? '',
  };
}

export function LogFilters({
  initial,
  people,
  stores,
  modules,
  onApply,
}: {
  initial: LogFilter;
  people: readonly PublicUser[];
  stores: readonly Store[];
  modules: readonly { id: string; name: string }[];
  onApply: (filter: LogFilter) => void;
}) {
  const { t } = useTranslation();
  const [form, setForm] = useState<LogFilterForm>(() => filterToForm(initial));
  const set = (key: keyof LogFilterForm, value: string) => setForm((f) => ({ ...f, [key]: value }));
  const filter = formToFilter(form);
  const rangeError = filter && filter.from !== undefined && filter.to !== undefined && filter.to <= filter.from ? t('log.rangeError') : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (filter && !rangeError) onApply(filter);
  };

  return (
    <form className="log-filters" onSubmit={submit} noValidate aria-label={t('log.filters')}>
      <SelectField label={t('log.filter.actor')} value={form.actorId} onChange={(e) => set('actorId', e.target.value)}>
        <option value="">{t('log.filter.anyone')}</option>
        {people.map((u) => (
          <option key={u.id} value={u.id}>
            {u.displayName ? `${u.displayName} (${u.username})` : u.username}
          </option>
        ))}
      </SelectField>
      <SelectField label={t('log.filter.store')} value={form.storeId} onChange={(e) => set('storeId', e.target.value)}>
        <option value="">{t('log.filter.anyStore')}</option>
        {stores.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </SelectField>
      <SelectField label={t('log.filter.module')} value={form.module} onChange={(e) => set('module', e.target.value)}>
        <option value="">{t('log.filter.anyModule')}</option>
        {modules.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </SelectField>
      <SelectField label={t('log.filter.kind')} value={form.kind} onChange={(e) => set('kind', e.target.value)}>
        <option value="">{t('log.filter.anyKind')}</option>
        {AuditKind.options.map((k) => (
          <option key={k} value={k}>
            {t(`kind.${k}`)}
          </option>
        ))}
      </SelectField>
      <SelectField label={t('log.filter.decision')} value={form.decision} onChange={(e) => set('decision', e.target.value)}>
        <option value="">{t('log.filter.anyDecision')}</option>
        <option value="allowed">{t('decision.allowed')}</option>
        <option value="blocked">{t('decision.blocked')}</option>
      </SelectField>
      <TextField label={t('log.filter.from')} type="datetime-local" value={form.from} onChange={(e) => set('from', e.target.value)} error={filter === null && form.from ? t('assignments.badDate') : undefined} />
      <TextField label={t('log.filter.to')} type="datetime-local" value={form.to} onChange={(e) => set('to', e.target.value)} error={rangeError} />
      <TextField label={t('log.filter.url')} value={form.urlContains} maxLength={500} onChange={(e) => set('urlContains', e.target.value)} type="search" />
      <div className="log-filter-actions">
        <Button type="submit" variant="primary" disabled={filter === null || !!rangeError}>
          {t('log.filter.apply')}
        </Button>
        <Button
          onClick={() => {
            setForm(EMPTY_FILTER_FORM);
            onApply({});
          }}
        >
          {t('log.filter.reset')}
        </Button>
      </div>
    </form>
  );
}
