// "Show in folder" next to a file the app wrote (export, bundle, archive): the host opens the
// system's file manager there. A failure (no file manager, file moved) is said next to it.
import { useTranslation } from 'react-i18next';
import type { RequestOf } from '../../shared/ipc/contract';
import { useServices } from '../app/services';
import { Button, Notice } from './controls';
import { ErrorNotice } from './errors';
import { useFormAction } from './FormDialog';

export function RevealFileButton({ folder, fileName }: RequestOf<'files:reveal'>) {
  const { t } = useTranslation();
  const { client } = useServices();
  const { busy, error, run } = useFormAction<void>();
  const reveal = () =>
    run(async () => {
      await client.call('files:reveal', { folder, fileName });
    });
  return (
    <>
      <Button onClick={() => void reveal()} busy={busy} aria-label={t('common.showFileInFolder', { file: fileName })}>
        {t('common.showInFolder')}
      </Button>
      <ErrorNotice error={error} />
    </>
  );
}

/** The success notice of a file the app wrote, with its "Show in folder" button. */
export function FileWrittenNotice({ text, ...file }: { text: string } & RequestOf<'files:reveal'>) {
  return (
    <Notice kind="success">
      {text} <RevealFileButton {...file} />
    </Notice>
  );
}
