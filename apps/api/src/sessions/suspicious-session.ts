import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { ClientContext, Fingerprint } from '../common/client-context.js';
import { LOGGER } from '../common/logger.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import type { SignedInSession } from './session-data.js';
import { SessionsService } from './sessions.service.js';

/** Both the network prefix and the browser family differ from the sign-in's [A-SUSPECT]. */
export function isSuspiciousChange(signedInFrom: Fingerprint, now: Fingerprint): boolean {
  // The network is compared first: it is cheap, and unchanged on almost every request.
  return now.network !== signedInFrom.network && now.browser !== signedInFrom.browser;
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
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** True when the session was ended for it: the edge then forgets the device and answers 401. */
  async endIfSuspicious(session: SignedInSession, client: ClientContext): Promise<boolean> {
    const policy = this.config.session.suspiciousPolicy;
    const { userId, fingerprint: signedInFrom } = session.data;
    if (policy === 'off' || !signedInFrom || !isSuspiciousChange(signedInFrom, client.fingerprint)) return false;
    const details = { signedInFrom, now: { ...client.fingerprint }, policy };
    if (policy === 'log') {
      this.logger.warn({ securityWarning: 'suspicious_session', userId, ...details }, 'session used from a new network and browser');
      return false;
    }
    // In strict mode the device's remember-me series ends with it, or the next request would be
    // signed straight back in by the copied remember-me cookie [R-ONE].
    await this.prisma.$transaction(async (tx) => {
      await this.sessions.endSession(userId, session.sid, 'suspicious', { tx });
      await this.events.record('suspicious_session_ended', userId, client, details, { tx });
    });
    return true;
  }
}
