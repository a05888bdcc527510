import { Module } from '@nestjs/common';
import { MfaModule } from '../mfa/mfa.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { AdminFeedController } from './admin-feed.controller.js';
import { AdminController } from './admin.controller.js';
import { AdminEmails } from './admin-emails.js';

@Module({ imports: [SessionsModule, MfaModule], controllers: [AdminController, AdminFeedController], providers: [AdminEmails], exports: [AdminEmails] })
export class AdminModule {}
