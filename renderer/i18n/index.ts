// Interface languages (F27): Simplified Chinese and English, following the system language,
// switchable. The Electron host passes its choice as `?lang=en|zh` and remembers what the console
// writes back there (history.replaceState); the system-browser console keeps it in localStorage.
import i18next, { type i18n } from 'i18next';
import { en } from './en';
import { zh } from './zh';
import './types';

export const LANGUAGES = ['en', 'zh-CN'] as const;
export type UiLanguage = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'shopwarden.language';

export const RESOURCES = { en: { translation: en }, 'zh-CN': { translation: zh } } as const;

/** 'zh' (the host's code) or any Chinese tag → zh-CN; any English tag → en; else null. */
export function toUiLanguage(tag: string | null | undefined): UiLanguage | null {
  if (!tag) return null;
  const primary = tag.toLowerCase().split(/[-_]/)[0];
  if (primary === 'zh') return 'zh-CN';
  if (primary === 'en') return 'en';
  return null;
}

/** The host's code for a language (the `?lang=` value the Electron host understands). */
export function hostLanguageCode(language: UiLanguage): 'en' | 'zh' {
  return language === 'zh-CN' ? 'zh' : 'en';
}

export function detectLanguage(input: { search: string; stored: string | null; preferred: readonly string[] }): UiLanguage {
  const fromHost = toUiLanguage(new URLSearchParams(input.search).get('lang'));
  if (fromHost) return fromHost;
  const stored = toUiLanguage(input.stored);
  if (stored) return stored;
  for (const tag of input.preferred) {
    const found = toUiLanguage(tag);
    if (found) return found;
  }
  return 'en';
}

/** The language to start with in this page. */
export function initialLanguage(win: Window = window): UiLanguage {
  let stored: string | null = null;
  try {
    stored = win.localStorage.getItem(STORAGE_KEY);
  } catch {
    // no storage: system language
  }
  const preferred = win.navigator.languages?.length ? win.navigator.languages : [win.navigator.language];
  return detectLanguage({ search: win.location.search, stored, preferred });
}

/** Remembers the choice: in the address for the Electron host, in storage for the browser host. */
export function persistLanguage(language: UiLanguage, win: Window = window): void {
  win.document.documentElement.lang = language;
  try {
    win.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // not remembered
  }
  const url = new URL(win.location.href);
  if (url.searchParams.get('lang') !== hostLanguageCode(language)) {
    url.searchParams.set('lang', hostLanguageCode(language));
    win.history.replaceState(win.history.state, '', `${url.pathname}${url.search}${url.hash}`);
  }
}

export function createI18n(language: UiLanguage): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    lng: language,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    resources: RESOURCES,
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
    // No advertising line in the console's devtools.
    showSupportNotice: false,
  });
  return instance;
}

/** Every key of a nested message object, dotted ("login.title"). */
export function messageKeys(messages: object, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : messageKeys(value as object, `${prefix}${key}.`),
  );
}
