import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '../common/errors/error-codes.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { setRememberCookie } from '../remember-me/remember-cookie.js';
import { RememberMeService } from '../remember-me/remember-me.service.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { newSessionData } from '../sessions/new-session-data.js';
import { adoptSession, newSessionId } from '../sessions/session-lifecycle.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { PasswordHasher } from '../users/password-hasher.service.js';
import { normalizeEmail, PUBLIC_USER_FIELDS, type PublicUser } from '../users/public-user.js';
import { LoginThrottle } from './login-throttle.service.js';

/** The two steps of signing in: prove the password, then start a session that no one else knows. */
@Injectable()
export class SignInService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly events: SecurityEventsService,
    private readonly sessions: SessionsService,
    private readonly rememberMe: RememberMeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Unknown email and wrong password cost the same time and get the same answer, so neither
   * timing nor body reveals which emails have accounts [A-BRUTE]. The attempt is counted before
   * the password is checked [A-RACE]. Remembers on the request which session generation the
   * password was proved against, for startSession() [L-FINAL].
   */
  async verifyPassword(emailInput: string, password: string, req: Request): Promise<PublicUser> {
    const email = normalizeEmail(emailInput);
    const account = await this.prisma.user.findUnique({
      where: { email },
      select: { ...PUBLIC_USER_FIELDS, passwordHash: true, sessionGeneration: true },
    });
    const attempt = await this.throttle.begin(email, req, account);
    const valid = account ? await this.hasher.verify(account.passwordHash, password) : await this.hasher.verifyNothing(password);
    if (!account || !valid) {
      // Only an existing account stores the event; not waiting for it keeps both answers equally fast.
      this.events.recordInBackground('sign_in_failed', account?.id, req);
      throw new AppError('INVALID_CREDENTIALS');
    }
    await this.throttle.succeeded(attempt);
    // Known to the throttle from now on, so guesses elsewhere never lock this browser out [A-BRUTE].
    if (!attempt.device && req.res) this.throttle.devices.issue(req.res, account);
    else if (attempt.device && (await this.throttle.accountLimited(attempt.accountKey))) {
      this.events.recordInBackground('sign_in', account.id, req, { knownDeviceDuringLockout: true });
    }
    const { passwordHash, sessionGeneration, ...user } = account;
    req.provenSessionGeneration = sessionGeneration;
    if (this.hasher.needsRehash(passwordHash)) {
      await this.prisma.user.update({ where: { id: user.id }, data: { passwordHash: await this.hasher.hash(password) } });
    }
    return user;
  }

  /**
   * A new session under a new ID: the browser's earlier ID (and anything planted) is dead
   * [S-FIXATION]. Any remember-me cookie the browser sent is revoked first [R-ONE]; with
   * `rememberMe` a new series starts. The row is written once, in a transaction that holds the
   * user's lock and checks that nothing ended the user's sessions since the password was proved.
   */
  async startSession(req: Request, res: Response, user: PublicUser, { rememberMe = false } = {}): Promise<void> {
    await this.rememberMe.revokePresented(req, res);
    if (req.session?.userId) await this.sessions.endCurrent(req, 'signed_out');
    const provenGeneration = req.provenSessionGeneration;
    const id = newSessionId();
    const started = await this.prisma.$transaction(async (tx) => {
      const locked = await this.sessions.lockUser(tx, user.id);
      if (!locked || (provenGeneration !== undefined && locked.sessionGeneration !== provenGeneration)) return null;
      const series = rememberMe ? await this.rememberMe.issue(tx, user.id, req) : undefined;
      const data = newSessionData(req, locked, this.config, { rememberSeriesId: series?.seriesId });
      const evicted = await this.sessions.insertAt(tx, id, data);
      return { data, series, evicted };
    });
    // Every session of the user ended while this sign-in was in flight: it ends too [L-FINAL].
    if (!started) throw new AppError('UNAUTHENTICATED', { reason: 'revoked' });
    adoptSession(req, id, started.data);
    if (started.series) setRememberCookie(res, started.series.cookie, started.series.maxAgeSeconds);
    await this.events.record('sign_in', user.id, req);
    if (started.evicted > 0) await this.events.record('session_limit_evicted', user.id, req, { evicted: started.evicted });
  }
}
