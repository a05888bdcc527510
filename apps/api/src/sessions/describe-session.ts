import type { AppConfig } from '../config/config.js';
import { isoTime as iso, sessionExpiresAt, type SignedInSession } from './session-data.js';

/** The session as GET /api/auth/me shows it. `id` is the public handle (the stored hash), never the cookie's ID. */
export function describeSession({ sid, data }: SignedInSession, config: AppConfig) {
  const stepUpExpiresAt = data.reauthenticatedAt ? data.reauthenticatedAt + config.stepUpWindow * 1000 : null;
  return {
    id: sid,
    authenticatedAt: iso(data.authenticatedAt),
    reauthenticatedAt: iso(data.reauthenticatedAt),
    stepUpExpiresAt: stepUpExpiresAt && stepUpExpiresAt > Date.now() ? iso(stepUpExpiresAt) : null,
    idleExpiresAt: iso(sessionExpiresAt({ lastActiveAt: data.lastActiveAt }, config.session.idleTimeout)),
    absoluteExpiresAt: iso(data.absoluteExpiresAt),
    remembered: data.remembered ?? false,
  };
}
