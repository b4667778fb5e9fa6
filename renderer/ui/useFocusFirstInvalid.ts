// After a refused submit the marked field can be far below the button and the notice at the
// top: focus and scroll go to the first field marked invalid, so the problem is in view. What
// was typed stays as it is.
import { useEffect, useRef, useState } from 'react';

/** Put `formRef` on the form; call `focusFirstInvalid()` when a submit fails. */
export function useFocusFirstInvalid() {
  const formRef = useRef<HTMLFormElement>(null);
  // A counter, so the marks are rendered before the effect looks for them (and every failure counts).
  const [failures, setFailures] = useState(0);
  useEffect(() => {
    if (failures === 0) return;
    const field = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (!field) return;
    field.scrollIntoView({ block: 'center' });
    field.focus({ preventScroll: true });
  }, [failures]);
  return { formRef, focusFirstInvalid: () => setFailures((n) => n + 1) };
}
