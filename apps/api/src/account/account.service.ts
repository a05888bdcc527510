import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { deviceDetailsOf } from '../mail/device-details.js';
import { MailService } from '../mail/mail.service.js';
import { passwordChangedEmail } from '../mail/templates/security-emails.js';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import type { ClientContext } from '../common/client-context.js';
import { refuseWhenSpent } from '../common/rate-limit.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import type { NewSession, SignedInSession } from '../sessions/session-data.js';
import { newCsrfToken } from '../sessions/session-lifecycle.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { assertAcceptablePassword } from '../users/password-policy.js';
import { PasswordHasher } from '../users/password-hasher.service.js';
import { type PublicUser } from '../users/public-user.js';
import { EmailVerificationService } from '../email-verification/email-verification.service.js';
import { emailTaken } from '../users/email-taken.js';

const EMAIL_CHANGES_PER_HOUR = 5;

@Injectable()
export class AccountService {
  private readonly emailChanges: RateLimiterPostgres;

  constructor(
    private readonly prisma: PrismaService,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly events: SecurityEventsService,
    private readonly verification: EmailVerificationService,
    private readonly mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.emailChanges = new RateLimiterPostgres({
      storeClient: prisma.pool,
      storeType: 'pool',
      tableName: 'login_throttle',
      tableCreated: true,
      keyPrefix: 'email-change',
      points: EMAIL_CHANGES_PER_HOUR,
      duration: 3600,
    });
  }

  /**
   * [U-INVALIDATE] Whoever else holds a session of this user (perhaps the reason for the change)
   * is signed out, with `reason: password_changed`; this device continues under the new ID
   * returned, for the edge to adopt.
   */
  async changePassword(user: PublicUser, session: SignedInSession, client: ClientContext, newPassword: string): Promise<NewSession | null> {
    assertAcceptablePassword(newPassword, user.email, 'newPassword');
    const passwordHash = await this.hasher.hash(newPassword);
    await this.prisma.$transaction(async (tx) => {
      await tx.user.update({ where: { id: user.id }, data: { passwordHash, passwordChangedAt: new Date() } });
      await this.sessions.endAllBut(user.id, session.sid, 'password_changed', { tx });
      await this.events.record('password_changed', user.id, client, undefined, { tx });
      const changedFrom = deviceDetailsOf(client, this.config);
      await this.mail.enqueue(tx, user.email, passwordChangedEmail({ appUrl: this.config.mail.appUrl, changedFrom, byReset: false }));
    });
    // Null when this device's ID was moved by a parallel request; the password is changed all the same.
    return this.sessions.rotateId(session, { csrfToken: newCsrfToken() });
  }

  /**
   * [E-VERIFY] Sends a link to the new address and a notice to the old one; nothing changes until
   * the link is used. A few requests an hour per account: each one tells whether an address has an
   * account (EMAIL_TAKEN), so unlimited requests would be an oracle that sign-in and sign-up refuse
   * to be, and each sends two emails. Returns the address the link went to.
   */
  async changeEmail(user: PublicUser, actingSid: string, client: ClientContext, email: string): Promise<string | null> {
    if (email === user.email) return null;
    await refuseWhenSpent(this.emailChanges.consume(user.id));
    if (await this.prisma.user.count({ where: { email } })) throw emailTaken();
    await this.prisma.$transaction(async (tx) => {
      await this.sessions.assertStillSignedIn(tx, actingSid);
      await this.verification.requestChange(tx, user, email, client);
    });
    return email;
  }

  /** Deletes the user with their sessions, tokens and events; other devices learn `revoked`. The edge forgets this device. */
  async deleteAccount(userId: string, actingSid: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await this.sessions.lockUser(tx, userId);
      await this.sessions.assertStillSignedIn(tx, actingSid);
      await this.sessions.endEverything(userId, 'revoked', { tx });
      await tx.user.delete({ where: { id: userId } });
    });
  }
}
