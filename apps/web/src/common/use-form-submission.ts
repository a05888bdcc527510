import { useState } from 'react';
import { formErrors } from './error-message';

/**
 * The messages and busy flag of a form that sends one request at a time. The form keeps its own
 * values, checks and what happens on success; `send` owns the busy flag and shows a failed
 * request's errors beside the fields and as one summary sentence.
 */
export function useFormSubmission() {
  const [fields, setFields] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  /** Shows errors the form found itself, in place of any earlier messages. */
  function showErrors(fieldErrors: Record<string, string>, summary: string) {
    setStatus(null);
    setFields(fieldErrors);
    setError(summary);
  }

  /** Does nothing while busy. `onFailure` runs after the errors are shown, e.g. to clear a password. */
  async function send(request: () => Promise<void>, onFailure?: () => void) {
    if (busy) return;
    setStatus(null);
    setError(null);
    setFields({});
    setBusy(true);
    try {
      await request();
    } catch (caught) {
      const errors = formErrors(caught);
      setFields(errors.fields);
      setError(errors.summary);
      onFailure?.();
    } finally {
      setBusy(false);
    }
  }

  return { fields, status, error, busy, setStatus, showErrors, send };
}
