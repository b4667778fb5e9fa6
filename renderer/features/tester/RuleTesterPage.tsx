// Rule tester (F13): URL + method + staff + store → the core's decision, the module and level,
// the rule or filter that decided, and why. The decision is the core's; nothing is decided here.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResponseOf } from '../../../shared/ipc/contract';
import { HttpMethod } from '../../../shared/model/common';
import { useFeature, useFeatureApi, useServices } from '../../app/services';
import { Badge, Button, EmptyState, PageHeader, SelectField, TextField } from '../../ui/controls';
import { ErrorNotice } from '../../ui/errors';
import { moduleName } from '../../util/catalog';

type Result = ResponseOf<'policy:test'>;

export function RuleTesterPage() {
  const { t, i18n } = useTranslation();
  const { client } = useServices();
  const storesApi = useFeatureApi('stores');
  const staffApi = useFeatureApi('staff');
  const stores = useFeature('stores', (s) => s.items);
  const staff = useFeature('staff', (s) => s.items);
  const platforms = useFeature('stores', (s) => s.platforms);
  const [url, setUrl] = useState('');
  const [method, setMethod] = useState<string>('GET');
  const [staffId, setStaffId] = useState('');
  const [storeId, setStoreId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<(Result & { url: string; method: string; storeId: string }) | null>(null);

  useEffect(() => {
    void storesApi.getState().load();
    void staffApi.getState().load();
  }, [storesApi, staffApi]);
  useEffect(() => {
    if (!staffId && staff[0]) setStaffId(staff[0].id);
  }, [staff, staffId]);
  useEffect(() => {
    if (!storeId && stores[0]) setStoreId(stores[0].id);
  }, [stores, storeId]);

  const store = stores.find((s) => s.id === storeId);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!url.trim() || !staffId || !storeId) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await client.call('policy:test', { url: url.trim(), method, staffId, storeId });
      setResult({ ...answer, url: url.trim(), method, storeId });
    } catch (e) {
      setError(e);
      setResult(null);
    } finally {
      setBusy(false);
    }
  };

  if (stores.length === 0 || staff.length === 0)
    return (
      <section>
        <PageHeader title={t('tester.title')} description={t('tester.intro')} />
        <EmptyState title={t('tester.emptyTitle')}>{t('tester.emptyText')}</EmptyState>
      </section>
    );

  const d = result?.decision;
  const resultStore = stores.find((s) => s.id === result?.storeId);
  return (
    <section>
      <PageHeader title={t('tester.title')} description={t('tester.intro')} />
      <form className="panel form-grid tester-form" onSubmit={submit} noValidate>
        <TextField
          className="span-2"
          label={t('tester.url')}
          type="url"
          value={url}
          spellCheck={false}
          placeholder={store?.homeUrl ?? 'https://'}
          onChange={(e) => setUrl(e.target.value)}
        />
        <SelectField label={t('tester.method')} value={method} onChange={(e) => setMethod(e.target.value)}>
          {HttpMethod.options.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('tester.staff')} value={staffId} onChange={(e) => setStaffId(e.target.value)}>
          {staff.map((u) => (
            <option key={u.id} value={u.id}>
              {u.displayName ? `${u.displayName} (${u.username})` : u.username}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('tester.store')} value={storeId} onChange={(e) => setStoreId(e.target.value)}>
          {stores.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={busy} disabled={!url.trim()}>
            {t('tester.run')}
          </Button>
        </div>
      </form>
      <ErrorNotice error={error} />
      {result && d ? (
        <section className="panel tester-result" aria-live="polite" aria-labelledby="tester-result-title">
          <h2 id="tester-result-title">
            <Badge kind={d.allowed ? 'ok' : 'danger'}>{d.allowed ? t('decision.allowed') : t('decision.blocked')}</Badge> <span className="mono break">{`${result.method} ${result.url}`}</span>
          </h2>
          <dl className="facts">
            <dt>{t('tester.reason')}</dt>
            <dd>{t(`reason.${d.reason}`)}</dd>
            <dt>{t('tester.module')}</dt>
            <dd>{d.module ? `${moduleName(platforms, d.module, i18n.language, resultStore?.platformId)} (${d.module})` : <span className="muted">{t('tester.noModule')}</span>}</dd>
            <dt>{t('tester.level')}</dt>
            <dd>{d.level ? t(`level.${d.level}`) : <span className="muted">—</span>}</dd>
            <dt>{t('tester.rule')}</dt>
            <dd className="mono">{d.ruleId ?? <span className="muted">—</span>}</dd>
            <dt>{t('tester.filter')}</dt>
            <dd className="mono break">{d.filter ?? <span className="muted">—</span>}</dd>
            {d.servedPath !== undefined ? (
              <>
                <dt>{t('tester.servedPath')}</dt>
                <dd>
                  <span className="mono break">{d.servedPath}</span>
                  <span className="field-hint">{t('tester.servedPathHint')}</span>
                </dd>
              </>
            ) : null}
          </dl>
          <p className="field-hint">{t('rules.precedence')}</p>
        </section>
      ) : null}
    </section>
  );
}
