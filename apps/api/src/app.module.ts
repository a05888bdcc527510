import { type DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from './common/logger.js';
import { APP_CONFIG, type AppConfig } from './config/config.js';
import { AccountModule } from './account/account.module.js';
import { AdminModule } from './admin/admin.module.js';
import { AuthModule } from './auth/auth.module.js';
import { EmailVerificationModule } from './email-verification/email-verification.module.js';
import { HealthController } from './health/health.controller.js';
import { MailModule } from './mail/mail.module.js';
import { NewDeviceAlertsModule } from './new-device-alerts/new-device-alerts.module.js';
import { PasswordResetModule } from './password-reset/password-reset.module.js';
import { PrismaModule } from './prisma/prisma.module.js';
import { SecurityEventsModule } from './security-events/security-events.module.js';
import { StepUpModule } from './step-up/step-up.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [PrismaModule.forRoot(databaseUrl), MailModule, SecurityEventsModule, AuthModule, StepUpModule, AccountModule, AdminModule, PasswordResetModule, EmailVerificationModule, NewDeviceAlertsModule],
      controllers: [HealthController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
      ],
      exports: [APP_CONFIG, LOGGER],
    };
  }
}
