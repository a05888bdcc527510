/**
 * A polite live region stays in the page while empty, so screen readers are already watching
 * it when a message arrives.
 */
export function StatusMessage({ message }: { message: string | null }) {
  return (
    <p role="status" className="message message-success">
      {message}
    </p>
  );
}

/** role="alert" is announced when it is inserted, so it exists only while there is an error. */
export function ErrorMessage({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="message message-error">
      {message}
    </p>
  );
}

/**
 * Progress and counts for one section of a page ("Loading…", "Showing 20 events"): polite like
 * StatusMessage, but without role="status", which stays the page's one place for what an action did.
 */
export function ProgressMessage({ message }: { message: string | null }) {
  return (
    <p aria-live="polite" aria-atomic="true" className="message message-muted">
      {message}
    </p>
  );
}
