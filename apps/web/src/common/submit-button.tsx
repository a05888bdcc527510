import type { ReactNode } from 'react';

interface SubmitButtonProps {
  /** A request from this form is under way. */
  pending: boolean;
  children: ReactNode;
  /** What the button says meanwhile. */
  pendingLabel?: string;
  className?: string;
}

/**
 * A form's submit button that shows a pending save in words. aria-disabled rather than disabled:
 * a disabled button drops keyboard focus to the page, and the focus should still be here when the
 * save ends.
 */
export function SubmitButton({ pending, children, pendingLabel = 'Saving…', className }: SubmitButtonProps) {
  return (
    <button type="submit" className={className} aria-disabled={pending}>
      {pending ? pendingLabel : children}
    </button>
  );
}
