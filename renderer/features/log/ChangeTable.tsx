// An owner change as the owner reads it: each changed field with its value before and after,
// names instead of ids, times and levels in words. The raw entity stays one click away.
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { changedFields } from '../../../shared/audit/changes';
import { formatLogTime } from '../../util/format';
import type { LogNames } from './LogTable';

/** Fields holding epoch milliseconds. */
const TIME_FIELDS = /(?:At|^validFrom|^validUntil|^until)$/;
const LEVELS = new Set(['none', 'view', 'edit']);

export function ChangeTable({ detail, names }: { detail: Record<string, unknown>; names: LogNames }) {
  const { t, i18n } = useTranslation();
  const { before, after } = detail;
  const { changes, more } = changedFields(before, after);
  const entity = typeof detail.entity === 'string' ? detail.entity : '';
  const action = typeof detail.action === 'string' ? detail.action : '';
  const heading = [i18n.exists(`log.entity.${entity}`) ? t(`log.entity.${entity}` as 'log.entity.store') : entity, i18n.exists(`log.action.${action}`) ? t(`log.action.${action}` as 'log.action.update') : action]
    .filter(Boolean)
    .join(' ');

  const rules = ruleFilters(before, after);
  const label = (path: string[]) =>
    path
      .map((segment, i) => {
        // The key under `levels` is a module id, under `rules` a rule id: shown as the rule's filter.
        if (path[i - 1] === 'levels') return names.module(segment);
        if (path[i - 1] === 'rules' && rules.has(segment)) return rules.get(segment)!;
        return i18n.exists(`log.changeField.${segment}`) ? t(`log.changeField.${segment}` as 'log.changeField.name') : segment;
      })
      .join(' › ');

  const value = (path: string[], v: unknown): string => {
    const key = path.at(-1) ?? '';
    if (v === undefined || v === null) return t('log.none');
    if (typeof v === 'boolean') return v ? t('log.yes') : t('log.no');
    if (typeof v === 'number' && TIME_FIELDS.test(key)) return formatLogTime(v, i18n.language);
    if (typeof v === 'string' && LEVELS.has(v) && (path[0] === 'levels' || key === 'otherLevel')) return t(`level.${v as 'none'}`);
    if (typeof v === 'string' && key === 'staffId') return names.actor(v);
    if (typeof v === 'string' && key === 'storeId') return names.store(v);
    if (typeof v === 'string' && key === 'roleId') return names.role(v);
    if (isEmpty(v)) return t('log.none');
    if (typeof v === 'string') return v === '' ? '""' : v;
    return compactJson(v, t);
  };

  return (
    <section className="change-table" aria-labelledby="change-table-title">
      <h3 id="change-table-title">
        {t('log.whatChanged')}
        {heading ? <span className="muted"> · {heading}</span> : null}
        {changes.length > 0 ? <span className="muted"> · {t('log.changeSummary', { count: changes.length + more })}</span> : null}
      </h3>
      {changes.length === 0 ? (
        <p className="muted">{t('log.noFieldChanged')}</p>
      ) : (
        <table className="table compact">
          <thead>
            <tr>
              <th scope="col">{t('log.field')}</th>
              <th scope="col">{t('log.before')}</th>
              <th scope="col">{t('log.after')}</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((change) => (
              <tr key={change.path.join('\u0000')}>
                <th scope="row">{label(change.path)}</th>
                <td className={`break${change.before === undefined ? ' muted' : ''}`}>{value(change.path, change.before)}</td>
                <td className={`break${change.after === undefined ? ' muted' : ''}`}>{value(change.path, change.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {more > 0 ? <p className="muted">{t('log.moreChanges', { count: more })}</p> : null}
    </section>
  );
}

/** An empty list or object (no scope values, no step-up pages) reads as none. */
function isEmpty(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

/** A role's rules by id → their filter text, from either side (a deleted rule is named too). */
function ruleFilters(...sides: unknown[]): Map<string, string> {
  const filters = new Map<string, string>();
  for (const side of sides) {
    const rules = (side as { rules?: unknown } | null)?.rules;
    if (!Array.isArray(rules)) continue;
    for (const rule of rules as { id?: unknown; filter?: unknown }[]) if (typeof rule?.id === 'string' && typeof rule.filter === 'string') filters.set(rule.id, rule.filter);
  }
  return filters;
}

/** Objects and lists that remain (a proxy set, a rule added, a list of pages): one line of JSON. */
function compactJson(value: unknown, t: TFunction): string {
  const text = JSON.stringify(value);
  return text === undefined ? t('log.none') : text;
}
