// A new password typed twice, checked as the service checks it (validation.ts); the service's
// own complaint about it is shown on the first field.
import { useTranslation } from 'react-i18next';
import { TextField } from '../../ui/controls';
import { passwordProblem } from './validation';

export interface NewPasswordFieldsProps {
  password: string;
  confirm: string;
  onPassword: (value: string) => void;
  onConfirm: (value: string) => void;
  /** After the first submit: problems are shown from then on. */
  touched: boolean;
  serverError?: string | undefined;
  autoFocus?: boolean;
}

/** True when the pair may be sent: a valid password, typed the same twice. */
export function newPasswordReady(password: string, confirm: string): boolean {
  return passwordProblem(password) === null && password === confirm;
}

export function NewPasswordFields({ password, confirm, onPassword, onConfirm, touched, serverError, autoFocus = false }: NewPasswordFieldsProps) {
  const { t } = useTranslation();
  const problem = touched ? passwordProblem(password) : null;
  return (
    <>
      <TextField
        label={t('password.next')}
        hint={t('validation.passwordHint')}
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => onPassword(e.target.value)}
        {...(autoFocus ? { 'data-autofocus': true } : {})}
        error={problem ? t(`validation.${problem}`) : serverError}
      />
      <TextField
        label={t('password.confirm')}
        type="password"
        autoComplete="new-password"
        value={confirm}
        onChange={(e) => onConfirm(e.target.value)}
        error={touched && confirm !== password ? t('validation.mismatch') : undefined}
      />
    </>
  );
}
