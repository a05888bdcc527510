import { Module } from '@nestjs/common';
import { SessionPruner } from './session-pruner.js';
import { SessionsController } from './sessions.controller.js';
import { SessionsService } from './sessions.service.js';
import { SuspiciousSessionCheck } from './suspicious-session.js';

@Module({
  controllers: [SessionsController],
  providers: [SessionsService, SessionPruner, SuspiciousSessionCheck],
  exports: [SessionsService, SessionPruner, SuspiciousSessionCheck],
})
export class SessionsModule {}
