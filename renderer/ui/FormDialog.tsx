// A dialog around one form that runs one action: Cancel and the submit button while editing; once
// the action succeeded, its success notice and Close. Errors stay in the form (useFormAction).
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog, type DialogProps } from './Dialog';
import { Button, Notice } from './controls';

/** Runs the form's action once at a time, keeping what the form shows: busy, the error, the result. */
export function useFormAction<T>() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<{ value: T } | null>(null);
  const run = async (action: () => Promise<T>) => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult({ value: await action() });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  /** Forgets the last success (the form was edited since), keeping any error on show. */
  const dismissResult = () => setResult(null);
  return { busy, error, result, run, dismissResult };
}

export interface FormDialogProps extends Pick<DialogProps, 'title' | 'onClose' | 'size'> {
  busy: boolean;
  submitLabel: ReactNode;
  submitDisabled?: boolean;
  /** Called on submit (the browser's own submission is prevented). */
  onSubmit: () => void;
  /** Shown instead of the form once the action succeeded; null while editing. */
  done: ReactNode | null;
  formClassName?: string;
  children: ReactNode;
}

export function FormDialog({ title, onClose, size = 'small', busy, submitLabel, submitDisabled = false, onSubmit, done, formClassName, children }: FormDialogProps) {
  const { t } = useTranslation();
  const formId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <Dialog
      title={title}
      onClose={onClose}
      busy={busy}
      size={size}
      footer={
        done !== null ? (
          <Button variant="primary" onClick={onClose}>
            {t('common.close')}
          </Button>
        ) : (
          <>
            <Button onClick={onClose} disabled={busy}>
              {t('common.cancel')}
            </Button>
            <Button variant="primary" type="submit" form={formId} busy={busy} disabled={submitDisabled}>
              {submitLabel}
            </Button>
          </>
        )
      }
    >
      {done !== null ? (
        <Notice kind="success">{done}</Notice>
      ) : (
        <form id={formId} onSubmit={submit} noValidate className={formClassName}>
          {children}
        </form>
      )}
    </Dialog>
  );
}
