import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type UiLanguage } from '../i18n';

const NAMES: Record<UiLanguage, string> = { en: 'English', 'zh-CN': '简体中文' };

/** Switches the interface language at once (F27); the choice is remembered by main.tsx. */
export function LanguageSelect({ compact = false }: { compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  return (
    <div className={compact ? 'language-select compact' : 'field language-select'}>
      <label htmlFor={id} className={compact ? 'visually-hidden' : undefined}>
        {t('common.language')}
      </label>
      <select id={id} value={i18n.language} onChange={(e) => void i18n.changeLanguage(e.target.value)}>
        {LANGUAGES.map((lng) => (
          <option key={lng} value={lng} lang={lng}>
            {NAMES[lng]}
          </option>
        ))}
      </select>
    </div>
  );
}
