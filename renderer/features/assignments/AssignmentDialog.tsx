// One cell of the matrix: which role a staff member has on a store, from when until when, with
// which scope values — or no access at all.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublicUser } from '../../../shared/ipc/contract';
import type { Assignment } from '../../../shared/model/assignment';
import type { Role } from '../../../shared/model/role';
import type { Store } from '../../../shared/model/store';
import { useFeatureApi, useServices } from '../../app/services';
import { Dialog } from '../../ui/Dialog';
import { Button, Notice, SelectField, TextAreaField, TextField } from '../../ui/controls';
import { ErrorNotice, useServerIssues } from '../../ui/errors';
import { formatUnit, fromLocalInput, toLocalInput } from '../../util/format';
import { RoleOptions } from './RoleOptions';
import { parseScopeText, scopeToText } from './scope';

export function defaultUntil(role: Role | undefined, now: number): number | null {
  return role?.defaultValidityDays ? now + role.defaultValidityDays * 86_400_000 : null;
}

export function AssignmentDialog({ staff, store, existing, roles, onClose }: { staff: PublicUser; store: Store; existing: Assignment | null; roles: readonly Role[]; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { now } = useServices();
  const api = useFeatureApi('assignments');
  const [roleId, setRoleId] = useState(existing?.roleId ?? '');
  const [from, setFrom] = useState(toLocalInput(existing?.validFrom ?? null));
  const [until, setUntil] = useState(toLocalInput(existing?.validUntil ?? null));
  const [scopeText, setScopeText] = useState(scopeToText(existing?.scope ?? {}));
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState<'save' | 'remove' | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const server = useServerIssues(error);

  // A field left as shown keeps the stored time to the millisecond (the input shows minutes only).
  const keptOr = (text: string, stored: number | null | undefined) => (stored !== undefined && text === toLocalInput(stored) ? stored : fromLocalInput(text));
  const fromTs = keptOr(from, existing?.validFrom);
  const untilTs = keptOr(until, existing?.validUntil);
  const scope = parseScopeText(scopeText);
  const problems = {
    role: roleId === '' ? t('assignments.pickRole') : undefined,
    from: Number.isNaN(fromTs) ? t('assignments.badDate') : undefined,
    until: Number.isNaN(untilTs) ? t('assignments.badDate') : fromTs !== null && untilTs !== null && untilTs <= fromTs ? t('assignments.untilAfterFrom') : undefined,
    scope: scope.ok ? undefined : t(`assignments.scopeProblem.${scope.problem}`, { line: scope.line }),
  };
  const invalid = Object.values(problems).some(Boolean);

  const pickRole = (id: string) => {
    setRoleId(id);
    const role = roles.find((r) => r.id === id);
    const suggested = defaultUntil(role, now());
    if (until === '' && suggested !== null) setUntil(toLocalInput(suggested));
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (invalid || !scope.ok) return;
    setBusy('save');
    setError(null);
    try {
      await api.getState().upsert({ staffId: staff.id, storeId: store.id, roleId, validFrom: fromTs, validUntil: untilTs, scope: scope.scope });
      onClose();
    } catch (e) {
      setError(e);
      setBusy(null);
    }
  };

  const remove = async () => {
    if (!existing) return;
    setBusy('remove');
    setError(null);
    try {
      await api.getState().remove(existing.id);
      onClose();
    } catch (e) {
      setError(e);
      setBusy(null);
    }
  };

  const role = roles.find((r) => r.id === roleId);
  const scopeIssue = [...server].find(([path]) => path.startsWith('scope'))?.[1];

  return (
    <Dialog
      title={t('assignments.cellTitle', { staff: staff.displayName || staff.username, store: store.name })}
      onClose={onClose}
      busy={busy !== null}
      footer={
        <>
          {existing ? (
            confirmRemove ? (
              <Button variant="danger" onClick={() => void remove()} busy={busy === 'remove'} disabled={busy !== null}>
                {t('assignments.removeConfirm')}
              </Button>
            ) : (
              <Button variant="danger" onClick={() => setConfirmRemove(true)} disabled={busy !== null}>
                {t('assignments.remove')}
              </Button>
            )
          ) : null}
          <span className="spacer" />
          <Button onClick={onClose} disabled={busy !== null}>
            {t('common.cancel')}
          </Button>
          <Button variant="primary" type="submit" form="assignment-form" busy={busy === 'save'} disabled={busy !== null}>
            {t('common.save')}
          </Button>
        </>
      }
    >
      {confirmRemove ? <Notice kind="warning">{t('assignments.removeText')}</Notice> : null}
      <form id="assignment-form" onSubmit={save} noValidate className="form-grid">
        <SelectField className="span-2" label={t('assignments.role')} value={roleId} onChange={(e) => pickRole(e.target.value)} error={(touched && problems.role) || server.get('roleId')} data-autofocus>
          <RoleOptions roles={roles} />
        </SelectField>
        <TextField label={t('assignments.validFrom')} type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} hint={t('assignments.validFromHint')} error={problems.from || server.get('validFrom')} />
        <TextField
          label={t('assignments.validUntil')}
          type="datetime-local"
          value={until}
          onChange={(e) => setUntil(e.target.value)}
          hint={role?.defaultValidityDays ? t('assignments.roleDefaultDays', { days: formatUnit(role.defaultValidityDays, 'day', i18n.language) }) : t('assignments.validUntilHint')}
          error={problems.until || server.get('validUntil')}
        />
        <TextAreaField
          className="span-2 code-field"
          label={t('assignments.scope')}
          hint={t('assignments.scopeHint')}
          rows={3}
          value={scopeText}
          spellCheck={false}
          onChange={(e) => setScopeText(e.target.value)}
          error={problems.scope || scopeIssue}
        />
        <div className="span-2">
          <ErrorNotice error={server.size === 0 ? error : null} />
        </div>
      </form>
    </Dialog>
  );
}
