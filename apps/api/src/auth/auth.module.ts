import { NewDeviceAlertsModule } from '../new-device-alerts/new-device-alerts.module.js';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { MfaModule } from '../mfa/mfa.module.js';
import { RememberMeModule } from '../remember-me/remember-me.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { UsersModule } from '../users/users.module.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { AnonymousLimits } from './anonymous-limits.service.js';
import { AuthController } from './auth.controller.js';
import { CsrfGuard } from './csrf.guard.js';
import { LocalStrategy } from './local.strategy.js';
import { LoginThrottle } from './login-throttle.service.js';
import { PreSessionCsrf } from './pre-session-csrf.js';
import { SessionAuthGuard } from './session-auth.guard.js';
import { SignInService } from './sign-in.service.js';

@Module({
  imports: [PassportModule, UsersModule, SessionsModule, RememberMeModule, MfaModule, NewDeviceAlertsModule],
  controllers: [AuthController],
  providers: [
    SignInService,
    LoginThrottle,
    AnonymousLimits,
    { provide: PreSessionCsrf, useFactory: (config: AppConfig) => new PreSessionCsrf(config.sessionSecret), inject: [APP_CONFIG] },
    LocalStrategy,
    // Order matters: who you are (401 with a reason) before whether the request is forged (403).
    { provide: APP_GUARD, useClass: SessionAuthGuard },
    { provide: APP_GUARD, useClass: CsrfGuard },
  ],
  exports: [SignInService, LoginThrottle, AnonymousLimits, MfaModule],
})
export class AuthModule {}
