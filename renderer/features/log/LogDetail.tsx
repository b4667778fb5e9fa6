// One log row in full; owner changes show what changed, field by field (F19).
import { useTranslation } from 'react-i18next';
import type { AuditEvent } from '../../../shared/model/audit';
import type { DecisionReason } from '../../../shared/model/decision';
import { Button } from '../../ui/controls';
import { formatLogTime } from '../../util/format';
import { ChangeTable, changeSubject, logLabel } from './ChangeTable';
import type { LogNames } from './LogTable';

function json(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? 'null';
  } catch {
    // Nested deeper than JSON.stringify walks: the panel must still open.
    return '…';
  }
}

export function LogDetail({ row, names, onClose }: { row: AuditEvent; names: LogNames; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { before, after, ...rest } = row.detail as { before?: unknown; after?: unknown } & Record<string, unknown>;
  const isChange = row.kind === 'owner-change' && ('before' in row.detail || 'after' in row.detail);
  const entity = typeof rest.entity === 'string' ? rest.entity : '';
  const entityName = logLabel(i18n, 'entity', entity) ?? entity;
  const subject = isChange ? changeSubject(row.detail, names) : '';
  return (
    <aside
      className="log-detail panel"
      aria-labelledby="log-detail-title"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <div className="row-between">
        <h2 id="log-detail-title">{t('log.detailTitle', { id: row.id })}</h2>
        <Button variant="ghost" onClick={onClose}>
          {t('common.close')}
        </Button>
      </div>
      <dl className="facts">
        <dt>{t('log.col.time')}</dt>
        <dd>{formatLogTime(row.ts, i18n.language)}</dd>
        <dt>{t('log.col.kind')}</dt>
        <dd>{t(`kind.${row.kind}`)}</dd>
        <dt>{t('log.col.actor')}</dt>
        <dd>{names.actor(row.actorId)}</dd>
        <dt>{t('log.col.store')}</dt>
        <dd>{names.store(row.storeId)}</dd>
        {row.method ? (
          <>
            <dt>{t('log.col.method')}</dt>
            <dd className="mono">{row.method}</dd>
          </>
        ) : null}
        {row.url ? (
          <>
            <dt>{t('log.col.url')}</dt>
            <dd className="mono break">{row.url}</dd>
          </>
        ) : null}
        {row.module ? (
          <>
            <dt>{t('log.col.module')}</dt>
            <dd>{names.module(row.module)}</dd>
          </>
        ) : null}
        {row.decision ? (
          <>
            <dt>{t('log.col.decision')}</dt>
            <dd>{t(`decision.${row.decision}`)}</dd>
          </>
        ) : null}
        {row.reason ? (
          <>
            <dt>{t('log.reason')}</dt>
            <dd>
              {/* Known reasons read as a sentence (with their code); an unknown code as it is (an
                  imported row's "constructor" too: that is no lookup path). */}
              {!(row.reason in Object.prototype) && i18n.exists(`reason.${row.reason}`) ? (
                <>
                  {t(`reason.${row.reason as DecisionReason}`)} <span className="mono muted">{row.reason}</span>
                </>
              ) : (
                <span className="mono">{row.reason}</span>
              )}
            </dd>
          </>
        ) : null}
        {row.ruleId ? (
          <>
            <dt>{t('log.rule')}</dt>
            <dd className="mono break">{row.ruleId}</dd>
          </>
        ) : null}
        {isChange && entity ? (
          <>
            <dt>{t('log.changeSubject')}</dt>
            {/* A record logged under its entity's own name (alert rules) needs no second name. */}
            <dd className="break">{subject && subject !== entity ? t('log.changeSubjectValue', { entity: entityName, name: subject }) : entityName}</dd>
          </>
        ) : null}
        <dt>{t('log.hash')}</dt>
        <dd className="mono break small">{row.hash}</dd>
      </dl>
      {isChange ? (
        <>
          <ChangeTable detail={row.detail} names={names} />
          {/* Everything as logged — entity, action and id too — one click away. */}
          <details className="raw-change">
            <summary>{t('log.rawData')}</summary>
            {Object.keys(rest).length > 0 ? (
              <pre className="json" tabIndex={0} aria-label={t('log.detail')}>
                {json(rest)}
              </pre>
            ) : null}
            <div className="diff">
              <div>
                <h3>{t('log.before')}</h3>
                <pre className="json" tabIndex={0} aria-label={t('log.before')}>
                  {json(before ?? null)}
                </pre>
              </div>
              <div>
                <h3>{t('log.after')}</h3>
                <pre className="json" tabIndex={0} aria-label={t('log.after')}>
                  {json(after ?? null)}
                </pre>
              </div>
            </div>
          </details>
        </>
      ) : null}
      {!isChange && Object.keys(row.detail).length > 0 ? (
        <>
          <h3>{t('log.detail')}</h3>
          <pre className="json" tabIndex={0} aria-label={t('log.detail')}>
            {json(row.detail)}
          </pre>
        </>
      ) : null}
    </aside>
  );
}
