import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import type { ClientContext } from '../common/client-context.js';
import { LOGGER } from '../common/logger.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { changeRole } from './role-change.js';

/** Recorded as `by` on the `role_changed` events this setting causes. */
export const ADMIN_EMAILS_GRANTOR = 'ADMIN_EMAILS';

/**
 * [A-ADMIN] ADMIN_EMAILS names addresses that get the admin role once their owner has verified
 * them: an attacker who signs up with a listed address, or changes theirs to one, and cannot
 * read its mail never becomes admin. Two moments grant it: the verification link being used
 * (in its transaction), and start-up, for accounts already verified when the address was listed.
 */
@Injectable()
export class AdminEmails implements OnApplicationBootstrap {
  constructor(
    private readonly prisma: PrismaService,
    private readonly events: SecurityEventsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Call inside the transaction that marks `email` verified for the user. */
  async grantIfListed(tx: Prisma.TransactionClient, user: { id: string; email: string }, client: ClientContext): Promise<boolean> {
    if (!this.config.adminEmails.includes(user.email)) return false;
    return changeRole(tx, this.events, { userId: user.id, role: 'admin', by: ADMIN_EMAILS_GRANTOR, client });
  }

  /** Start-up: listed accounts whose address is verified, and only those, become admins. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.config.adminEmails.length === 0) return;
    const listed = await this.prisma.user.findMany({ where: { email: { in: this.config.adminEmails }, emailVerified: true, role: 'user' }, select: { id: true, email: true } });
    for (const user of listed) {
      // Re-checked under the row lock: the address may have changed since it was read.
      const granted = await this.prisma.$transaction(async (tx) => {
        const still = await tx.$queryRaw<unknown[]>`SELECT 1 FROM users WHERE id = ${user.id}::uuid AND email = ${user.email} AND email_verified FOR UPDATE`;
        return still.length === 1 && changeRole(tx, this.events, { userId: user.id, role: 'admin', by: ADMIN_EMAILS_GRANTOR });
      });
      if (granted) this.logger.info({ userId: user.id }, `ADMIN_EMAILS: ${user.email} (verified) now has the admin role`);
    }
  }
}
