import type { Request } from 'express';
import type { AppConfig } from '../config/config.js';
import { hashSessionId, isoTime as iso, sessionExpiresAt } from './session-data.js';

/** The session as GET /api/auth/me shows it. `id` is the public handle (the stored hash), never the cookie's ID. */
export function describeSession(req: Request, config: AppConfig) {
  const session = req.session;
  const stepUpExpiresAt = session.reauthenticatedAt ? session.reauthenticatedAt + config.stepUpWindow * 1000 : null;
  return {
    id: hashSessionId(req.sessionID),
    authenticatedAt: iso(session.authenticatedAt),
    reauthenticatedAt: iso(session.reauthenticatedAt),
    stepUpExpiresAt: stepUpExpiresAt && stepUpExpiresAt > Date.now() ? iso(stepUpExpiresAt) : null,
    idleExpiresAt: iso(sessionExpiresAt({ lastActiveAt: session.lastActiveAt }, config.session.idleTimeout)),
    absoluteExpiresAt: iso(session.absoluteExpiresAt),
    remembered: session.remembered ?? false,
  };
}
