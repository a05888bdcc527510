import { Global, Module } from '@nestjs/common';
import { MailService } from './mail.service.js';

/** One queue and worker per app; feature services inject MailService to queue their messages. */
@Global()
@Module({ providers: [MailService], exports: [MailService] })
export class MailModule {}
