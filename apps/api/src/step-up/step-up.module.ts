import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { StepUpController } from './step-up.controller.js';

@Module({ imports: [AuthModule], controllers: [StepUpController] })
export class StepUpModule {}
