// A role's custom rules (F13): Chrome URLBlocklist/URLAllowlist filters, allow or block,
// optionally only for some HTTP methods. Each filter is checked as it is typed (the parser's
// message under it); problems the service reports on save appear under the row they name
// (issue paths such as `rules.2.filter`).
import { useTranslation } from 'react-i18next';
import type { Platform } from '../../../shared/catalog/schema';
import { HttpMethod } from '../../../shared/model/common';
import type { CustomRule } from '../../../shared/model/role';
import { Button } from '../../ui/controls';
import { filterProblem } from '../../../shared/policy/filter-problem';
import { Id } from '../../../shared/model/common';

export const METHODS = HttpMethod.options;

export interface RulesEditorProps {
  rules: readonly CustomRule[];
  onChange(rules: CustomRule[]): void;
  platforms: readonly Platform[];
  /** Service issues by path ("rules.<i>.filter", "rules.<i>.id"…). */
  issues?: ReadonlyMap<string, string>;
  /** Row `index` was edited: its service issues are out of date. */
  onRowEdited?(index: number): void;
  /** After a save attempt, empty filters are reported too. */
  showEmpty?: boolean;
}

function nextRuleId(rules: readonly CustomRule[]): string {
  const taken = new Set(rules.map((r) => r.id));
  for (let n = rules.length + 1; ; n++) if (!taken.has(`rule-${n}`)) return `rule-${n}`;
}

