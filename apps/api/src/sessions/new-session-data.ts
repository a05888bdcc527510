import type { SessionData } from 'express-session';
import type { ClientContext } from '../common/client-context.js';
import type { AppConfig } from '../config/config.js';
import type { PublicUser } from '../users/public-user.js';
import type { SignInMethod } from './session-data.js';
import { newCsrfToken } from './session-lifecycle.js';

/** Everything a new signed-in session holds; times start now. */
export function newSessionData(
  client: ClientContext,
  user: PublicUser,
  config: AppConfig,
  { rememberSeriesId, restored = false, method = 'password' }: { rememberSeriesId?: string; restored?: boolean; method?: SignInMethod } = {},
): SessionData {
  const now = Date.now();
  return {
    userId: user.id,
    role: user.role,
    csrfToken: newCsrfToken(),
    createdAt: now,
    lastActiveAt: now,
    authenticatedAt: now,
    absoluteExpiresAt: now + config.session.absoluteTimeout * 1000,
    // A password sign-in counts as a recent authentication; a restored one never does [U-REMEMBERED].
    reauthenticatedAt: restored ? null : now,
    rememberSeriesId,
    signInMethod: restored ? 'remember_me' : method,
    remembered: rememberSeriesId !== undefined,
    ip: client.ip,
    userAgent: client.userAgent,
    location: client.location,
    fingerprint: { network: client.fingerprint.network, browser: client.fingerprint.browser },
  } as SessionData;
}
