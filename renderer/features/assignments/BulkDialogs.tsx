// F10, template reuse: copy one store's assignments to other stores of the same platform, and
// give one staff member one role on many stores at once.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublicUser } from '../../../shared/ipc/contract';
import type { Role } from '../../../shared/model/role';
import type { Store } from '../../../shared/model/store';
import { useFeature, useFeatureApi, useServices } from '../../app/services';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../ui/controls';
import { ErrorNotice, useServerIssues } from '../../ui/errors';
import { FormDialog, useFormAction } from '../../ui/FormDialog';
import { platformName, siteName } from '../../util/catalog';
import { fromLocalInput, toLocalInput } from '../../util/format';
import { defaultUntil } from './AssignmentDialog';
import { RoleOptions } from './RoleOptions';
import { parseScopeText } from './scope';

function StoreChecklist({ stores, selected, onChange, legend }: { stores: readonly Store[]; selected: ReadonlySet<string>; onChange: (next: Set<string>) => void; legend: string }) {
  const { t, i18n } = useTranslation();
  const platforms = useFeature('stores', (s) => s.platforms);
  const all = stores.length > 0 && stores.every((s) => selected.has(s.id));
  return (
    <fieldset className="checklist">
      <legend>{legend}</legend>
      {stores.length === 0 ? <p className="muted">{t('assignments.noTargets')}</p> : null}
      {stores.length > 1 ? (
        <CheckboxField label={t('assignments.selectAll')} checked={all} onChange={(e) => onChange(e.target.checked ? new Set(stores.map((s) => s.id)) : new Set())} />
      ) : null}
      <div className="checklist-items">
        {stores.map((s) => (
          <CheckboxField
            key={s.id}
            label={`${s.name} · ${platformName(platforms, s.platformId, i18n.language)} · ${siteName(platforms, s.platformId, s.siteId, i18n.language)}`}
            checked={selected.has(s.id)}
            onChange={(e) => {
              const next = new Set(selected);
              if (e.target.checked) next.add(s.id);
              else next.delete(s.id);
              onChange(next);
            }}
          />
        ))}
      </div>
    </fieldset>
  );
}

export function CopyAssignmentsDialog({ stores, onClose }: { stores: readonly Store[]; onClose: () => void }) {
  const { t } = useTranslation();
  const api = useFeatureApi('assignments');
  const assignments = useFeature('assignments', (s) => s.items);
  const [fromId, setFromId] = useState(stores[0]?.id ?? '');
  const [targets, setTargets] = useState<Set<string>>(new Set());
  const { busy, error, result, run } = useFormAction<number>();
  const from = stores.find((s) => s.id === fromId);
  const candidates = useMemo(() => stores.filter((s) => from && s.id !== from.id && s.platformId === from.platformId), [stores, from]);
  const sourceCount = assignments.filter((a) => a.storeId === fromId).length;

  const submit = () => {
    if (from && targets.size > 0) void run(async () => (await api.getState().copyToStores(from.id, [...targets])).length);
  };

  return (
    <FormDialog
      title={t('assignments.copyTitle')}
      onClose={onClose}
      size="large"
      busy={busy}
      submitLabel={t('assignments.copyConfirm', { count: targets.size })}
      submitDisabled={targets.size === 0 || sourceCount === 0}
      onSubmit={submit}
      done={result ? t('assignments.written', { count: result.value }) : null}
    >
      <p className="field-hint">{t('assignments.copyIntro')}</p>
      <SelectField
        label={t('assignments.copyFrom')}
        value={fromId}
        onChange={(e) => {
          setFromId(e.target.value);
          setTargets(new Set());
        }}
        hint={t('assignments.sourceCount', { count: sourceCount })}
        data-autofocus
      >
        {stores.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </SelectField>
      <StoreChecklist stores={candidates} selected={targets} onChange={setTargets} legend={t('assignments.copyTo')} />
      <ErrorNotice error={error} />
    </FormDialog>
  );
}

export function ApplyRoleDialog({ stores, staff, roles, onClose }: { stores: readonly Store[]; staff: readonly PublicUser[]; roles: readonly Role[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { now } = useServices();
  const api = useFeatureApi('assignments');
  const [staffId, setStaffId] = useState(staff[0]?.id ?? '');
  const [roleId, setRoleId] = useState('');
  const [targets, setTargets] = useState<Set<string>>(new Set());
  const [until, setUntil] = useState('');
  const [scopeText, setScopeText] = useState('');
  const { busy, error, result, run } = useFormAction<number>();
  const untilTs = fromLocalInput(until);
  const scope = parseScopeText(scopeText);
  const server = useServerIssues(error);
  const ready = staffId !== '' && roleId !== '' && targets.size > 0 && !Number.isNaN(untilTs) && scope.ok;

  const pickRole = (id: string) => {
    setRoleId(id);
    const suggested = defaultUntil(roles.find((r) => r.id === id), now());
    if (until === '' && suggested !== null) setUntil(toLocalInput(suggested));
  };

  const submit = () => {
    if (!ready || !scope.ok) return;
    // No scope typed: stores the person already has keep theirs.
    const request = { staffId, roleId, storeIds: [...targets], validUntil: untilTs, ...(scopeText.trim() === '' ? {} : { scope: scope.scope }) };
    void run(async () => (await api.getState().applyRole(request)).length);
  };

  return (
    <FormDialog
      title={t('assignments.applyTitle')}
      onClose={onClose}
      size="large"
      busy={busy}
      submitLabel={t('assignments.applyConfirm', { count: targets.size })}
      submitDisabled={!ready}
      onSubmit={submit}
      done={result ? t('assignments.written', { count: result.value }) : null}
      formClassName="form-grid"
    >
      <p className="field-hint span-2">{t('assignments.applyIntro')}</p>
      <SelectField label={t('assignments.staff')} value={staffId} onChange={(e) => setStaffId(e.target.value)} data-autofocus error={server.get('staffId')}>
        {staff.map((u) => (
          <option key={u.id} value={u.id}>
            {u.displayName ? `${u.displayName} (${u.username})` : u.username}
          </option>
        ))}
      </SelectField>
      <SelectField label={t('assignments.role')} value={roleId} onChange={(e) => pickRole(e.target.value)} error={server.get('roleId')}>
        <RoleOptions roles={roles} />
      </SelectField>
      <TextField label={t('assignments.validUntil')} type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} hint={t('assignments.validUntilHint')} error={Number.isNaN(untilTs) ? t('assignments.badDate') : server.get('validUntil')} />
      <TextAreaField
        label={t('assignments.scope')}
        hint={t('assignments.scopeHint')}
        rows={2}
        className="code-field"
        value={scopeText}
        onChange={(e) => setScopeText(e.target.value)}
        error={scope.ok ? undefined : t(`assignments.scopeProblem.${scope.problem}`, { line: scope.line })}
      />
      <div className="span-2">
        <StoreChecklist stores={stores} selected={targets} onChange={setTargets} legend={t('assignments.applyTo')} />
        <ErrorNotice error={server.size === 0 ? error : null} />
      </div>
    </FormDialog>
  );
}
