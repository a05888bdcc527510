import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module.js';
import { FactorChangesService } from './factor-changes.service.js';
import { MfaController } from './mfa.controller.js';
import { RecoveryCodesService } from './recovery-codes.service.js';
import { SecondFactorThrottle } from './second-factor-throttle.js';
import { SecondFactorService } from './second-factor.service.js';
import { TotpService } from './totp.service.js';

@Module({
  imports: [SessionsModule],
  controllers: [MfaController],
  providers: [TotpService, RecoveryCodesService, SecondFactorThrottle, SecondFactorService, FactorChangesService],
  exports: [SecondFactorService, FactorChangesService, RecoveryCodesService],
})
export class MfaModule {}
