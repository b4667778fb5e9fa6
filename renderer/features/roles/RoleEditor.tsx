// Create or edit a role (F8, F11, F13, F17): name and description, the module × level grid,
// custom rules, step-up pages, sensitive-action switches and the default validity.
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Platform } from '../../../shared/catalog/schema';
import type { Level } from '../../../shared/model/common';
import type { Role, SensitiveSwitches } from '../../../shared/model/role';
import type { RoleTemplate } from '../../../shared/policy/templates';
import { issuesByPath } from '../../state/errors';
import { Button, CheckboxField, Notice, TextAreaField, TextField } from '../../ui/controls';
import { ErrorNotice } from '../../ui/errors';
import { useConfirmLeave, useUnsavedChanges } from '../../ui/UnsavedChanges';
import { useFocusFirstInvalid } from '../../ui/useFocusFirstInvalid';
import { roleName } from '../../util/catalog';
import { filterProblem } from '../../../shared/policy/filter-problem';
import { ModuleLevelGrid } from './ModuleLevelGrid';
import { FilterListEditor, RulesEditor } from './RulesEditor';

export type RoleDraft = RoleTemplate;

export const SWITCHES: readonly (keyof SensitiveSwitches)[] = ['downloads', 'uploads', 'devtools', 'printing'];

export function draftOf(role: Role | RoleTemplate): RoleDraft {
  return {
    name: role.name,
    description: role.description ?? '',
    template: role.template ?? null,
    levels: { ...role.levels },
    otherLevel: role.otherLevel ?? 'view',
    rules: (role.rules ?? []).map((r) => ({ ...r, note: r.note ?? '', ...(r.methods ? { methods: [...r.methods] } : {}) })),
    switches: { ...(role.switches ?? { downloads: false, uploads: false, devtools: false, printing: false }) },
    stepUp: [...(role.stepUp ?? [])],
    defaultValidityDays: role.defaultValidityDays ?? null,
  };
}

/** Local problems that keep the form from being sent (the service checks everything again). */
export function draftHasProblems(draft: RoleDraft, platforms: readonly Platform[]): boolean {
  if (!draft.name.trim()) return true;
  if (draft.rules.some((r) => filterProblem(r.filter, platforms) !== null)) return true;
  if (draft.stepUp.some((f) => filterProblem(f, platforms) !== null)) return true;
  const days = draft.defaultValidityDays;
  return days !== null && (!Number.isInteger(days) || days < 1 || days > 3650);
}

export interface RoleEditorProps {
  /** The role being edited, or null for a new one. */
  role: Role | null;
  initial: RoleDraft;
  platforms: readonly Platform[];
  onSave(draft: RoleDraft): Promise<unknown>;
  onCancel(): void;
}

