// Add or edit a store (F1, F3): platform and site from the catalogue, home page, group, colour,
// and its network identity (proxy, user agent, accept-language).
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RequestOf } from '../../../shared/ipc/contract';
import { sameProxyAccount, type ProxyConfig, type Store } from '../../../shared/model/store';
import { useFeature, useFeatureApi } from '../../app/services';
import { Dialog } from '../../ui/Dialog';
import { Button, CheckboxField, SelectField, TextField } from '../../ui/controls';
import { ErrorNotice, useServerIssues } from '../../ui/errors';
import { localized } from '../../util/catalog';

type StoreInput = RequestOf<'stores:create'>;
type Patch = RequestOf<'stores:update'>['patch'];

interface FormState {
  name: string;
  platformId: string;
  siteId: string;
  homeUrl: string;
  group: string;
  colour: string;
  useProxy: boolean;
  proxyScheme: ProxyConfig['scheme'];
  proxyHost: string;
  proxyPort: string;
  proxyUsername: string;
  proxyPassword: string;
  clearProxyPassword: boolean;
  userAgent: string;
  acceptLanguage: string;
}

export const STORE_COLOURS = ['#3b82f6', '#10b981', '#f59e0b', '#ef4444', '#8b5cf6', '#0ea5e9', '#64748b', '#d946ef'];

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

type Problem = 'required' | 'url' | 'port' | 'colour';

