import { Inject, Injectable } from '@nestjs/common';
import type { ClientContext } from '../common/client-context.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { consumeEmailToken, newEmailToken } from '../email-tokens/email-token.js';
import type { Prisma } from '../generated/prisma/client.js';
import { deviceDetailsOf } from '../mail/device-details.js';
import { MailService } from '../mail/mail.service.js';
import { newDeviceAlertEmail } from '../mail/templates/security-emails.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import type { PublicUser } from '../users/public-user.js';

/** A device is unknown when this user has not signed in from it for this long [E-NOTIFY]. */
const KNOWN_FOR_DAYS = 90;
/** How long "This wasn't me" works: past that, the devices page does the same. */
const NOT_ME_TTL_SECONDS = 7 * 24 * 3600;

/** The device of a sign-in as new-device alerts compare it: browser family and network prefix (/16, /48). */
export const deviceOf = (client: ClientContext): string => `${client.fingerprint.browser}|${client.fingerprint.network}`.slice(0, 160);

/**
 * [E-NOTIFY] A sign-in from a device (browser family + network prefix) this user has not signed in
 * from for 90 days gets an email with a "This wasn't me" link, which ends exactly that session at
 * once, without a sign-in, and once only.
 */
@Injectable()
export class NewDeviceAlerts {
  constructor(
    private readonly prisma: PrismaService,
    private readonly mail: MailService,
    private readonly sessions: SessionsService,
    private readonly events: SecurityEventsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Inside the sign-in's transaction, before its own sign_in event is stored; `sid` is the new
   * session's stored hash. Two short reads of one index (user, device, time).
   */
  async alertIfNew(tx: Prisma.TransactionClient, user: PublicUser, client: ClientContext, sid: string): Promise<void> {
    const device = deviceOf(client);
    // An account with no sign-in on record yet (made by the CLI, or before this feature) has no
    // devices to compare with: its first sign-in starts the record instead of alerting.
    const [known] = await tx.$queryRaw<{ seen: boolean; any: boolean }[]>`
      SELECT EXISTS (SELECT 1 FROM security_events
                     WHERE user_id = ${user.id}::uuid AND device = ${device} AND created_at > now() - make_interval(days => ${KNOWN_FOR_DAYS})) AS seen,
             EXISTS (SELECT 1 FROM security_events WHERE user_id = ${user.id}::uuid AND device IS NOT NULL) AS any`;
    if (known?.seen || !known?.any) return;
    const { token, selector, validatorHash } = newEmailToken();
    const expiresAt = new Date(Date.now() + NOT_ME_TTL_SECONDS * 1000);
    await tx.emailToken.create({ data: { userId: user.id, purpose: 'not_me', selector, validatorHash, sessionSid: sid, expiresAt } });
    await this.mail.enqueue(tx, user.email, newDeviceAlertEmail({ appUrl: this.config.mail.appUrl, device: deviceDetailsOf(client, this.config), notMeToken: token }));
    await this.events.record('new_device_alert', user.id, client, undefined, { tx });
  }

  /** "This wasn't me": the session the alert named ends now, with its remember-me series; the device is told `revoked`. */
  async disown(token: string, client: ClientContext): Promise<void> {
    // The link is spent only with the end it asks for, and the event commits with both.
    await this.prisma.$transaction(async (tx) => {
      const used = await consumeEmailToken(tx, 'not_me', token);
      const ended = await this.sessions.endSession(used.userId, used.sessionSid ?? '', 'revoked', { tx });
      await this.events.record('new_device_disowned', used.userId, client, { sessionsEnded: ended.sessions }, { tx });
    });
  }
}
