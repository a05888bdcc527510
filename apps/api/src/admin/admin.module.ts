import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module.js';
import { AdminController } from './admin.controller.js';
import { GrantAdminEmails } from './grant-admin-emails.js';

@Module({ imports: [SessionsModule], controllers: [AdminController], providers: [GrantAdminEmails] })
export class AdminModule {}
