import { Inject, Injectable } from '@nestjs/common';
import type { ClientContext } from '../common/client-context.js';
import { AppError } from '../common/errors/error-codes.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { Prisma, SecurityEventType } from '../generated/prisma/client.js';
import { MailService } from '../mail/mail.service.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import type { NewSession, SignedInSession } from '../sessions/session-data.js';
import { newCsrfToken } from '../sessions/session-lifecycle.js';
import { SessionsService } from '../sessions/sessions.service.js';
import type { PublicUser } from '../users/public-user.js';
import { factorChangedEmail } from './factor-changed-email.js';
import { RecoveryCodesService } from './recovery-codes.service.js';
import { SecondFactorThrottle } from './second-factor-throttle.js';
import { TotpService } from './totp.service.js';

/**
 * [M-CHANGE] Turning a factor on or off and regenerating recovery codes (routes behind step-up):
 * each ends every other session and remember-me series of the user, as a password change does,
 * continues this device under a new ID, records an event and queues a notice, all or nothing.
 */
@Injectable()
export class FactorChangesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly sessions: SessionsService,
    private readonly totp: TotpService,
    private readonly recoveryCodes: RecoveryCodesService,
    private readonly throttle: SecondFactorThrottle,
    private readonly events: SecurityEventsService,
    private readonly mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The first code turns the app on and returns the recovery codes, to be shown once. */
  async confirmTotp(user: PublicUser, session: SignedInSession, client: ClientContext, code: string) {
    const attempt = await this.throttle.begin(user.id, client);
    const changed = await this.change(user, session, client, 'mfa_enabled', async (tx) => {
      if (!(await this.totp.confirm(tx, user.id, code))) throw new AppError('INVALID_CODE');
      return this.recoveryCodes.replace(tx, user.id);
    });
    await this.throttle.succeeded(attempt);
    return changed;
  }

  async disableTotp(user: PublicUser, session: SignedInSession, client: ClientContext) {
    return this.change(user, session, client, 'mfa_disabled', async (tx) => {
      const removed = await tx.totpFactor.deleteMany({ where: { userId: user.id, confirmedAt: { not: null } } });
      if (removed.count === 0) throw new AppError('NOT_FOUND');
      // The codes stay while a passkey remains; they go with the last factor [M-RECOVERY].
      await this.recoveryCodes.deleteIfNoFactor(tx, user.id);
    });
  }

  async regenerateRecoveryCodes(user: PublicUser, session: SignedInSession, client: ClientContext) {
    return this.change(user, session, client, 'recovery_codes_regenerated', async (tx) => {
      // Any second factor will do: the authenticator app or a passkey.
      if (!(await this.recoveryCodes.hasFactor(tx, user.id))) throw new AppError('NOT_FOUND');
      return this.recoveryCodes.replace(tx, user.id);
    });
  }

  /** Applies a factor change (also the passkeys feature's) with everything [M-CHANGE] asks of it. */
  async change<T>(
    user: PublicUser,
    session: SignedInSession,
    client: ClientContext,
    event: SecurityEventType,
    apply: (tx: Prisma.TransactionClient) => Promise<T>,
  ): Promise<{ result: T; moved: NewSession | null }> {
    const result = await this.prisma.$transaction(async (tx) => {
      await this.sessions.lockUser(tx, user.id);
      const applied = await apply(tx);
      // Whoever else is signed in (perhaps the reason for the change) is signed out [L-FINAL].
      await this.sessions.endAllBut(user.id, session.sid, 'revoked', { tx });
      await this.mail.enqueue(tx, user.email, factorChangedEmail({ appUrl: this.config.mail.appUrl, change: event, client }));
      await this.events.record(event, user.id, client, undefined, { tx });
      return applied;
    });
    // A privilege change: this device goes on under a new ID [S-FIXATION].
    const moved = await this.sessions.rotateId(session, { csrfToken: newCsrfToken() });
    return { result, moved };
  }
}
