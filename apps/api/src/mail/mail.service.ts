import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import { fromPrisma, type Job, PgBoss, type Queue } from 'pg-boss';
import type { Logger } from 'pino';
import { LOGGER } from '../common/logger.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { Prisma } from '../generated/prisma/client.js';
import { DATABASE_URL } from '../prisma/prisma.service.js';
import { MailSeal } from './sealed-message.js';
import type { MailMessage } from './templates/layout.js';

export const MAIL_QUEUE = 'mail';

/**
 * Retries with exponential backoff (2 s doubling to at most 15 min, 30 tries: about six hours of an
 * SMTP outage). A worker that dies mid-send stops its heartbeat, and the job is retried by another
 * instance within about half a minute. Sent jobs are deleted after an hour.
 */
export const MAIL_QUEUE_OPTIONS = {
  retryLimit: 30,
  retryDelay: 2,
  retryBackoff: true,
  retryDelayMax: 900,
  expireInSeconds: 120,
  heartbeatSeconds: 15,
  deleteAfterSeconds: 3600,
  notify: true,
} satisfies Omit<Queue, 'name'>;

interface MailJob {
  sealed: string;
}

/**
 * [E-MAIL] Mail goes through a PostgreSQL job queue (pg-boss). A message is queued in the
 * transaction of the change that causes it, so it exists exactly when that change does; a worker
 * in every instance sends it over SMTP. No request waits for SMTP, and an outage or a crash delays
 * mail but loses none.
 */
@Injectable()
export class MailService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly boss: PgBoss;
  private ready: Promise<void> | undefined;
  private readonly seal: MailSeal;
  private readonly transport: Transporter;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATABASE_URL) databaseUrl: string,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    if (!config.mail.smtpUrl) throw new Error('SMTP_URL is unset and no embedded mail server was started');
    // Its own small pool: one connection listens for new jobs, the others fetch and settle them.
    this.boss = new PgBoss({ connectionString: databaseUrl, max: 3, schedule: false, useListenNotify: true, superviseIntervalSeconds: 10, monitorIntervalSeconds: 10 });
    // pg-boss reports a lost connection (a database restart) as an event; it reconnects by itself.
    this.boss.on('error', (error) => logger.warn({ err: { message: error.message } }, 'mail queue error'));
    this.seal = new MailSeal(config.sessionSecret);
    this.transport = nodemailer.createTransport({
      ...parseConnectionUrl(config.mail.smtpUrl),
      // A server that accepts the connection and then says nothing must not hold a job for minutes.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  /**
   * Queues `message` for `to` inside the caller's transaction `tx`: sent only if it commits, and
   * never lost once it has.
   */
  async enqueue(tx: Prisma.TransactionClient, to: string, message: MailMessage): Promise<void> {
    // A queue that could not start fails the caller's transaction: no change commits without its mail.
    await this.ready;
    const sealed = this.seal.seal({ to, ...message, messageId: `<${randomUUID()}@sessionkeep>` });
    await this.boss.send(MAIL_QUEUE, { sealed } satisfies MailJob, { db: fromPrisma(tx) });
  }

  /** Started beside the app, not before it: a database that is down at boot gives 503s, not a dead process. */
  onApplicationBootstrap(): void {
    this.ready = this.startWorker();
    this.ready.catch((error: Error) => this.logger.error({ err: { message: error.message } }, 'the mail queue could not start; no email will be sent'));
  }

  private async startWorker(): Promise<void> {
    // pg-boss creates and migrates its own schema ("pgboss") here, under a PostgreSQL advisory
    // lock, so instances starting at once take turns; creating the queue is idempotent.
    await this.boss.start({ attempts: 10 });
    await this.boss.createQueue(MAIL_QUEUE, MAIL_QUEUE_OPTIONS);
    await this.boss.updateQueue(MAIL_QUEUE, MAIL_QUEUE_OPTIONS);
    // A new job wakes the worker at once (LISTEN/NOTIFY); a retry coming due sends no notification,
    // so the worker also polls every 2 s (one indexed query).
    await this.boss.work<MailJob>(MAIL_QUEUE, { batchSize: 1, pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 2 }, ([job]) => this.deliver(job!));
  }

  async onModuleDestroy(): Promise<void> {
    // Also cancels a start still retrying. A send in progress finishes or, past the timeout, is left to be retried by the next worker.
    await this.boss.stop({ graceful: true, timeout: 10_000 });
    this.transport.close();
  }

  private async deliver(job: Job<MailJob>): Promise<void> {
    let mail;
    try {
      mail = this.seal.open(job.data.sealed);
    } catch {
      this.logger.error({ jobId: job.id }, 'dropped a queued email that cannot be opened (sealed under another SESSION_SECRET)');
      return;
    }
    try {
      await this.transport.sendMail({ from: this.config.mail.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, messageId: mail.messageId });
    } catch (error) {
      // The job, not the message, is logged: the body holds one-time links.
      this.logger.warn({ jobId: job.id, err: { message: (error as Error).message } }, 'sending an email failed; it will be retried');
      throw error;
    }
    this.logger.info({ jobId: job.id }, 'sent an email');
  }
}
