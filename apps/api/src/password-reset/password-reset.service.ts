import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import type { ClientContext } from '../common/client-context.js';
import { throttleKeyOf } from '../common/client-ip.js';
import { LOGGER } from '../common/logger.js';
import { refuseWhenSpent } from '../common/rate-limit.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { consumeEmailToken, newEmailToken, parseEmailToken } from '../email-tokens/email-token.js';
import { deviceDetailsOf } from '../mail/device-details.js';
import { MailService } from '../mail/mail.service.js';
import { passwordChangedEmail, passwordResetEmail } from '../mail/templates/security-emails.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { sha256 } from '../remember-me/remember-token.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { assertAcceptablePassword } from '../users/password-policy.js';
import { PasswordHasher } from '../users/password-hasher.service.js';
import { AppError } from '../common/errors/error-codes.js';

const REQUEST_WINDOW_SECONDS = 3600;

/** [E-RESET] Forgot password: a one-time emailed link that sets a new password and signs everyone out. */
@Injectable()
export class PasswordResetService {
  private readonly perAddress: RateLimiterPostgres;
  private readonly perIp: RateLimiterPostgres;

  constructor(
    private readonly prisma: PrismaService,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly events: SecurityEventsService,
    private readonly mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    const store = { storeClient: prisma.pool, storeType: 'pool', tableName: 'login_throttle', tableCreated: true, duration: REQUEST_WINDOW_SECONDS };
    this.perAddress = new RateLimiterPostgres({ ...store, keyPrefix: 'reset-address', points: config.passwordResetRequests.perAddress });
    this.perIp = new RateLimiterPostgres({ ...store, keyPrefix: 'reset-ip', points: config.passwordResetRequests.perIp });
  }

  /**
   * Both limits are taken first, atomically, so a parallel burst gets exactly the limit through
   * [A-RACE]; then the answer goes out without waiting for the rest. Only a known address stores a
   * token, queues the email and records the event, and that work took 34 ms against 18 ms for an
   * unknown address when the answer waited for it: waiting would tell which addresses have accounts.
   */
  async request(email: string, client: ClientContext): Promise<void> {
    await Promise.all([
      refuseWhenSpent(this.perAddress.consume(sha256(email))),
      refuseWhenSpent(this.perIp.consume(throttleKeyOf(client.ip, this.config.anonymousLimits.ipv6Prefix))),
    ]);
    this.sendLink(email, client).catch((error: Error) => this.logger.error({ err: { message: error.message } }, 'could not send a password-reset link'));
  }

  /** The token names the password it replaces: once that changes any other way, the link is dead. */
  private async sendLink(email: string, client: ClientContext): Promise<void> {
    const { token, selector, validatorHash } = newEmailToken();
    const ttl = this.config.passwordResetTtl;
    await this.prisma.$transaction(async (tx) => {
      const [issued] = await tx.$queryRaw<{ userId: string }[]>`
        INSERT INTO email_tokens (user_id, purpose, selector, validator_hash, password_changed_at, expires_at)
        SELECT id, 'password_reset', ${selector}, ${validatorHash}, password_changed_at, now() + make_interval(secs => ${ttl})
        FROM users WHERE email = ${email}
        RETURNING user_id AS "userId"`;
      if (!issued) return;
      const requestedFrom = deviceDetailsOf(client, this.config);
      await this.mail.enqueue(tx, email, passwordResetEmail({ appUrl: this.config.mail.appUrl, token, validMinutes: Math.round(ttl / 60), requestedFrom }));
      await this.events.record('password_reset_requested', issued.userId, client, undefined, { tx });
    });
  }

  /**
   * Sets the new password, ends every session and remember-me series with `password_changed`
   * [U-INVALIDATE], tells the owner by email, and signs nobody in: whoever holds the link still
   * signs in like anyone else (with a second factor, if one is on). All in one transaction, under
   * the user's lock, with the token used up in it.
   */
  async confirm(token: string, newPassword: string, client: ClientContext): Promise<void> {
    // The policy needs the account's address; looking it up uses nothing up.
    const parsed = parseEmailToken(token);
    const owner = parsed
      ? await this.prisma.emailToken.findUnique({ where: { selector: parsed.selector }, select: { purpose: true, user: { select: { email: true } } } })
      : null;
    if (!owner || owner.purpose !== 'password_reset') throw new AppError('LINK_INVALID');
    assertAcceptablePassword(newPassword, owner.user.email, 'newPassword');
    const passwordHash = await this.hasher.hash(newPassword);
    await this.prisma.$transaction(async (tx) => {
      const used = await consumeEmailToken(tx, 'password_reset', token);
      const user = await this.sessions.lockUser(tx, used.userId);
      const current = await tx.user.findUnique({ where: { id: used.userId }, select: { passwordChangedAt: true } });
      if (!user || !current || current.passwordChangedAt.getTime() !== used.passwordChangedAt?.getTime()) throw new AppError('LINK_INVALID');
      await tx.user.update({ where: { id: user.id }, data: { passwordHash, passwordChangedAt: new Date() } });
      await this.sessions.endEverything(user.id, 'password_changed', { tx });
      // Every other reset link of the account dies with the old password; this removes them now.
      await tx.emailToken.deleteMany({ where: { userId: user.id, purpose: 'password_reset' } });
      const changedFrom = deviceDetailsOf(client, this.config);
      await this.mail.enqueue(tx, user.email, passwordChangedEmail({ appUrl: this.config.mail.appUrl, changedFrom, byReset: true }));
      await this.events.record('password_reset', user.id, client, undefined, { tx });
    });
  }
}
