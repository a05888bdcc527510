import { Inject, Injectable } from '@nestjs/common';
import { AdminEmails } from '../admin/admin-emails.js';
import type { ClientContext } from '../common/client-context.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { consumeEmailToken, newEmailToken } from '../email-tokens/email-token.js';
import type { Prisma } from '../generated/prisma/client.js';
import { deviceDetailsOf } from '../mail/device-details.js';
import { MailService } from '../mail/mail.service.js';
import { emailChangeNoticeEmail, verifyEmailEmail } from '../mail/templates/security-emails.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { PUBLIC_USER_FIELDS, type PublicUser } from '../users/public-user.js';
import { rethrowEmailTaken } from '../users/email-taken.js';

const VERIFY_LINK_TTL_SECONDS = 24 * 3600;

/**
 * [E-VERIFY] An address counts as the user's only once a link sent to it is used: after sign-up,
 * and for an email change, which changes nothing until then (the old address is told at once).
 */
@Injectable()
export class EmailVerificationService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly mail: MailService,
    private readonly events: SecurityEventsService,
    private readonly adminEmails: AdminEmails,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Sends a link that confirms `email` for the user, inside the caller's transaction. Any earlier
   * link dies: only the latest address asked for can become the account's.
   */
  async sendLink(tx: Prisma.TransactionClient, userId: string, email: string): Promise<void> {
    await tx.emailToken.deleteMany({ where: { userId, purpose: 'verify_email' } });
    const { token, selector, validatorHash } = newEmailToken();
    const expiresAt = new Date(Date.now() + VERIFY_LINK_TTL_SECONDS * 1000);
    await tx.emailToken.create({ data: { userId, purpose: 'verify_email', selector, validatorHash, email, expiresAt } });
    await this.mail.enqueue(tx, email, verifyEmailEmail({ appUrl: this.config.mail.appUrl, token, validMinutes: VERIFY_LINK_TTL_SECONDS / 60 }));
  }

  /** The change waits for the new address's link; the old address hears of it now. */
  async requestChange(tx: Prisma.TransactionClient, user: PublicUser, newEmail: string, client: ClientContext): Promise<void> {
    await this.sendLink(tx, user.id, newEmail);
    const requestedFrom = deviceDetailsOf(client, this.config);
    await this.mail.enqueue(tx, user.email, emailChangeNoticeEmail({ appUrl: this.config.mail.appUrl, newEmail, requestedFrom }));
    await this.events.record('email_change_requested', user.id, client, { requested: newEmail }, { tx });
  }

  /**
   * Uses a link: the address it names becomes the account's, verified, and if ADMIN_EMAILS lists
   * it the account becomes admin in the same commit [A-ADMIN]. No sign-in needed: the link is the proof.
   */
  async verify(token: string, client: ClientContext): Promise<PublicUser> {
    return this.prisma
      .$transaction(async (tx) => {
        const used = await consumeEmailToken(tx, 'verify_email', token);
        const before = await tx.user.findUniqueOrThrow({ where: { id: used.userId }, select: { email: true } });
        const email = used.email ?? before.email;
        const user = await tx.user.update({ where: { id: used.userId }, data: { email, emailVerified: true }, select: PUBLIC_USER_FIELDS });
        if (email !== before.email) await this.events.record('email_changed', user.id, client, { previous: before.email }, { tx });
        await this.events.record('email_verified', user.id, client, undefined, { tx });
        if (await this.adminEmails.grantIfListed(tx, user, client)) return { ...user, role: 'admin' as const };
        return user;
      })
      .catch(rethrowEmailTaken);
  }
}
