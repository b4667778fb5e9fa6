// The owner console (F6): sidebar navigation between the owner's tools (asking first when the
// page has unsaved changes), and the policy problems banner whenever the core reports one.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useFeature, useFeatureApi } from '../../app/services';
import { Badge, Notice } from '../../ui/controls';
import { UnsavedChangesProvider, usePageGuard } from '../../ui/UnsavedChanges';
import { AssignmentsPage } from '../assignments/AssignmentsPage';
import { AuditPage } from '../audit/AuditPage';
import { LogPage } from '../log/LogPage';
import { RolesPage } from '../roles/RolesPage';
import { SettingsPage } from '../settings/SettingsPage';
import { StaffPage } from '../staff/StaffPage';
import { StoresPage } from '../stores/StoresPage';
import { RuleTesterPage } from '../tester/RuleTesterPage';
import { ClosedNotices } from '../workspace/ClosedNotices';

export const SECTIONS = ['stores', 'staff', 'roles', 'assignments', 'tester', 'log', 'audit', 'settings'] as const;
export type Section = (typeof SECTIONS)[number];

export function OwnerConsole({ initial = 'stores' }: { initial?: Section }) {
  const { t } = useTranslation();
  const [section, setSection] = useState<Section>(initial);
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  const roles = useFeatureApi('roles');
  const stores = useFeatureApi('stores');
  const workspace = useFeatureApi('workspace');
  const audit = useFeatureApi('audit');
  const newAlerts = useFeature('audit', (s) => s.undismissed);
  const guard = usePageGuard();

  useEffect(() => {
    void audit.getState().loadCount();
    void audit.getState().loadStatus();
    void roles.getState().loadProblems();
    void stores.getState().loadPlatforms();
    void workspace.getState().load();
  }, [roles, stores, workspace, audit]);

  // Moving to another section puts focus on its title, so screen readers announce it.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.querySelector<HTMLElement>('[data-page-title]')?.focus();
  }, [section]);

  // The section already shown stays as it is, unsaved edits included: nothing to ask.
  const open = (next: Section) => {
    if (next !== section) guard.leave(() => setSection(next));
  };

  const pages: Record<Section, ReactNode> = {
    stores: <StoresPage />,
    staff: <StaffPage />,
    roles: <RolesPage />,
    assignments: <AssignmentsPage />,
    tester: <RuleTesterPage />,
    log: <LogPage />,
    audit: <AuditPage />,
    settings: <SettingsPage />,
  };

  return (
    <div className="console">
      <nav className="sidebar" aria-label={t('nav.label')}>
        <ul>
          {SECTIONS.map((s) => (
            <li key={s}>
              <button type="button" className="nav-item" aria-current={section === s ? 'page' : undefined} onClick={() => open(s)}>
                {t(`nav.${s}`)}
                {s === 'audit' && newAlerts > 0 ? (
                  <>
                    {' '}
                    <span aria-hidden="true">
                      <Badge kind="danger">{newAlerts}</Badge>
                    </span>
                    <span className="visually-hidden">{t('nav.alertsWaiting', { count: newAlerts })}</span>
                  </>
                ) : null}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <main className="console-main" id="main" ref={mainRef}>
        <PolicyProblems />
        {POLICY_SECTIONS.has(section) ? <ManagedPolicyBanner /> : null}
        <ClosedNotices />
        <UnsavedChangesProvider value={guard.report}>{pages[section]}</UnsavedChangesProvider>
      </main>
      {guard.dialog}
    </div>
  );
}

/** The sections whose contents a managed machine takes from signed bundles. */
const POLICY_SECTIONS: ReadonlySet<Section> = new Set(['stores', 'staff', 'roles', 'assignments']);

/** On a managed staff machine (F25): where the policy comes from, or why staff have no access. */
function ManagedPolicyBanner() {
  const { t } = useTranslation();
  const management = useFeature('audit', (s) => s.status?.management ?? null);
  if (!management?.managed) return null;
  if (management.problem !== null) {
    return (
      <Notice kind="error" title={t('managed.noAccessTitle')}>
        <p>{management.problem}</p>
        <p>{t('managed.noAccessHint')}</p>
      </Notice>
    );
  }
  return (
    <Notice kind="info" title={t('managed.title', { version: management.version })}>
      {t('managed.body')}
    </Notice>
  );
}

function PolicyProblems() {
  const { t } = useTranslation();
  const problems = useFeature('roles', (s) => s.problems);
  if (problems.length === 0) return null;
  return (
    <Notice kind="error" title={t('problems.title', { count: problems.length })} className="problems-banner">
      <p>{t('problems.intro')}</p>
      <ul>
        {problems.slice(0, 10).map((p, i) => (
          <li key={i}>{p}</li>
        ))}
      </ul>
      {problems.length > 10 ? <p>{t('problems.more', { count: problems.length - 10 })}</p> : null}
    </Notice>
  );
}
