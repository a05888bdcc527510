import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../common/logger.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { PrismaService } from '../prisma/prisma.service.js';

/**
 * ADMIN_EMAILS grants `admin` at sign-up and, for accounts that already exist, at boot. Their
 * live sessions get a new ID on their next request, as for any role change [U-PRIVILEGE].
 */
@Injectable()
export class GrantAdminEmails implements OnApplicationBootstrap {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.adminEmails.length === 0) return;
    const { count } = await this.prisma.user.updateMany({ where: { email: { in: this.config.adminEmails }, role: 'user' }, data: { role: 'admin' } });
    if (count > 0) this.logger.info({ count }, 'granted admin to existing accounts listed in ADMIN_EMAILS');
  }
}
