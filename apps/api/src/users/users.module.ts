import { EmailVerificationModule } from '../email-verification/email-verification.module.js';
import { Module } from '@nestjs/common';
import { PasswordHasher } from './password-hasher.service.js';
import { UsersService } from './users.service.js';

@Module({ imports: [EmailVerificationModule], providers: [UsersService, PasswordHasher], exports: [UsersService, PasswordHasher] })
export class UsersModule {}
