import type { Schemas } from '../api/client';
import { displayIp } from '../common/display-ip';

// Every type of the API's document but the two that name their origin: a new type fails the typecheck here.
const FIXED_TEXT: Record<Exclude<Schemas['SecurityEventType'], 'sign_in' | 'sign_in_failed'>, string> = {
  sign_out: 'Signed out',
  step_up: 'Confirmed password',
  session_revoked: 'Signed out a device',
  password_changed: 'Changed password',
  email_changed: 'Changed email address',
  remember_me_used: 'Signed in automatically (remembered device)',
  remember_me_theft: 'Remember-me token reuse detected; all sessions from that device were ended',
  suspicious_session_ended: 'Ended a session that looked unusual',
  session_limit_evicted: 'Signed out the oldest device (too many devices)',
  sign_in_throttled: 'Sign-in limit reached: someone tried many wrong passwords',
  role_changed: 'Your role was changed',
  password_reset_requested: 'Asked for a password reset link',
  password_reset: 'Reset password with an emailed link; every device was signed out',
  email_change_requested: 'Asked to change email address (waiting for the new address to confirm)',
  email_verified: 'Confirmed email address',
  new_device_alert: 'Emailed an alert about a sign-in from a new device',
  new_device_disowned: "Signed out a new device from the alert's “This wasn't me” link",
  mfa_enabled: 'Turned on the authenticator app',
  mfa_disabled: 'Turned off the authenticator app',
  recovery_codes_regenerated: 'Made new recovery codes',
  recovery_code_used: 'Used a recovery code',
  mfa_failed: 'A second factor was refused (a wrong code, or a passkey that failed)',
  passkey_added: 'Added a passkey',
  passkey_removed: 'Removed a passkey',
  passkey_counter_regressed: 'Refused a passkey that looked copied (its counter went backwards)',
};

/** "Firefox on Linux, 198.51.100.7", or whatever part of it is known. */
function origin({ browser, os, ip }: Schemas['SecurityEvent']): string {
  const device = browser && os ? `${browser} on ${os}` : (browser ?? os);
  return [device, ip && displayIp(ip)].filter(Boolean).join(', ');
}

export function describeEvent(event: Schemas['SecurityEvent']): string {
  const from = origin(event);
  switch (event.type) {
    case 'sign_in':
      return from ? `Signed in from ${from}` : 'Signed in';
    case 'sign_in_failed':
      return from ? `Failed sign-in attempt from ${from}` : 'Failed sign-in attempt';
    default: {
      const fixed: string | undefined = FIXED_TEXT[event.type];
      if (fixed) return fixed;
      return `Security event: ${event.type.replaceAll('_', ' ')}`;
    }
  }
}

const WARNING_TYPES = new Set<string>([
  'sign_in_failed',
  'sign_in_throttled',
  'remember_me_theft',
  'suspicious_session_ended',
  'session_limit_evicted',
]);

/** Events worth a second look are marked in the timeline. */
export function eventTone(type: string): 'warning' | 'normal' {
  return WARNING_TYPES.has(type) ? 'warning' : 'normal';
}
