import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { UsersModule } from '../users/users.module.js';
import { PasskeyAssertions } from './passkey-assertions.service.js';
import { PasskeyChallenges } from './passkey-challenges.service.js';
import { PasskeySignInController } from './passkey-sign-in.controller.js';
import { PasskeysController } from './passkeys.controller.js';
import { PasskeysService } from './passkeys.service.js';

@Module({
  imports: [AuthModule, UsersModule],
  controllers: [PasskeysController, PasskeySignInController],
  providers: [PasskeyChallenges, PasskeyAssertions, PasskeysService],
  exports: [PasskeyAssertions, AuthModule],
})
export class PasskeysModule {}