export function RoleEditor({ role, initial, platforms, onSave, onCancel }: RoleEditorProps) {
  const { t, i18n } = useTranslation();
  const [draft, setDraft] = useState<RoleDraft>(initial);
  const [issues, setIssues] = useState<Map<string, string>>(new Map());
  const [error, setError] = useState<unknown>(null);
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [daysText, setDaysText] = useState(initial.defaultValidityDays === null ? '' : String(initial.defaultValidityDays));
  const titleRef = useRef<HTMLHeadingElement>(null);
  // The editor replaces the list: its title takes the focus (and the screen reader's attention).
  useEffect(() => titleRef.current?.focus(), []);
  const dirty = useMemo(() => JSON.stringify(draft) !== JSON.stringify(initial), [draft, initial]);
  const leaveQuestion = dirty ? t('roles.discardChanges') : null;
  useUnsavedChanges(leaveQuestion);
  const { confirmLeave, dialog: leaveDialog } = useConfirmLeave();
  const { formRef, focusFirstInvalid } = useFocusFirstInvalid();

  const update = (patch: Partial<RoleDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const clearIssues = (prefix: string) =>
    setIssues((current) => {
      if (![...current.keys()].some((k) => k.startsWith(prefix))) return current;
      return new Map([...current].filter(([k]) => !k.startsWith(prefix)));
    });

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setAttempted(true);
    if (draftHasProblems(draft, platforms)) {
      focusFirstInvalid();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSave({ ...draft, name: draft.name.trim() });
    } catch (e) {
      setIssues(issuesByPath(e));
      setError(e);
      setBusy(false);
      focusFirstInvalid();
    }
  };

  const nameError = attempted && !draft.name.trim() ? t('stores.problem.required') : issues.get('name');
  const daysError =
    draft.defaultValidityDays !== null && (!Number.isInteger(draft.defaultValidityDays) || draft.defaultValidityDays < 1 || draft.defaultValidityDays > 3650)
      ? t('roles.daysRange')
      : issues.get('defaultValidityDays');
  const issueCount = issues.size;

  return (
    <form className="role-editor" ref={formRef} onSubmit={save} noValidate aria-labelledby="role-editor-title">
      <header className="page-header">
        <div>
          <h1 id="role-editor-title" tabIndex={-1} data-page-title ref={titleRef}>
            {role ? t('roles.editTitle', { name: roleName(role.name, i18n.language) }) : t('roles.newTitle')}
          </h1>
          <p className="page-description">{t('roles.editorIntro')}</p>
        </div>
        <div className="page-actions">
          <Button onClick={() => confirmLeave(leaveQuestion, onCancel)} disabled={busy}>
            {t('common.cancel')}
          </Button>
          <Button variant="primary" type="submit" busy={busy} disabled={!dirty && role !== null}>
            {role ? t('common.save') : t('roles.create')}
          </Button>
        </div>
      </header>

      {issueCount > 0 ? <Notice kind="error">{t('roles.serviceIssues', { count: issueCount })}</Notice> : <ErrorNotice error={error} />}
      {attempted && draftHasProblems(draft, platforms) ? <Notice kind="error">{t('roles.fixProblems')}</Notice> : null}

      <section className="panel" aria-labelledby="role-basics">
        <h2 id="role-basics">{t('roles.basics')}</h2>
        <div className="form-grid">
          <TextField
            label={t('roles.name')}
            value={draft.name}
            maxLength={80}
            onChange={(e) => {
              clearIssues('name');
              update({ name: e.target.value });
            }}
            error={nameError}
          />
          <TextField
            label={t('roles.defaultValidity')}
            hint={t('roles.defaultValidityHint')}
            inputMode="numeric"
            value={daysText}
            onChange={(e) => {
              clearIssues('defaultValidityDays');
              setDaysText(e.target.value);
              const v = e.target.value.trim();
              update({ defaultValidityDays: v === '' ? null : Number(v) });
            }}
            error={daysError}
          />
          <TextAreaField className="span-2" label={t('roles.description')} value={draft.description} maxLength={500} rows={2} onChange={(e) => update({ description: e.target.value })} error={issues.get('description')} />
        </div>
      </section>

      <section className="panel" aria-labelledby="role-levels">
        <h2 id="role-levels">{t('roles.levels')}</h2>
        <ModuleLevelGrid
          platforms={platforms}
          levels={draft.levels}
          otherLevel={draft.otherLevel}
          issues={issues}
          onLevel={(moduleId: string, level: Level) => {
            clearIssues(`levels.${moduleId}`);
            update({ levels: { ...draft.levels, [moduleId]: level } });
          }}
          onOtherLevel={(level) => update({ otherLevel: level })}
        />
      </section>

      <section className="panel" aria-labelledby="role-rules">
        <h2 id="role-rules">{t('rules.title')}</h2>
        <RulesEditor
          rules={draft.rules}
          platforms={platforms}
          issues={issues}
          showEmpty={attempted}
          onRowEdited={(i) => clearIssues(i < 0 ? 'rules.' : `rules.${i}.`)}
          onChange={(rules) => update({ rules })}
        />
      </section>

      <section className="panel" aria-labelledby="role-stepup">
        <h2 id="role-stepup">{t('rules.stepUpTitle')}</h2>
        <p className="field-hint">{t('rules.stepUpHint')}</p>
        <FilterListEditor
          label={t('rules.stepUpPage')}
          filters={draft.stepUp}
          platforms={platforms}
          issues={issues}
          path="stepUp"
          showEmpty={attempted}
          onRowEdited={(i) => clearIssues(i < 0 ? 'stepUp.' : `stepUp.${i}`)}
          onChange={(stepUp) => update({ stepUp })}
        />
      </section>

      <section className="panel" aria-labelledby="role-switches">
        <h2 id="role-switches">{t('roles.switches')}</h2>
        <div className="switch-list">
          {SWITCHES.map((key) => (
            <CheckboxField
              key={key}
              label={t(`roles.switch.${key}`)}
              hint={t(`roles.switchHint.${key}`)}
              checked={draft.switches[key]}
              onChange={(e) => update({ switches: { ...draft.switches, [key]: e.target.checked } })}
            />
          ))}
        </div>
      </section>
      {/* Rendered into document.body (a portal), outside the form's DOM. */}
      {leaveDialog}
    </form>
  );
}
