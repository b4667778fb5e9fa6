// Small building blocks: labelled fields, notices, empty states, busy indicators, buttons.
import { useId, type ReactNode, type SelectHTMLAttributes, type InputHTMLAttributes, type ButtonHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';

interface FieldShell {
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  className?: string;
}

function describedBy(hintId: string, errorId: string, hint: ReactNode, error: ReactNode): string | undefined {
  return [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
}

function Shell({ label, hint, error, className, id, children }: FieldShell & { id: string; children: ReactNode }) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function TextField({ label, hint, error, className, id, ...input }: FieldShell & InputHTMLAttributes<HTMLInputElement>) {
  const auto = useId();
  const fieldId = id ?? auto;
  return (
    <Shell label={label} hint={hint} error={error} className={className} id={fieldId}>
      <input id={fieldId} aria-invalid={error ? true : undefined} aria-describedby={describedBy(`${fieldId}-hint`, `${fieldId}-error`, hint, error)} {...input} />
    </Shell>
  );
}

export function TextAreaField({ label, hint, error, className, id, ...input }: FieldShell & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const auto = useId();
  const fieldId = id ?? auto;
  return (
    <Shell label={label} hint={hint} error={error} className={className} id={fieldId}>
      <textarea id={fieldId} aria-invalid={error ? true : undefined} aria-describedby={describedBy(`${fieldId}-hint`, `${fieldId}-error`, hint, error)} {...input} />
    </Shell>
  );
}

export function SelectField({ label, hint, error, className, id, children, ...select }: FieldShell & SelectHTMLAttributes<HTMLSelectElement>) {
  const auto = useId();
  const fieldId = id ?? auto;
  return (
    <Shell label={label} hint={hint} error={error} className={className} id={fieldId}>
      <select id={fieldId} aria-invalid={error ? true : undefined} aria-describedby={describedBy(`${fieldId}-hint`, `${fieldId}-error`, hint, error)} {...select}>
        {children}
      </select>
    </Shell>
  );
}

export function CheckboxField({ label, hint, className, id, ...input }: Omit<FieldShell, 'error'> & InputHTMLAttributes<HTMLInputElement>) {
  const auto = useId();
  const fieldId = id ?? auto;
  return (
    <div className={`field-check${className ? ` ${className}` : ''}`}>
      <input type="checkbox" id={fieldId} aria-describedby={hint ? `${fieldId}-hint` : undefined} {...input} />
      <label htmlFor={fieldId}>{label}</label>
      {hint ? (
        <p className="field-hint" id={`${fieldId}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'ghost';

export function Button({ variant = 'secondary', busy = false, className, children, disabled, type = 'button', ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant; busy?: boolean }) {
  return (
    <button type={type} className={`btn btn-${variant}${className ? ` ${className}` : ''}`} disabled={disabled || busy} aria-busy={busy || undefined} {...rest}>
      {busy ? <span className="spinner" aria-hidden="true" /> : null}
      {children}
    </button>
  );
}

export type NoticeKind = 'info' | 'success' | 'warning' | 'error';

export function Notice({ kind = 'info', title, children, onDismiss, className }: { kind?: NoticeKind; title?: ReactNode; children?: ReactNode; onDismiss?: () => void; className?: string }) {
  const { t } = useTranslation();
  return (
    <div className={`notice notice-${kind}${className ? ` ${className}` : ''}`} role={kind === 'error' || kind === 'warning' ? 'alert' : 'status'}>
      <div className="notice-text">
        {title ? <strong className="notice-title">{title}</strong> : null}
        {children ? <div>{children}</div> : null}
      </div>
      {onDismiss ? (
        <button type="button" className="btn btn-ghost notice-dismiss" onClick={onDismiss} aria-label={t('common.dismiss')}>
          ×
        </button>
      ) : null}
    </div>
  );
}

export function EmptyState({ title, children, action }: { title: ReactNode; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-title">{title}</p>
      {children ? <p className="empty-text">{children}</p> : null}
      {action}
    </div>
  );
}

export function Busy({ label }: { label?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <p className="busy" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('common.loading')}
    </p>
  );
}

export function PageHeader({ title, description, actions }: { title: ReactNode; description?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1 tabIndex={-1} data-page-title>
          {title}
        </h1>
        {description ? <p className="page-description">{description}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  );
}

export function Badge({ kind = 'neutral', children }: { kind?: 'neutral' | 'ok' | 'warn' | 'danger' | 'info'; children: ReactNode }) {
  return <span className={`badge badge-${kind}`}>{children}</span>;
}

export function ColourDot({ colour, label }: { colour: string; label?: string }) {
  return <span className="colour-dot" style={{ backgroundColor: colour }} aria-hidden={label ? undefined : true} aria-label={label} role={label ? 'img' : undefined} />;
}
