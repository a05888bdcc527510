import { Module } from '@nestjs/common';
import { LiveListener } from './live-listener.js';
import { LiveSessionsController } from './live-sessions.controller.js';
import { LiveStreams } from './live-streams.js';
import { SessionPruner } from './session-pruner.js';
import { SessionsController } from './sessions.controller.js';
import { SessionsService } from './sessions.service.js';
import { SuspiciousSessionCheck } from './suspicious-session.js';

@Module({
  controllers: [SessionsController, LiveSessionsController],
  providers: [SessionsService, SessionPruner, SuspiciousSessionCheck, LiveStreams, LiveListener],
  exports: [SessionsService, SessionPruner, SuspiciousSessionCheck],
})
export class SessionsModule {}
