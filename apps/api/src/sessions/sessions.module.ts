import { Module } from '@nestjs/common';
import { SessionPruner } from './session-pruner.js';
import { SessionsService } from './sessions.service.js';

@Module({ providers: [SessionsService, SessionPruner], exports: [SessionsService, SessionPruner] })
export class SessionsModule {}
