// Signed bundles between machines: the owner's policy bundle (F25) and staff machines' log
// bundles (F26). Files are read in the console and sent as text; every refusal says why.
import { useEffect, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_LOG_BUNDLE_CHARS, MAX_POLICY_BUNDLE_CHARS, MAX_PUBLIC_KEY_CHARS, shortFingerprint, type LogImportResult, type MachineInfo, type PolicyApplyResult } from '../../../shared/ipc/trust';
import { useFeature, useFeatureApi } from '../../app/services';
import { Button, EmptyState, Notice, TextAreaField, TextField } from '../../ui/controls';
import { ErrorNotice } from '../../ui/errors';
import { FileWrittenNotice } from '../../ui/RevealFileButton';
import { useFormAction } from '../../ui/FormDialog';
import { formatNumber } from '../../util/format';
import { ImportedLog } from '../log/ImportedLog';

/** Reads a chosen file as text, refusing one larger than the channel accepts. */
async function readChosen(event: ChangeEvent<HTMLInputElement>, max: number): Promise<string | 'too-large' | null> {
  const file = event.target.files?.[0];
  event.target.value = '';
  if (!file) return null;
  if (file.size > max) return 'too-large';
  return file.text();
}

export function BundlesPanel() {
  const { t } = useTranslation();
  const audit = useFeatureApi('audit');
  const status = useFeature('audit', (s) => s.status);
  const error = useFeature('audit', (s) => s.bundlesError);

  useEffect(() => {
    void audit.getState().loadBundles();
  }, [audit]);

  return (
    <section className="panel" aria-labelledby="bundles-title">
      <h2 id="bundles-title">{t('audit.bundles.title')}</h2>
      <ErrorNotice error={error} />
      {status ? (
        <dl className="key-facts">
          <dt>{t('audit.bundles.ownerKey')}</dt>
          <dd className="mono">{status.ownerKey ? status.ownerKey.shortFingerprint : t('audit.bundles.noOwnerKey')}</dd>
          <dt>{t('audit.bundles.thisMachine')}</dt>
          <dd>
            {status.machine.name} · <span className="mono">{status.machine.shortFingerprint}</span>
          </dd>
          {status.pinnedOwnerKey ? (
            <>
              <dt>{t('audit.bundles.pinnedKey')}</dt>
              <dd>
                <span className="mono">{status.pinnedOwnerKey.shortFingerprint}</span> · {status.pinnedOwnerKey.file}
              </dd>
            </>
          ) : (
            <>
              <dt>{t('audit.bundles.enrolledKey')}</dt>
              <dd className="mono">{status.enrolledOwnerKey ? status.enrolledOwnerKey.shortFingerprint : t('audit.bundles.notEnrolled')}</dd>
            </>
          )}
          <dt>{t('audit.bundles.management')}</dt>
          <dd>{status.management.managed ? (status.management.problem === null ? t('audit.bundles.managed') : t('audit.bundles.managedNoAccess')) : t('audit.bundles.notManaged')}</dd>
          {status.appliedPolicy ? (
            <>
              <dt>{t('audit.bundles.appliedVersion')}</dt>
              <dd>{status.appliedPolicy.version}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
      <PolicyExport />
      <LogImport />
      <Machines />
      <h3>{t('audit.bundles.staffMachineTitle')}</h3>
      <p className="field-hint">{t('audit.bundles.staffMachineHint')}</p>
      {status?.pinnedOwnerKey ? <p className="field-hint">{t('audit.bundles.pinnedHint', { file: status.pinnedOwnerKey.file })}</p> : <Enrol />}
      <PolicyApply />
      <LogExport />
    </section>
  );
}

function PolicyExport() {
  const { t } = useTranslation();
  const audit = useFeatureApi('audit');
  const ownerKey = useFeature('audit', (s) => s.status?.ownerKey ?? null);
  const [password, setPassword] = useState('');
  const { busy, error, result, run } = useFormAction<{ text: string; fileName: string }>();
  const exportPolicy = () =>
    run(async () => {
      const exported = await audit.getState().exportPolicy(password);
      setPassword('');
      return { text: t('audit.bundles.policyExported', { version: exported.version, file: exported.path }), fileName: exported.fileName };
    });
  const done = result?.value ?? null;
  return (
    <form
      className="bundle-form"
      aria-labelledby="policy-export-title"
      onSubmit={(e) => {
        e.preventDefault();
        if (password) void exportPolicy();
      }}
    >
      <h3 id="policy-export-title">{t('audit.bundles.policyExportTitle')}</h3>
      <p className="field-hint">{ownerKey ? t('audit.bundles.policyExportHint') : t('audit.bundles.policyExportFirstHint')}</p>
      <TextField label={t('audit.bundles.ownerPassword')} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      <Button type="submit" variant="primary" busy={busy} disabled={!password}>
        {t('audit.bundles.policyExport')}
      </Button>
      {ownerKey ? (
        <details>
          <summary>{t('audit.bundles.showPublicKey')}</summary>
          <pre className="mono">{ownerKey.publicKeyPem}</pre>
        </details>
      ) : null}
      {done ? <FileWrittenNotice folder="exports" {...done} /> : null}
      <ErrorNotice error={error} />
    </form>
  );
}

/** A file chooser plus a paste area, sending the text to `submit`. */
function TextFileForm({ id, title, label, max, submitLabel, onSubmit }: { id: string; title: string; label: string; max: number; submitLabel: string; onSubmit: (text: string) => Promise<void> }) {
  const { t, i18n } = useTranslation();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [tooLarge, setTooLarge] = useState(false);
  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const read = await readChosen(event, max);
    setTooLarge(read === 'too-large');
    if (read !== null && read !== 'too-large') setText(read);
  };
  const submit = async () => {
    setBusy(true);
    try {
      await onSubmit(text);
      setText('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="bundle-form"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) void submit();
      }}
    >
      <h3 id={`${id}-title`}>{title}</h3>
      <label className="file-choose">
        {t('audit.bundles.chooseFile')} <input type="file" accept=".json,.pem,.txt,application/json" onChange={(e) => void choose(e)} />
      </label>
      {/* A large file is not put into the text area (typing in it would be slow); it is only announced. */}
      <TextAreaField
        label={label}
        rows={4}
        readOnly={text.length > 20_000}
        value={text.length > 20_000 ? t('audit.bundles.fileLoaded', { chars: formatNumber(text.length, i18n.language) }) : text}
        onChange={(e) => setText(e.target.value)}
        spellCheck={false}
      />
      {text.length > 20_000 ? <Button onClick={() => setText('')}>{t('audit.bundles.clear')}</Button> : null}
      {tooLarge ? <Notice kind="error">{t('audit.bundles.tooLarge')}</Notice> : null}
      <Button type="submit" variant="primary" busy={busy} disabled={!text.trim()}>
        {submitLabel}
      </Button>
    </form>
  );
}

function LogImport() {
  const { t } = useTranslation();
  const audit = useFeatureApi('audit');
  const { error, result, run } = useFormAction<LogImportResult>();
  const imported = result?.value ?? null;
  return (
    <>
      <TextFileForm
        id="log-import"
        title={t('audit.bundles.logImportTitle')}
        label={t('audit.bundles.logImportLabel')}
        max={MAX_LOG_BUNDLE_CHARS}
        submitLabel={t('audit.bundles.logImport')}
        onSubmit={(text) => run(() => audit.getState().importLog(text))}
      />
      {imported?.ok ? (
        <Notice kind="success">
          {t('audit.bundles.logImported', { name: imported.machineName, imported: imported.imported, duplicates: imported.duplicates })}
          {imported.trustedNow ? <p>{t('audit.bundles.trustedNow', { fingerprint: shortFingerprint(imported.fingerprint) })}</p> : null}
        </Notice>
      ) : imported ? (
        <Notice kind="error" title={t(`audit.bundles.logRejected.${imported.code}`)}>
          {imported.reason}
        </Notice>
      ) : null}
      <ErrorNotice error={error} />
    </>
  );
}

function Machines() {
  const { t, i18n } = useTranslation();
  const machines = useFeature('audit', (s) => s.machines);
  const [shown, setShown] = useState<MachineInfo | null>(null);
  return (
    <>
      <h3>{t('audit.bundles.machines')}</h3>
      {machines === null ? null : machines.length === 0 ? (
        <EmptyState title={t('audit.bundles.noMachines')} />
      ) : (
        <table className="grid-table">
          <caption className="visually-hidden">{t('audit.bundles.machines')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('audit.bundles.col.name')}</th>
              <th scope="col">{t('audit.bundles.col.fingerprint')}</th>
              <th scope="col">{t('audit.bundles.col.rows')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {machines.map((m) => (
              <tr key={m.machineId}>
                <td>{m.name}</td>
                <td className="mono">{shortFingerprint(m.fingerprint)}</td>
                <td>{formatNumber(m.rowCount, i18n.language)}</td>
                <td>
                  <Button onClick={() => setShown(m)} aria-label={t('audit.bundles.showRowsOf', { name: m.name })}>
                    {t('audit.bundles.showRows')}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {shown ? <ImportedLog machineId={shown.machineId} machineName={shown.name} /> : null}
    </>
  );
}

function Enrol() {
  const { t } = useTranslation();
  const audit = useFeatureApi('audit');
  const { error, result, run } = useFormAction<void>();
  return (
    <>
      <TextFileForm
        id="enrol"
        title={t('audit.bundles.enrolTitle')}
        label={t('audit.bundles.enrolLabel')}
        max={MAX_PUBLIC_KEY_CHARS}
        submitLabel={t('audit.bundles.enrol')}
        onSubmit={(text) => run(() => audit.getState().enrol(text.trim()))}
      />
      {result ? <Notice kind="success">{t('audit.bundles.enrolled')}</Notice> : null}
      <ErrorNotice error={error} />
    </>
  );
}

function PolicyApply() {
  const { t } = useTranslation();
  const audit = useFeatureApi('audit');
  const { error, result, run } = useFormAction<PolicyApplyResult>();
  const applied = result?.value ?? null;
  return (
    <>
      <TextFileForm
        id="policy-apply"
        title={t('audit.bundles.policyApplyTitle')}
        label={t('audit.bundles.policyApplyLabel')}
        max={MAX_POLICY_BUNDLE_CHARS}
        submitLabel={t('audit.bundles.policyApply')}
        onSubmit={(text) => run(() => audit.getState().applyPolicy(text))}
      />
      {applied?.ok ? (
        <Notice kind="success">{t('audit.bundles.policyApplied', { version: applied.version, ...applied.counts })}</Notice>
      ) : applied ? (
        <Notice kind="error" title={t(`audit.bundles.policyRejected.${applied.code}`)}>
          {applied.reason}
        </Notice>
      ) : null}
      <ErrorNotice error={error} />
    </>
  );
}

function LogExport() {
  const { t } = useTranslation();
  const audit = useFeatureApi('audit');
  const machineName = useFeature('audit', (s) => s.status?.machine.name ?? '');
  const [name, setName] = useState('');
  const { busy, error, result, run } = useFormAction<{ text: string; fileName: string }>();
  const exportLog = () =>
    run(async () => {
      const exported = await audit.getState().exportLog(name.trim() || undefined);
      void audit.getState().loadBundles();
      return { text: t(exported.more ? 'audit.bundles.logExportedMore' : 'audit.bundles.logExported', { rows: exported.rows, file: exported.path }), fileName: exported.fileName };
    });
  const done = result?.value ?? null;
  return (
    <form
      className="bundle-form"
      aria-labelledby="log-export-title"
      onSubmit={(e) => {
        e.preventDefault();
        void exportLog();
      }}
    >
      <h3 id="log-export-title">{t('audit.bundles.logExportTitle')}</h3>
      <TextField label={t('audit.bundles.machineName')} placeholder={machineName} value={name} maxLength={80} onChange={(e) => setName(e.target.value)} />
      <Button type="submit" busy={busy}>
        {t('audit.bundles.logExport')}
      </Button>
      {done ? <FileWrittenNotice folder="exports" {...done} /> : null}
      <ErrorNotice error={error} />
    </form>
  );
}
