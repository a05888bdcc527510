import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '../common/errors/error-codes.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { locationOf, newCsrfToken, regenerateSession, saveSession } from '../sessions/session-lifecycle.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { fingerprintOf } from '../sessions/suspicious-session.js';
import { clientIp } from '../common/client-ip.js';
import { userAgentOf } from '../common/user-agent.js';
import { normalizeEmail, PUBLIC_USER_FIELDS, type PublicUser } from '../users/public-user.js';
import { LoginThrottle } from './login-throttle.service.js';
import { PasswordHasher } from '../users/password-hasher.service.js';

/** The two steps of signing in: prove the password, then start a session that no one else knows. */
@Injectable()
export class SignInService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly events: SecurityEventsService,
    private readonly sessions: SessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Unknown email and wrong password cost the same time and get the same answer, so neither
   * timing nor body reveals which emails have accounts [A-BRUTE].
   */
  async verifyPassword(emailInput: string, password: string, req: Request): Promise<PublicUser> {
    const email = normalizeEmail(emailInput);
    const ip = clientIp(req);
    await this.throttle.assertAllowed(email, ip);
    const account = await this.prisma.user.findUnique({ where: { email }, select: { ...PUBLIC_USER_FIELDS, passwordHash: true } });
    const valid = account ? await this.hasher.verify(account.passwordHash, password) : await this.hasher.verifyNothing(password);
    if (!account || !valid) {
      await this.throttle.recordFailure(email, ip);
      // Only an existing account stores the event; not waiting for it keeps both answers equally fast.
      this.events.recordInBackground('sign_in_failed', account?.id, req);
      throw new AppError('INVALID_CREDENTIALS');
    }
    await this.throttle.recordSuccess(email);
    const { passwordHash, ...user } = account;
    if (this.hasher.needsRehash(passwordHash)) {
      await this.prisma.user.update({ where: { id: user.id }, data: { passwordHash: await this.hasher.hash(password) } });
    }
    return user;
  }

  /**
   * A new ID for the signed-in session: the pre-login ID (and anything planted) dies here
   * [S-FIXATION], and so does its CSRF token.
   */
  async startSession(req: Request, user: PublicUser, { rememberSeriesId, restored = false }: { rememberSeriesId?: string; restored?: boolean } = {}): Promise<void> {
    const now = Date.now();
    await regenerateSession(req);
    Object.assign(req.session, {
      userId: user.id,
      role: user.role,
      csrfToken: newCsrfToken(),
      createdAt: now,
      lastActiveAt: now,
      authenticatedAt: now,
      absoluteExpiresAt: now + this.config.session.absoluteTimeout * 1000,
      // A password sign-in counts as a recent authentication; a restored one never does [U-REMEMBERED].
      reauthenticatedAt: restored ? null : now,
      rememberSeriesId,
      remembered: rememberSeriesId !== undefined,
      ip: clientIp(req),
      userAgent: userAgentOf(req),
      location: locationOf(req, this.config),
      fingerprint: fingerprintOf(req),
    });
    await saveSession(req);
    await this.events.record(restored ? 'remember_me_used' : 'sign_in', user.id, req);
    const evicted = await this.sessions.enforceLimit(user.id, req.sessionID);
    if (evicted > 0) await this.events.record('session_limit_evicted', user.id, req, { evicted });
  }
}
