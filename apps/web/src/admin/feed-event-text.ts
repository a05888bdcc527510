import type { Schemas } from '../api/client';

/** The feed's event types in words, in the order the filter offers them. */
export const FEED_EVENT_LABELS: Record<Schemas['AdminFeedEventType'], string> = {
  suspicious_session_ended: 'Suspicious session ended',
  remember_me_theft: 'Remember-me token theft suspected',
  passkey_counter_regressed: 'Passkey refused: its counter went backwards (a cloned key?)',
  sign_in_throttled: 'Sign-in limit reached (account under a guessing attack)',
  role_changed: 'Role changed',
  session_revoked: 'Sessions revoked by an admin',
};

export const feedEventLabel = (type: string): string =>
  FEED_EVENT_LABELS[type as Schemas['AdminFeedEventType']] ?? `Security event: ${type.replaceAll('_', ' ')}`;

/** Who changed a role when no admin did: the server's command line, or ADMIN_EMAILS on a verified address. */
const GRANTORS: Record<string, string> = { cli: "from the server's command line", ADMIN_EMAILS: 'listed in ADMIN_EMAILS, address verified' };

/** The one detail worth a line for some types: the new role, how many sessions ended. */
export function feedEventDetail({ type, details }: Schemas['AdminFeedEvent']): string | null {
  if (typeof details !== 'object' || details === null) return null;
  const { role, count, by } = details as { role?: unknown; count?: unknown; by?: unknown };
  if (type === 'role_changed' && typeof role === 'string') return `New role: ${role}${typeof by === 'string' && GRANTORS[by] ? ` (${GRANTORS[by]})` : ''}`;
  if (type === 'session_revoked' && typeof count === 'number') return `${count} ${count === 1 ? 'session' : 'sessions'} ended`;
  return null;
}

/** "Firefox on Linux", or whatever part of it is known. */
export function browserAndOs({ browser, os }: Pick<Schemas['AdminFeedEvent'], 'browser' | 'os'>): string | null {
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os;
}
