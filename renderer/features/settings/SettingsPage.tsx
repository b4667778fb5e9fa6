// Console settings: idle lock and language (F27).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useFeature, useFeatureApi } from '../../app/services';
import { Button, Notice, PageHeader, TextField } from '../../ui/controls';
import { ErrorNotice, useServerIssues } from '../../ui/errors';
import { useFormAction } from '../../ui/FormDialog';
import { LanguageSelect } from '../../ui/LanguageSelect';

export function SettingsPage() {
  const { t } = useTranslation();
  const session = useFeatureApi('session');
  const settings = useFeature('session', (s) => s.settings);
  const [minutes, setMinutes] = useState(settings ? String(settings.idleLockMinutes) : '');
  const { busy, error, result, run, dismissResult } = useFormAction<void>();
  const server = useServerIssues(error);

  // Filled once, when the settings arrive: emptying the field to type another number must not refill it.
  const filled = useRef(settings !== null);
  useEffect(() => {
    if (!settings || filled.current) return;
    filled.current = true;
    setMinutes(String(settings.idleLockMinutes));
  }, [settings]);

  const value = Number(minutes);
  const invalid = minutes.trim() === '' || !Number.isInteger(value) || value < 0 || value > 480;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (invalid) return;
    void run(async () => {
      await session.getState().updateSettings({ idleLockMinutes: value });
    });
  };

  return (
    <section>
      <PageHeader title={t('settings.title')} />
      <form className="panel settings-form" onSubmit={submit} noValidate>
        <h2>{t('settings.lockTitle')}</h2>
        <TextField
          label={t('settings.idleLock')}
          hint={t('settings.idleLockHint')}
          inputMode="numeric"
          value={minutes}
          onChange={(e) => {
            dismissResult();
            setMinutes(e.target.value);
          }}
          error={invalid && minutes !== '' ? t('settings.idleLockRange') : server.get('idleLockMinutes')}
        />
        {result ? <Notice kind="success">{t('settings.saved')}</Notice> : null}
        <ErrorNotice error={error} />
        <Button type="submit" variant="primary" busy={busy} disabled={invalid}>
          {t('common.save')}
        </Button>
      </form>
      <div className="panel">
        <h2>{t('settings.languageTitle')}</h2>
        <LanguageSelect />
        <p className="field-hint">{t('settings.languageHint')}</p>
      </div>
    </section>
  );
}
