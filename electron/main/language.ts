/** The two interface languages (F27). */
export type UiLanguage = 'en' | 'zh';

export function isUiLanguage(value: unknown): value is UiLanguage {
  return value === 'en' || value === 'zh';
}

/**
 * The language to use: the one saved in the preferences, else the first of the system's
 * preferred languages that we have (any Chinese variant → zh), else English.
 */
export function pickLanguage(saved: unknown, systemPreferred: readonly string[]): UiLanguage {
  if (isUiLanguage(saved)) return saved;
  for (const tag of systemPreferred) {
    const primary = tag.toLowerCase().split(/[-_]/)[0];
    if (primary === 'zh') return 'zh';
    if (primary === 'en') return 'en';
  }
  return 'en';
}
