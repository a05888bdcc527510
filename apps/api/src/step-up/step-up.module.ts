import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { StepUpController } from './step-up.controller.js';

@Module({ imports: [AuthModule, SessionsModule], controllers: [StepUpController] })
export class StepUpModule {}
