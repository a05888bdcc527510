import { ApiError } from '../api/client';

/** A sentence for the user; never the raw server message for codes we can explain better. */
export function errorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Could not reach Sessionkeep. Check your connection and try again.';
  switch (error.code) {
    case 'REAUTH_REQUIRED':
      return 'Your password was not confirmed, so nothing was changed.';
    case 'TOO_MANY_REQUESTS':
      return 'Too many attempts. Try again later.';
    case 'SERVICE_UNAVAILABLE':
      return 'Sessionkeep is unavailable right now. Try again in a moment.';
    case 'FORBIDDEN':
      return 'You are not allowed to do that.';
    case 'UNAUTHENTICATED':
      return 'You are signed out. Sign in again to continue.';
    case 'VALIDATION_FAILED':
      return 'Check the highlighted fields.';
    default:
      return error.message || 'Something went wrong. Try again.';
  }
}

/**
 * Field errors (from VALIDATION_FAILED, keyed by field name) plus one summary sentence for the
 * live region, since errors printed beside a field are not read aloud when they appear.
 */
export function formErrors(error: unknown): { fields: Record<string, string>; summary: string } {
  const fields: Record<string, string> = {};
  if (error instanceof ApiError) {
    for (const { field, message } of error.errors ?? []) fields[field] ??= message;
    // Sign-up and email change are the only answers that may say an email is taken: there is
    // no way to avoid it there, and everywhere else the API keeps it secret.
    if (error.code === 'EMAIL_TAKEN') fields.email = 'An account with this email already exists.';
  }
  return { fields, summary: Object.keys(fields).length > 0 ? 'Check the highlighted fields.' : errorMessage(error) };
}
