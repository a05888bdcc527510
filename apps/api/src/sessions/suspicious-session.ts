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

export type Fingerprint = {
  network: string;
  browser: string;
};

export function fingerprintOf(req: Request): Fingerprint {
  return { network: networkPrefix(req.ip), browser: browserFamily(userAgentOf(req)) };
}

/** Both the network prefix and the browser family differ from the sign-in's [A-SUSPECT]. */
export function isSuspiciousChange(signedInFrom: Fingerprint, req: Request): boolean {
  // The network is compared first: it is cheap, and unchanged on almost every request.
  return networkPrefix(req.ip) !== signedInFrom.network && browserFamily(userAgentOf(req)) !== signedInFrom.browser;
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
    if (policy === 'off' || !signedInFrom || !isSuspiciousChange(signedInFrom, req)) return;
    const details = { signedInFrom, now: fingerprintOf(req), policy };
    if (policy === 'log') {
      this.logger.warn({ securityWarning: 'suspicious_session', userId, ...details }, 'session used from a new network and browser');
      return;
    }
    // In strict mode the device's remember-me series ends with it, or the next request would be
    // signed straight back in by the copied remember-me cookie [R-ONE].
    await this.sessions.endCurrent(req, 'suspicious');
    if (req.res) this.sessions.forgetThisDevice(req, req.res);
    await this.events.record('suspicious_session_ended', userId, req, details);
    throw new AppError('UNAUTHENTICATED', { reason: 'suspicious' });
  }
}
