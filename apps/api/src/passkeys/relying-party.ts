import type { AppConfig } from '../config/config.js';

/**
 * The WebAuthn relying party is the origin people open (APP_URL): a response signed for any other
 * origin or RP ID, such as a phishing site's, is refused.
 */
export function relyingPartyOf(config: AppConfig): { name: string; id: string; origin: string } {
  const origin = config.mail.appUrl;
  return { name: 'Sessionkeep', id: new URL(origin).hostname, origin };
}

/** The WebAuthn user handle: the user's ID, so a discoverable credential names whose it is. */
export const userHandleOf = (userId: string): Uint8Array<ArrayBuffer> => new Uint8Array(Buffer.from(userId, 'utf8'));
