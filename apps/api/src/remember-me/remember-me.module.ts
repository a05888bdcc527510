import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module.js';
import { RememberMeService } from './remember-me.service.js';

@Module({ imports: [SessionsModule], providers: [RememberMeService], exports: [RememberMeService] })
export class RememberMeModule {}
