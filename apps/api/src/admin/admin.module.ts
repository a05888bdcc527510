import { Module } from '@nestjs/common';
import { MfaModule } from '../mfa/mfa.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { AdminFeedController } from './admin-feed.controller.js';
import { AdminController } from './admin.controller.js';

@Module({ imports: [SessionsModule, MfaModule], controllers: [AdminController, AdminFeedController] })
export class AdminModule {}
