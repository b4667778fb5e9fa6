// Unsaved edits are never dropped silently. An editor says what leaving it would discard
// (useUnsavedChanges); whatever can take it away (the owner console's sidebar, the editor's own
// Cancel) asks that question first, with "Discard" and "Keep editing".
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from './ConfirmDialog';

/** What to ask before leaving ("Discard your unsaved changes to this role?"), or null: nothing unsaved. */
export type LeaveQuestion = string | null;

const UnsavedChangesContext = createContext<(question: LeaveQuestion) => void>(() => {});

/** Given by a container that swaps whole pages (usePageGuard's `report`). */
export const UnsavedChangesProvider = UnsavedChangesContext.Provider;

/** Tells the enclosing container what leaving this page now would discard. */
export function useUnsavedChanges(question: LeaveQuestion): void {
  const report = useContext(UnsavedChangesContext);
  useEffect(() => {
    report(question);
    return () => report(null);
  }, [report, question]);
}

/** `confirmLeave(question, leave)` leaves at once when nothing is unsaved, else after "Discard"; render `dialog`. */
export function useConfirmLeave() {
  const { t } = useTranslation();
  const [pending, setPending] = useState<{ question: string; leave: () => void } | null>(null);
  const confirmLeave = (question: LeaveQuestion, leave: () => void) => (question === null ? leave() : setPending({ question, leave }));
  const dialog = pending ? (
    <ConfirmDialog
      title={pending.question}
      confirmLabel={t('unsaved.discard')}
      cancelLabel={t('unsaved.keepEditing')}
      danger
      onConfirm={async () => {
        // Closed in the same render as the page goes, so focus can move to what replaces it.
        setPending(null);
        pending.leave();
      }}
      onClose={() => setPending(null)}
    >
      <p>{t('unsaved.text')}</p>
    </ConfirmDialog>
  ) : null;
  return { confirmLeave, dialog };
}

/**
 * For a container that swaps pages: give `report` to an UnsavedChangesProvider around the page,
 * change pages through `leave`, and render `dialog`.
 */
export function usePageGuard() {
  // A ref, not state: only the next attempt to leave reads it, so typing re-renders nothing here.
  const unsaved = useRef<LeaveQuestion>(null);
  const report = useCallback((question: LeaveQuestion) => {
    unsaved.current = question;
  }, []);
  const { confirmLeave, dialog } = useConfirmLeave();
  const leave = (go: () => void) => confirmLeave(unsaved.current, go);
  return { report, leave, dialog };
}
