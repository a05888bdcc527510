import { Global, Module } from '@nestjs/common';
import { SecurityEventsService } from './security-events.service.js';

@Global()
@Module({ providers: [SecurityEventsService], exports: [SecurityEventsService] })
export class SecurityEventsModule {}
