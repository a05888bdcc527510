import { Module } from '@nestjs/common';
import { AdminModule } from '../admin/admin.module.js';
import { EmailVerificationController } from './email-verification.controller.js';
import { EmailVerificationService } from './email-verification.service.js';

@Module({ imports: [AdminModule], controllers: [EmailVerificationController], providers: [EmailVerificationService], exports: [EmailVerificationService] })
export class EmailVerificationModule {}