function problems(f: FormState): Partial<Record<string, Problem>> {
  const out: Partial<Record<string, Problem>> = {};
  if (!f.name.trim()) out.name = 'required';
  if (!isHttpUrl(f.homeUrl.trim())) out.homeUrl = 'url';
  if (!/^#[0-9a-fA-F]{6}$/.test(f.colour)) out.colour = 'colour';
  if (f.useProxy) {
    if (!f.proxyHost.trim()) out['proxy.host'] = 'required';
    const port = Number(f.proxyPort);
    if (!Number.isInteger(port) || port < 1 || port > 65535) out['proxy.port'] = 'port';
  }
  return out;
}

/** The proxy server and account the form names (all but the password). */
function formProxy(f: FormState): Omit<ProxyConfig, 'password'> {
  return { scheme: f.proxyScheme, host: f.proxyHost.trim(), port: Number(f.proxyPort), ...(f.proxyUsername ? { username: f.proxyUsername } : {}) };
}

function toInput(f: FormState): StoreInput {
  const proxy: ProxyConfig | null = f.useProxy
    ? { ...formProxy(f), ...(f.clearProxyPassword ? { password: '' } : f.proxyPassword ? { password: f.proxyPassword } : {}) }
    : null;
  return {
    name: f.name.trim(),
    platformId: f.platformId,
    siteId: f.siteId,
    homeUrl: f.homeUrl.trim(),
    group: f.group.trim(),
    colour: f.colour,
    proxy,
    userAgent: f.userAgent.trim() || null,
    acceptLanguage: f.acceptLanguage.trim() || null,
  };
}

/** Only what changed: a new proxy, user agent or language closes the store's open session. */
export function storePatch(before: Store, input: StoreInput): Patch {
  const patch: Patch = {};
  const keys = ['name', 'platformId', 'siteId', 'homeUrl', 'group', 'colour', 'userAgent', 'acceptLanguage'] as const;
  for (const key of keys) if (input[key] !== undefined && input[key] !== before[key]) (patch as Record<string, unknown>)[key] = input[key];
  const newProxy = input.proxy ?? null;
  if (newProxy === null) {
    if (before.proxy !== null) patch.proxy = null;
  } else {
    // The console never sees the stored proxy password: a proxy sent without one keeps it.
    const plain = (p: ProxyConfig) => JSON.stringify([p.scheme, p.host, p.port, p.username ?? '']);
    if (before.proxy === null || plain(newProxy) !== plain(before.proxy) || newProxy.password !== undefined) patch.proxy = newProxy;
  }
  return patch;
}

export function StoreForm({ store, onClose }: { store: Store | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const api = useFeatureApi('stores');
  const platforms = useFeature('stores', (s) => s.platforms);
  const [form, setForm] = useState<FormState>(() => {
    const platform = platforms.find((p) => p.id === store?.platformId) ?? platforms[0];
    const site = platform?.sites.find((s) => s.id === store?.siteId) ?? platform?.sites[0];
    return {
      name: store?.name ?? '',
      platformId: platform?.id ?? '',
      siteId: site?.id ?? '',
      homeUrl: store?.homeUrl ?? site?.homeUrl ?? '',
      group: store?.group ?? '',
      colour: store?.colour ?? STORE_COLOURS[0]!,
      useProxy: !!store?.proxy,
      proxyScheme: store?.proxy?.scheme ?? 'http',
      proxyHost: store?.proxy?.host ?? '',
      proxyPort: store?.proxy ? String(store.proxy.port) : '',
      proxyUsername: store?.proxy?.username ?? '',
      proxyPassword: '',
      clearProxyPassword: false,
      userAgent: store?.userAgent ?? '',
      acceptLanguage: store?.acceptLanguage ?? '',
    };
  });
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const server = useServerIssues(error);
  const local = touched ? problems(form) : {};
  const platform = platforms.find((p) => p.id === form.platformId);
  const siteHomes = useMemo(() => new Set(platforms.flatMap((p) => p.sites.map((s) => s.homeUrl))), [platforms]);

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setForm((f) => ({ ...f, [key]: value }));
  const pickSite = (platformId: string, siteId: string) => {
    const site = platforms.find((p) => p.id === platformId)?.sites.find((s) => s.id === siteId);
    // The home page follows the site unless the owner typed their own.
    setForm((f) => ({ ...f, platformId, siteId, homeUrl: site && (f.homeUrl === '' || siteHomes.has(f.homeUrl)) ? site.homeUrl : f.homeUrl }));
  };
  const errorFor = (path: string) => {
    const p = local[path];
    return p ? t(`stores.problem.${p}`) : server.get(path);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (Object.keys(problems(form)).length > 0) return;
    setBusy(true);
    setError(null);
    try {
      const input = toInput(form);
      if (store) await api.getState().update(store.id, storePatch(store, input));
      else await api.getState().create(input);
      onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={store ? t('stores.editTitle', { name: store.name }) : t('stores.addTitle')}
      onClose={onClose}
      busy={busy}
      size="large"
      footer={
        <>
          <Button onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </Button>
          <Button variant="primary" type="submit" form="store-form" busy={busy}>
            {store ? t('common.save') : t('stores.add')}
          </Button>
        </>
      }
    >
      <form id="store-form" onSubmit={submit} noValidate className="form-grid">
        <TextField label={t('stores.name')} value={form.name} onChange={(e) => set('name', e.target.value)} error={errorFor('name')} data-autofocus required maxLength={80} />
        <TextField label={t('stores.group')} hint={t('stores.groupHint')} value={form.group} onChange={(e) => set('group', e.target.value)} error={errorFor('group')} maxLength={40} />
        <SelectField
          label={t('stores.platform')}
          value={form.platformId}
          onChange={(e) => pickSite(e.target.value, platforms.find((p) => p.id === e.target.value)?.sites[0]?.id ?? '')}
          error={errorFor('platformId')}
        >
          {platforms.map((p) => (
            <option key={p.id} value={p.id}>
              {localized(p.name, i18n.language)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('stores.site')} value={form.siteId} onChange={(e) => pickSite(form.platformId, e.target.value)} error={errorFor('siteId')}>
          {(platform?.sites ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {localized(s.name, i18n.language)}
            </option>
          ))}
        </SelectField>
        <TextField className="span-2" label={t('stores.homeUrl')} type="url" value={form.homeUrl} onChange={(e) => set('homeUrl', e.target.value)} error={errorFor('homeUrl')} />
        <div className="field span-2">
          <span className="field-label" id="store-colour-label">
            {t('stores.colour')}
          </span>
          <div className="colour-row" role="radiogroup" aria-labelledby="store-colour-label">
            {STORE_COLOURS.map((c) => (
              <label key={c} className={`swatch${form.colour === c ? ' swatch-on' : ''}`} style={{ backgroundColor: c }}>
                <input type="radio" name="store-colour" value={c} checked={form.colour === c} onChange={() => set('colour', c)} className="visually-hidden" aria-label={c} />
              </label>
            ))}
            <input type="color" value={/^#[0-9a-fA-F]{6}$/.test(form.colour) ? form.colour : '#3b82f6'} onChange={(e) => set('colour', e.target.value)} aria-label={t('stores.customColour')} />
          </div>
          {errorFor('colour') ? <p className="field-error">{errorFor('colour')}</p> : null}
        </div>

        <fieldset className="span-2 fieldset">
          <legend>{t('stores.identity')}</legend>
          <p className="field-hint">{t('stores.identityHint')}</p>
          <CheckboxField label={t('stores.useProxy')} checked={form.useProxy} onChange={(e) => set('useProxy', e.target.checked)} />
          {form.useProxy ? (
            <div className="form-grid">
              <SelectField label={t('stores.proxyScheme')} value={form.proxyScheme} onChange={(e) => set('proxyScheme', e.target.value as ProxyConfig['scheme'])}>
                <option value="http">HTTP</option>
                <option value="https">HTTPS</option>
                <option value="socks5">SOCKS5</option>
              </SelectField>
              <TextField label={t('stores.proxyHost')} value={form.proxyHost} onChange={(e) => set('proxyHost', e.target.value)} error={errorFor('proxy.host')} />
              <TextField label={t('stores.proxyPort')} inputMode="numeric" value={form.proxyPort} onChange={(e) => set('proxyPort', e.target.value)} error={errorFor('proxy.port')} />
              <TextField label={t('stores.proxyUsername')} value={form.proxyUsername} autoComplete="off" onChange={(e) => set('proxyUsername', e.target.value)} error={errorFor('proxy.username')} />
              <TextField
                label={t('stores.proxyPassword')}
                type="password"
                autoComplete="new-password"
                hint={store?.proxy ? t(sameProxyAccount(store.proxy, formProxy(form)) ? 'stores.proxyPasswordKeep' : 'stores.proxyPasswordNotKept') : undefined}
                value={form.proxyPassword}
                disabled={form.clearProxyPassword}
                onChange={(e) => set('proxyPassword', e.target.value)}
                error={errorFor('proxy.password')}
              />
              {store?.proxy ? <CheckboxField label={t('stores.proxyPasswordClear')} checked={form.clearProxyPassword} onChange={(e) => set('clearProxyPassword', e.target.checked)} /> : null}
            </div>
          ) : null}
          <TextField label={t('stores.userAgent')} hint={t('stores.userAgentHint')} value={form.userAgent} onChange={(e) => set('userAgent', e.target.value)} error={errorFor('userAgent')} maxLength={512} />
          <TextField label={t('stores.acceptLanguage')} hint={t('stores.acceptLanguageHint')} value={form.acceptLanguage} onChange={(e) => set('acceptLanguage', e.target.value)} error={errorFor('acceptLanguage')} maxLength={128} />
          {store ? <p className="field-hint">{t('stores.identityCloses')}</p> : null}
        </fieldset>
        <div className="span-2">
          <ErrorNotice error={server.size === 0 ? error : null} />
        </div>
      </form>
    </Dialog>
  );
}
