import type { Request } from 'express';
import type { SessionData } from 'express-session';
import { clientIp } from '../common/client-ip.js';
import { userAgentOf } from '../common/user-agent.js';
import type { AppConfig } from '../config/config.js';
import type { PublicUser } from '../users/public-user.js';
import { locationOf, newCsrfToken } from './session-lifecycle.js';
import { fingerprintOf } from './suspicious-session.js';

/** Everything a new signed-in session holds; times start now. */
export function newSessionData(
  req: Request,
  user: PublicUser,
  config: AppConfig,
  { rememberSeriesId, restored = false }: { rememberSeriesId?: string; restored?: boolean } = {},
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
    remembered: rememberSeriesId !== undefined,
    ip: clientIp(req),
    userAgent: userAgentOf(req),
    location: locationOf(req, config),
    fingerprint: fingerprintOf(req),
  } as SessionData;
}
