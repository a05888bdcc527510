import type { SessionEndReason } from '../api/client';

export const SESSION_END_MESSAGES: Record<SessionEndReason, string> = {
  signed_out: 'You signed out.',
  revoked: 'You were signed out from another device.',
  idle_timeout: 'You were signed out after a period of inactivity.',
  absolute_timeout: 'Your session reached its maximum length. Please sign in again.',
  password_changed: 'Your password was changed, so you were signed out everywhere else.',
  suspicious: 'We signed you out because your session looked unusual.',
  evicted: 'You were signed out because you signed in on too many devices.',
  theft: 'We signed you out because your remember-me token was reused, which can mean it was stolen. Please sign in again.',
};

/** Only known reasons are shown, so a crafted link cannot put its own words on the sign-in page. */
export function sessionEndMessage(reason: string | null): string | null {
  return reason && Object.hasOwn(SESSION_END_MESSAGES, reason)
    ? SESSION_END_MESSAGES[reason as SessionEndReason]
    : null;
}
