// The module × level grid of a role (F8, F11): one row per module of the chosen platform's
// catalogue, None / View / Edit as a radio group. Levels are keyed by module id, which both
// built-in catalogues share, so one role means the same on every platform.
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Platform } from '../../../shared/catalog/schema';
import type { Level } from '../../../shared/model/common';
import { Badge } from '../../ui/controls';
import { Tabs } from '../../ui/Tabs';
import { localized } from '../../util/catalog';

export const LEVELS: readonly Level[] = ['none', 'view', 'edit'];

export interface ModuleLevelGridProps {
  platforms: readonly Platform[];
  levels: Readonly<Record<string, Level>>;
  otherLevel: Level;
  onLevel(moduleId: string, level: Level): void;
  onOtherLevel(level: Level): void;
  /** Service issues by path ("levels.<id>"). */
  issues?: ReadonlyMap<string, string>;
}

export function ModuleLevelGrid({ platforms, levels, otherLevel, onLevel, onOtherLevel, issues }: ModuleLevelGridProps) {
  const { t, i18n } = useTranslation();
  const [active, setActive] = useState(platforms[0]?.id ?? '');
  const base = useId();
  const platform = platforms.find((p) => p.id === active) ?? platforms[0];

  // Module ids the role names that no platform has (the service reports them as levels.<id>).
  const unknown = Object.keys(levels).filter((id) => !platforms.some((p) => p.modules.some((m) => m.id === id)));

  return (
    <div className="level-grid">
      <Tabs label={t('roles.platformTabs')} tabs={platforms.map((p) => ({ id: p.id, label: localized(p.name, i18n.language) }))} active={platform?.id ?? ''} onChange={setActive}>
        <p className="field-hint">{t('roles.sharedLevels')}</p>
        <table className="table grid-table">
          <caption className="visually-hidden">{t('roles.levelsCaption', { platform: platform ? localized(platform.name, i18n.language) : '' })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('roles.module')}</th>
              {LEVELS.map((level) => (
                <th scope="col" key={level} className="center">
                  {t(`level.${level}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {(platform?.modules ?? []).map((m) => {
              const name = localized(m.name, i18n.language);
              const current = levels[m.id] ?? 'none';
              const issue = issues?.get(`levels.${m.id}`);
              const rowId = `${base}-${platform!.id}-${m.id}`;
              return (
                <tr key={m.id} data-module={m.id} className={issue ? 'row-invalid' : undefined}>
                  <th scope="row" id={rowId}>
                    <span className="module-name">{name}</span> <span className="muted small mono">{m.id}</span>
                    {m.sensitive ? <Badge kind="danger">{t('roles.sensitive')}</Badge> : null}
                    {m.stepUp ? <Badge kind="warn">{t('roles.stepUpModule')}</Badge> : null}
                    {m.description ? <div className="muted small">{localized(m.description, i18n.language)}</div> : null}
                    {issue ? <div className="field-error" role="alert">{issue}</div> : null}
                  </th>
                  {LEVELS.map((level) => (
                    <td key={level} className="center">
                      <input
                        type="radio"
                        name={rowId}
                        value={level}
                        checked={current === level}
                        onChange={() => onLevel(m.id, level)}
                        aria-label={`${name}: ${t(`level.${level}`)}`}
                      />
                    </td>
                  ))}
                </tr>
              );
            })}
            <tr className="row-other">
              <th scope="row">
                <span className="module-name">{t('roles.otherPages')}</span>
                <div className="muted small">{t('roles.otherPagesHint')}</div>
              </th>
              {LEVELS.map((level) => (
                <td key={level} className="center">
                  <input type="radio" name={`${base}-other`} value={level} checked={otherLevel === level} onChange={() => onOtherLevel(level)} aria-label={`${t('roles.otherPages')}: ${t(`level.${level}`)}`} />
                </td>
              ))}
            </tr>
          </tbody>
        </table>
        {unknown.length > 0 ? (
          <p className="field-error" role="alert">
            {t('roles.unknownModules', { ids: unknown.join(', ') })}
          </p>
        ) : null}
      </Tabs>
    </div>
  );
}
