import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module.js';
import { AdminController } from './admin.controller.js';

@Module({ imports: [SessionsModule], controllers: [AdminController] })
export class AdminModule {}
