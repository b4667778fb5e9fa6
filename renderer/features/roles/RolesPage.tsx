// Roles (F8): the position templates and the owner's own roles. New roles start from one of
// the seven built-in templates (or the read-only default, or nothing), or as a copy of a role.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TemplateKey, type Role } from '../../../shared/model/role';
import { ROLE_TEMPLATE_NAMES, readOnlyRole, roleTemplate, stockRoleDescription } from '../../../shared/policy/templates';
import { useFeature, useFeatureApi } from '../../app/services';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Dialog } from '../../ui/Dialog';
import { Badge, Busy, Button, EmptyState, Notice, PageHeader } from '../../ui/controls';
import { localized, roleName } from '../../util/catalog';
import { formatList, formatUnit } from '../../util/format';
import { draftOf, RoleEditor, SWITCHES, type RoleDraft } from './RoleEditor';

type Editing = { role: Role | null; initial: RoleDraft };
type Start = TemplateKey | 'read-only' | 'blank';

export function RolesPage() {
  const { t, i18n } = useTranslation();
  const api = useFeatureApi('roles');
  const roles = useFeature('roles', (s) => s.items);
  const loaded = useFeature('roles', (s) => s.loaded);
  const error = useFeature('roles', (s) => s.error);
  const platforms = useFeature('stores', (s) => s.platforms);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [choosing, setChoosing] = useState(false);
  const [deleting, setDeleting] = useState<Role | null>(null);

  useEffect(() => {
    void api.getState().load();
  }, [api]);

  const start = (from: Start) => {
    setChoosing(false);
    const initial: RoleDraft =
      from === 'blank'
        ? draftOf({ ...readOnlyRole(platforms), name: '', description: '', levels: {}, otherLevel: 'none' })
        : from === 'read-only'
          ? draftOf(readOnlyRole(platforms))
          : draftOf(roleTemplate(from, platforms));
    setEditing({ role: null, initial });
  };

  const clone = (role: Role) => setEditing({ role: null, initial: { ...draftOf(role), name: t('roles.copyOf', { name: role.name }).slice(0, 80) } });

  if (editing)
    return (
      <RoleEditor
        role={editing.role}
        initial={editing.initial}
        platforms={platforms}
        onCancel={() => setEditing(null)}
        onSave={async (draft) => {
          if (editing.role) await api.getState().update(editing.role.id, draft);
          else await api.getState().create(draft);
          setEditing(null);
        }}
      />
    );

  return (
    <section>
      <PageHeader
        title={t('roles.title')}
        description={t('roles.intro')}
        actions={
          <Button variant="primary" onClick={() => setChoosing(true)}>
            {t('roles.add')}
          </Button>
        }
      />
      {error ? <Notice kind="error">{t('common.loadError', { message: error })}</Notice> : null}
      {!loaded && !error ? (
        <Busy />
      ) : loaded && roles.length === 0 ? (
        <EmptyState title={t('roles.emptyTitle')} action={<Button variant="primary" onClick={() => setChoosing(true)}>{t('roles.add')}</Button>}>
          {t('roles.emptyText')}
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('roles.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('roles.name')}</th>
                <th scope="col">{t('roles.levels')}</th>
                <th scope="col">{t('roles.switches')}</th>
                <th scope="col">{t('roles.defaultValidity')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {roles.map((r) => {
                const levels = Object.values(r.levels);
                const on = SWITCHES.filter((k) => r.switches[k]);
                // A built-in role's description reads in the interface language until the owner rewrites it.
                const stock = stockRoleDescription(r.description);
                const description = stock ? localized(stock, i18n.language) : r.description;
                const name = roleName(r.name, i18n.language);
                const templateName = r.template ? localized(ROLE_TEMPLATE_NAMES[r.template], i18n.language) : null;
                return (
                  <tr key={r.id}>
                    <th scope="row">
                      {name}
                      {templateName !== null && templateName !== name ? (
                        <>
                          {' '}
                          <Badge kind="info">{t('roles.fromTemplate', { name: templateName })}</Badge>
                        </>
                      ) : null}
                      {description ? <div className="muted small">{description}</div> : null}
                    </th>
                    <td className="small">
                      <div className="nowrap">{t('roles.levelCounts', { edit: levels.filter((l) => l === 'edit').length, view: levels.filter((l) => l === 'view').length })}</div>
                      <div className="nowrap">{t('roles.otherPagesLevel', { other: t(`level.${r.otherLevel}`) })}</div>
                      {r.rules.length > 0 ? <div>{t('roles.ruleCount', { count: r.rules.length })}</div> : null}
                      {r.stepUp.length > 0 ? <div>{t('roles.stepUpCount', { count: r.stepUp.length })}</div> : null}
                    </td>
                    <td className="small">{on.length === 0 ? <span className="muted">{t('roles.noSwitches')}</span> : formatList(on.map((k) => t(`roles.switch.${k}`)), i18n.language)}</td>
                    <td className="small">{r.defaultValidityDays === null ? <span className="muted">{t('roles.noEnd')}</span> : formatUnit(r.defaultValidityDays, 'day', i18n.language)}</td>
                    <td className="actions">
                      <Button onClick={() => setEditing({ role: r, initial: draftOf(r) })} aria-label={t('common.editNamed', { name })}>
                        {t('common.edit')}
                      </Button>
                      <Button onClick={() => clone(r)} aria-label={t('roles.cloneNamed', { name })}>
                        {t('roles.clone')}
                      </Button>
                      <Button variant="danger" onClick={() => setDeleting(r)} aria-label={t('common.deleteNamed', { name })}>
                        {t('common.delete')}
                      </Button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {choosing ? <StartDialog onStart={start} onClose={() => setChoosing(false)} /> : null}
      {deleting ? (
        <ConfirmDialog title={t('roles.deleteTitle', { name: roleName(deleting.name, i18n.language) })} confirmLabel={t('common.delete')} danger onConfirm={() => api.getState().remove(deleting.id)} onClose={() => setDeleting(null)}>
          <p>{t('roles.deleteText')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function StartDialog({ onStart, onClose }: { onStart: (from: Start) => void; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [from, setFrom] = useState<Start>('operator');
  const options: { value: Start; label: string }[] = [
    ...TemplateKey.options.map((key) => ({ value: key as Start, label: localized(ROLE_TEMPLATE_NAMES[key], i18n.language) })),
    { value: 'read-only', label: t('roles.startReadOnly') },
    { value: 'blank', label: t('roles.startBlank') },
  ];
  return (
    <Dialog
      title={t('roles.startTitle')}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button variant="primary" onClick={() => onStart(from)}>
            {t('roles.startContinue')}
          </Button>
        </>
      }
    >
      <fieldset className="radio-list">
        <legend>{t('roles.startFrom')}</legend>
        {options.map((o) => (
          <label key={o.value} className="radio-option">
            <input type="radio" name="role-start" value={o.value} checked={from === o.value} onChange={() => setFrom(o.value)} data-autofocus={from === o.value ? true : undefined} />
            {o.label}
          </label>
        ))}
      </fieldset>
    </Dialog>
  );
}
