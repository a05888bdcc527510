import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import type { Logger } from 'pino';
import { LOGGER } from '../common/logger.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { DATABASE_URL } from '../prisma/prisma.service.js';
import { LIVE_CHANNEL, parseLiveNotification } from './live-events.js';
import { LiveStreams } from './live-streams.js';

const FIRST_RETRY_MS = 250;
const LAST_RETRY_MS = 10_000;
/** How the connection shows in pg_stat_activity. */
export const LISTENER_NAME = 'sessionkeep-live';

/**
 * [D-LIVE] This instance's one LISTEN connection: a plain client of its own, since a pooled one
 * would be handed to other work and LISTEN belongs to a connection. When it drops (or stops
 * answering its ping), it reconnects with backoff and the streams re-check the database, as
 * notifications sent meanwhile are lost.
 */
@Injectable()
export class LiveListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private client?: pg.Client;
  /** A connection being opened; it becomes `client` once it listens. */
  private attempt?: pg.Client;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer?: NodeJS.Timeout;
  private pingTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
    private readonly streams: LiveStreams,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.connect();
    this.pingTimer = setInterval(() => void this.ping(), this.config.live.heartbeat * 1000);
    this.pingTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, connectionTimeoutMillis: 5000, keepAlive: true, application_name: LISTENER_NAME });
    this.attempt = client;
    client.on('error', (err) => this.dropped(client, err));
    client.on('end', () => this.dropped(client));
    client.on('notification', ({ channel, payload }) => {
      const notification = channel === LIVE_CHANNEL ? parseLiveNotification(payload) : undefined;
      if (notification) this.streams.dispatch(notification);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${LIVE_CHANNEL}`);
    } catch (err) {
      this.dropped(client, err);
      return;
    }
    if (this.stopped) return void client.end().catch(() => undefined);
    this.client = client;
    this.attempt = undefined;
    this.retryMs = FIRST_RETRY_MS;
    await this.streams.recheckAll();
  }

  /** A partition raises no error on its own: a ping that does not come back within a heartbeat drops the connection. */
  private async ping(): Promise<void> {
    const client = this.client;
    if (!client) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.config.live.heartbeat * 1000)));
    const answer = await Promise.race([client.query('SELECT 1').then(() => 'ok' as const, () => 'failed' as const), timeout]);
    clearTimeout(timer);
    if (answer !== 'ok') this.dropped(client, new Error(`LISTEN connection ping ${answer}`));
  }

  private dropped(client: pg.Client, err?: unknown): void {
    if (client !== this.client && client !== this.attempt) return;
    this.client = this.attempt = undefined;
    // A silent connection would never report its end: drop it for good.
    (client as pg.Client & { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
    if (this.stopped) return;
    this.logger.warn({ err, retryMs: this.retryMs }, 'live streams: LISTEN connection lost; reconnecting');
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(LAST_RETRY_MS, this.retryMs * 2);
  }
}
