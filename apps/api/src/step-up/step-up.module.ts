import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { PasskeysModule } from '../passkeys/passkeys.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { StepUpController } from './step-up.controller.js';

@Module({ imports: [AuthModule, SessionsModule, PasskeysModule], controllers: [StepUpController] })
export class StepUpModule {}
