// An owner change as the owner reads it: each changed field with its value before and after,
// names instead of ids, times and levels in words. The raw entity stays one click away.
import { useTranslation } from 'react-i18next';
import type { i18n as I18n, TFunction } from 'i18next';
import { changeKind, changedFields, isBlank, isRecord } from '../../../shared/audit/changes';
import { formatLogTime } from '../../util/format';
import type { LogNames } from './LogTable';

/** Fields holding epoch milliseconds. */
const TIME_FIELDS = /(?:At|^validFrom|^validUntil|^until)$/;
const LEVELS = new Set(['none', 'view', 'edit']);
/** A cell shows this much of a long value (a huge list of pages); the raw data has it whole. */
const MAX_SHOWN = 600;

export function ChangeTable({ detail, names }: { detail: Record<string, unknown>; names: LogNames }) {
  const { t, i18n } = useTranslation();
  const { before, after } = detail;
  // A side the log had to store reduced cannot be compared: every field would read as removed.
  const reduced = isOmitted(before) || isOmitted(after);
  const { changes, more } = reduced ? { changes: [], more: 0 } : changedFields(before, after);
  const entity = typeof detail.entity === 'string' ? detail.entity : '';
  const action = typeof detail.action === 'string' ? detail.action : '';
  const heading = [logLabel(i18n, 'entity', entity) ?? entity, logLabel(i18n, 'action', action) ?? action]
    .filter(Boolean)
    .join(' ');

  const rules = ruleFilters(before, after);
  const label = (path: string[]) =>
    path
      .map((segment, i) => {
        // The key under `levels` is a module id, under `rules` a rule id: shown as the rule's filter.
        if (path[i - 1] === 'levels') return names.module(segment);
        if (path[i - 1] === 'rules' && rules.has(segment)) return rules.get(segment)!;
        return logLabel(i18n, 'changeField', segment) ?? segment;
      })
      .join(' › ');

  const value = (path: string[], v: unknown): string => {
    const key = path.at(-1) ?? '';
    // Not set (absent, null, an empty list or object: no scope values, no step-up pages).
    if (isBlank(v)) return t('log.none');
    if (typeof v === 'boolean') return v ? t('log.yes') : t('log.no');
    if (typeof v === 'number' && TIME_FIELDS.test(key)) return formatLogTime(v, i18n.language);
    if (typeof v === 'string' && LEVELS.has(v) && (path[0] === 'levels' || key === 'otherLevel')) return t(`level.${v as 'none'}`);
    if (typeof v === 'string' && key === 'staffId') return names.actor(v);
    if (typeof v === 'string' && key === 'storeId') return names.store(v);
    if (typeof v === 'string' && key === 'roleId') return names.role(v);
    if (typeof v === 'string') return v === '' ? '""' : shorten(v);
    return shorten(compactJson(v, t));
  };

  return (
    <section className="change-table" aria-labelledby="change-table-title">
      <h3 id="change-table-title">
        {t('log.whatChanged')}
        {heading ? <span className="muted"> · {heading}</span> : null}
        {changes.length > 0 ? <span className="muted"> · {t('log.changeSummary', { count: changes.length + more })}</span> : null}
      </h3>
      {reduced ? (
        <p className="muted">{t('log.changeOmitted')}</p>
      ) : changes.length === 0 ? (
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
            {changes.map((change) => {
              // The side that is not set reads as "(none)", greyed; the row is marked for its edge colour.
              const kind = changeKind(change);
              return (
                <tr key={change.path.join('\u0000')} className={`change-${kind}`}>
                  <th scope="row">{label(change.path)}</th>
                  <td className={`break${kind === 'added' ? ' muted' : ''}`}>{value(change.path, change.before)}</td>
                  <td className={`break${kind === 'removed' ? ' muted' : ''}`}>{value(change.path, change.after)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {more > 0 ? <p className="muted">{t('log.moreChanges', { count: more })}</p> : null}
    </section>
  );
}

/**
 * The translation of a logged name under `log.<group>`, or null. Names come from the logged
 * data, so "constructor" or "toString" must not reach the lookup: i18next would find
 * Object.prototype's and show a function's source.
 */
export function logLabel(i18n: I18n, group: 'entity' | 'action' | 'changeField', name: string): string | null {
  if (name === '' || name in Object.prototype) return null;
  const key = `log.${group}.${name}`;
  return i18n.exists(key) ? i18n.t(key as 'log.entity.store') : null;
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
  try {
    return JSON.stringify(value) ?? t('log.none');
  } catch {
    // Nested past what JSON.stringify can walk: the raw data is the place for it.
    return '…';
  }
}

function shorten(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

/**
 * Which record an owner change is about, by name: a role's or store's name, a person's display
 * and user name, an assignment's person and store; else the id as logged. Either side will do
 * (a deleted record is named from `before`).
 */
export function changeSubject(detail: Record<string, unknown>, names: LogNames): string {
  const side = isRecord(detail.after) ? detail.after : isRecord(detail.before) ? detail.before : {};
  const text = (key: string) => (typeof side[key] === 'string' && side[key] !== '' ? (side[key] as string) : null);
  const id = typeof detail.id === 'string' ? detail.id : '';
  switch (detail.entity) {
    case 'role':
      return text('name') ?? names.role(id);
    case 'store':
      return text('name') ?? names.store(id);
    case 'staff': {
      const username = text('username');
      if (!username) return names.actor(id);
      const displayName = text('displayName');
      return displayName ? `${displayName} (${username})` : username;
    }
    case 'assignment': {
      const staffId = text('staffId');
      const storeId = text('storeId');
      return staffId && storeId ? `${names.actor(staffId)} · ${names.store(storeId)}` : id;
    }
    default:
      return id;
  }
}

/** What the log stores for a field too large to keep (event-row.ts reduceDetail): { omitted: { chars, sha256 } }. */
function isOmitted(value: unknown): boolean {
  return isRecord(value) && Object.keys(value).length === 1 && isRecord(value.omitted);
}
