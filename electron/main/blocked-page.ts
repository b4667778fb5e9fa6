// The blocked page in a store tab: the one page of electron/core/pages, as a self-contained data:
// URL. Loaded by the host with loadURL (Chromium refuses redirects to data: URLs), so it never
// passes the request guard itself.
import { BUILTIN_PLATFORMS } from '../../shared/catalog/builtin';
import type { Decision } from '../../shared/model/decision';
import type { Store } from '../../shared/model/store';
import { catalogModuleName, renderBlockedPage, type PageLanguage } from '../core/pages/blocked-page';
import type { UiLanguage } from './language';

export interface BlockedTabPage {
  url: string;
  method: string;
  decision: Decision;
  lang: UiLanguage;
  store: Pick<Store, 'name' | 'platformId'> | null;
}

const PAGE_LANGUAGE: Readonly<Record<UiLanguage, PageLanguage>> = { en: 'en', zh: 'zh-CN' };

export function blockedPageUrl({ url, method, decision, lang, store }: BlockedTabPage): string {
  const language = PAGE_LANGUAGE[lang];
  const moduleName = decision.module && store ? catalogModuleName(BUILTIN_PLATFORMS, store.platformId, decision.module, language) : null;
  const html = renderBlockedPage({ url, method, decision, language, storeName: store?.name ?? '', moduleName });
  return `data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}`;
}
