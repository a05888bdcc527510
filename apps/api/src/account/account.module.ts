import { EmailVerificationModule } from '../email-verification/email-verification.module.js';
import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module.js';
import { UsersModule } from '../users/users.module.js';
import { AccountController } from './account.controller.js';
import { AccountService } from './account.service.js';

@Module({ imports: [UsersModule, SessionsModule, EmailVerificationModule], controllers: [AccountController], providers: [AccountService] })
export class AccountModule {}
