import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Logger } from 'pino';
import { AppError } from '../common/errors/error-codes.js';
import { LOGGER } from '../common/logger.js';
import { networkPrefix } from '../common/client-ip.js';
import { browserFamily, userAgentOf } from '../common/user-agent.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { SessionsService } from './sessions.service.js';

export function fingerprintOf(req: Request) {
  return { network: networkPrefix(req.ip), browser: browserFamily(userAgentOf(req)) };
}

/**
 * [A-SUSPECT] A session cookie replayed from another network AND another browser family is
 * likely stolen. Either change alone is normal (mobile networks, browser updates keep the family).
 */
@Injectable()
export class SuspiciousSessionCheck {
  constructor(
    private readonly sessions: SessionsService,
    private readonly events: SecurityEventsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async check(req: Request, userId: string): Promise<void> {
    const policy = this.config.session.suspiciousPolicy;
    const signedInFrom = req.session.fingerprint;
    if (policy === 'off' || !signedInFrom) return;
    // The network is compared first: it is cheap, and unchanged on almost every request.
    if (networkPrefix(req.ip) === signedInFrom.network) return;
    const now = fingerprintOf(req);
    if (now.browser === signedInFrom.browser) return;
    const details = { signedInFrom, now, policy };
    if (policy === 'log') {
      this.logger.warn({ securityWarning: 'suspicious_session', userId, ...details }, 'session used from a new network and browser');
      return;
    }
    await this.sessions.endCurrent(req, 'suspicious');
    await this.events.record('suspicious_session_ended', userId, req, details);
    throw new AppError('UNAUTHENTICATED', { reason: 'suspicious' });
  }
}
