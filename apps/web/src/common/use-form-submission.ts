import { useRef, useState } from 'react';
import { formErrors } from './error-message';

/**
 * The messages and pending state of a form that sends one request at a time. The form keeps its
 * own values, checks and what happens on success; `send` owns the pending state and shows a failed
 * request's errors beside the fields and as one summary sentence.
 *
 * The pattern every form here follows, so nothing the user does during a save is lost silently:
 * - While a save is pending, the submit is a `<SubmitButton pending={pending}>` ("Saving…",
 *   aria-disabled) in a `<form aria-busy={pending}>`. A second press is still refused (one request at
 *   a time), but the button says why, instead of the click vanishing.
 * - The inputs stay editable. On success (or failure), reset a field with
 *   `setEmail(clearIfUnchanged(submittedEmail))` rather than `setEmail('')`, so text typed while the
 *   request was in flight survives; `submittedEmail` is the value captured when the form was sent.
 */
export function useFormSubmission() {
  const [fields, setFields] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  // The state above reaches the next render only; a double click arrives before it.
  const inFlight = useRef(false);

  /** Shows errors the form found itself, in place of any earlier messages. */
  function showErrors(fieldErrors: Record<string, string>, summary: string) {
    setStatus(null);
    setFields(fieldErrors);
    setError(summary);
  }

  /** One request at a time: while one is pending the button shows it, and this does nothing. `onFailure` runs after the errors are shown. */
  async function send(request: () => Promise<void>, onFailure?: () => void) {
    if (inFlight.current) return;
    inFlight.current = true;
    setStatus(null);
    setError(null);
    setFields({});
    setPending(true);
    try {
      await request();
    } catch (caught) {
      const errors = formErrors(caught);
      setFields(errors.fields);
      setError(errors.summary);
      onFailure?.();
    } finally {
      inFlight.current = false;
      setPending(false);
    }
  }

  return { fields, status, error, pending, setStatus, showErrors, send };
}

/** A state updater that empties a field only if it still holds what was submitted: see useFormSubmission. */
export function clearIfUnchanged(submitted: string): (current: string) => string {
  return (current) => (current === submitted ? '' : current);
}