export function RulesEditor({ rules, onChange, platforms, issues, onRowEdited, showEmpty = false }: RulesEditorProps) {
  const { t } = useTranslation();
  const edit = (index: number, patch: Partial<CustomRule>) => {
    onRowEdited?.(index);
    onChange(rules.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  };
  const remove = (index: number) => {
    onRowEdited?.(-1);
    onChange(rules.filter((_, i) => i !== index));
  };
  const add = () => onChange([...rules, { id: nextRuleId(rules), action: 'block', filter: '', note: '' }]);

  return (
    <div className="rules-editor">
      <p className="field-hint">{t('rules.precedence')}</p>
      {rules.length === 0 ? <p className="muted">{t('rules.none')}</p> : null}
      <ol className="rule-list">
        {rules.map((rule, i) => {
          const local = rule.filter.trim() === '' && !showEmpty ? null : filterProblem(rule.filter, platforms);
          const filterError = local ? t('rules.invalidFilter', { message: local }) : issues?.get(`rules.${i}.filter`);
          const idError = Id.safeParse(rule.id).success ? issues?.get(`rules.${i}.id`) : t('rules.badId');
          const otherError = issues?.get(`rules.${i}.methods`) ?? issues?.get(`rules.${i}.note`) ?? issues?.get(`rules.${i}.action`) ?? issues?.get(`rules.${i}`);
          const base = `rule-${i}`;
          const methods = rule.methods ?? [];
          return (
            <li key={i} className={`rule-row${filterError || idError || otherError ? ' row-invalid' : ''}`} data-rule-index={i} aria-label={t('rules.rowLabel', { n: i + 1 })}>
              <div className="rule-main">
                <div className="field rule-action">
                  <label htmlFor={`${base}-action`}>{t('rules.action')}</label>
                  <select id={`${base}-action`} value={rule.action} onChange={(e) => edit(i, { action: e.target.value as CustomRule['action'] })}>
                    <option value="allow">{t('rules.allow')}</option>
                    <option value="block">{t('rules.block')}</option>
                  </select>
                </div>
                <div className={`field rule-filter${filterError ? ' field-invalid' : ''}`}>
                  <label htmlFor={`${base}-filter`}>{t('rules.filter')}</label>
                  <input
                    id={`${base}-filter`}
                    className="mono"
                    value={rule.filter}
                    spellCheck={false}
                    placeholder="{seller}/payments/"
                    aria-invalid={filterError ? true : undefined}
                    aria-describedby={filterError ? `${base}-filter-error` : undefined}
                    onChange={(e) => edit(i, { filter: e.target.value })}
                  />
                  {filterError ? (
                    <p className="field-error" id={`${base}-filter-error`} role="alert">
                      {filterError}
                    </p>
                  ) : null}
                </div>
                <Button variant="ghost" className="rule-remove" onClick={() => remove(i)} aria-label={t('rules.remove', { n: i + 1 })}>
                  {t('common.remove')}
                </Button>
              </div>
              <div className="rule-extra">
                <fieldset className="methods">
                  <legend>{t('rules.methods')}</legend>
                  {METHODS.map((m) => (
                    <label key={m} className="method">
                      <input
                        type="checkbox"
                        checked={methods.includes(m)}
                        onChange={(e) => {
                          const next = e.target.checked ? [...methods, m] : methods.filter((x) => x !== m);
                          const ordered = METHODS.filter((x) => next.includes(x));
                          const { methods: _drop, ...restRule } = rule;
                          onRowEdited?.(i);
                          onChange(rules.map((r, j) => (j === i ? (ordered.length > 0 ? { ...restRule, methods: ordered } : restRule) : r)));
                        }}
                      />
                      {m}
                    </label>
                  ))}
                  {methods.length === 0 ? <span className="muted small methods-hint">{t('rules.anyMethod')}</span> : null}
                </fieldset>
                <div className={`field rule-id${idError ? ' field-invalid' : ''}`}>
                  <label htmlFor={`${base}-id`}>{t('rules.id')}</label>
                  <input id={`${base}-id`} className="mono" value={rule.id} onChange={(e) => edit(i, { id: e.target.value })} aria-invalid={idError ? true : undefined} aria-describedby={idError ? `${base}-id-error` : undefined} />
                  {idError ? (
                    <p className="field-error" id={`${base}-id-error`} role="alert">
                      {idError}
                    </p>
                  ) : null}
                </div>
                <div className="field rule-note">
                  <label htmlFor={`${base}-note`}>{t('rules.note')}</label>
                  <input id={`${base}-note`} value={rule.note ?? ''} maxLength={200} onChange={(e) => edit(i, { note: e.target.value })} />
                </div>
              </div>
              {otherError ? (
                <p className="field-error" role="alert">
                  {otherError}
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
      <Button onClick={add}>{t('rules.add')}</Button>
    </div>
  );
}

export interface FilterListEditorProps {
  label: string;
  filters: readonly string[];
  onChange(filters: string[]): void;
  platforms: readonly Platform[];
  issues?: ReadonlyMap<string, string>;
  /** Issue path prefix, e.g. "stepUp" → "stepUp.1". */
  path: string;
  onRowEdited?(index: number): void;
  showEmpty?: boolean;
}

/** A list of filters (the role's step-up pages, F17), each checked as typed. */
export function FilterListEditor({ label, filters, onChange, platforms, issues, path, onRowEdited, showEmpty = false }: FilterListEditorProps) {
  const { t } = useTranslation();
  return (
    <div className="filter-list">
      {filters.length === 0 ? <p className="muted">{t('rules.noStepUp')}</p> : null}
      <ol className="rule-list">
        {filters.map((filter, i) => {
          const local = filter.trim() === '' && !showEmpty ? null : filterProblem(filter, platforms);
          const error = local ? t('rules.invalidFilter', { message: local }) : issues?.get(`${path}.${i}`);
          const id = `${path}-${i}`;
          return (
            <li key={i} className={`rule-row${error ? ' row-invalid' : ''}`}>
              <div className="rule-main">
                <div className={`field rule-filter${error ? ' field-invalid' : ''}`}>
                  <label htmlFor={id}>{t('rules.filterN', { label, n: i + 1 })}</label>
                  <input
                    id={id}
                    className="mono"
                    value={filter}
                    spellCheck={false}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? `${id}-error` : undefined}
                    onChange={(e) => {
                      onRowEdited?.(i);
                      onChange(filters.map((f, j) => (j === i ? e.target.value : f)));
                    }}
                  />
                  {error ? (
                    <p className="field-error" id={`${id}-error`} role="alert">
                      {error}
                    </p>
                  ) : null}
                </div>
                <Button
                  variant="ghost"
                  className="rule-remove"
                  onClick={() => {
                    onRowEdited?.(-1);
                    onChange(filters.filter((_, j) => j !== i));
                  }}
                  aria-label={t('rules.removeFilter', { label, n: i + 1 })}
                >
                  {t('common.remove')}
                </Button>
              </div>
            </li>
          );
        })}
      </ol>
      <Button onClick={() => onChange([...filters, ''])}>{t('rules.addStepUp')}</Button>
    </div>
  );
}
