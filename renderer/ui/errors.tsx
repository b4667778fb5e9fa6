// Failed calls in words: each error code has a localised sentence (F27); a locked account says
// until when; conflicts and missing things add the service's own detail.
import { useTranslation } from 'react-i18next';
import { IpcCallError } from '../../shared/ipc/client';
import { issuesByPath } from '../state/errors';
import { formatDateTime } from '../util/format';
import { Notice } from './controls';

const WITH_DETAIL = new Set(['conflict', 'not-found', 'invalid-payload', 'forbidden', 'unavailable']);

export function useErrorText(): (error: unknown) => string {
  const { t, i18n } = useTranslation();
  return (error: unknown) => {
    if (error instanceof IpcCallError) {
      if (error.code === 'locked') {
        const until = Number(error.issues.find((i) => i.path === 'lockedUntil')?.message);
        return Number.isFinite(until) && until > 0 ? t('errors.lockedUntil', { time: formatDateTime(until, i18n.language) }) : t('errors.locked');
      }
      const text = t(`errors.${error.code}`);
      return WITH_DETAIL.has(error.code) && error.message ? `${text} (${error.message})` : text;
    }
    return t('errors.unexpected', { message: error instanceof Error ? error.message : String(error) });
  };
}

export function ErrorNotice({ error, onDismiss }: { error: unknown; onDismiss?: () => void }) {
  const text = useErrorText();
  if (!error) return null;
  return (
    <Notice kind="error" onDismiss={onDismiss}>
      {text(error)}
    </Notice>
  );
}

/**
 * A failed call's field issues by path (issuesByPath), in the console's language where the
 * service sent one of its fixed words ("already taken", "not found"…); other messages as sent.
 */
export function useServerIssues(error: unknown, stripPrefix?: string): Map<string, string> {
  const { t, i18n } = useTranslation();
  const issues = issuesByPath(error, stripPrefix);
  for (const [path, message] of issues) if (i18n.exists(`serverIssue.${message}`)) issues.set(path, t(`serverIssue.${message}` as never));
  return issues;
}
