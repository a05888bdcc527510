import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { AppError, type SessionEndReason } from '../common/errors/error-codes.js';
import { LOGGER } from '../common/logger.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { PrismaService } from '../prisma/prisma.service.js';
import type { LiveNotification } from './live-events.js';
import { sessionExpiresAt, type SessionTimes, type SignedInSession, timedOutBy } from './session-data.js';
import { SessionsService } from './sessions.service.js';

/** Notifications of one transaction arrive together: the devices event goes out once for them. */
const DEVICES_COALESCE_MS = 50;
/** The longest delay setTimeout takes; a later expiry is re-checked then. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Streams re-checked per query on a heartbeat. */
const RECHECK_BATCH = 1000;

/** One open `text/event-stream` response: the session it watches (by stored hash) and its timers. */
class LiveStream {
  expiryTimer?: NodeJS.Timeout;
  devicesTimer?: NodeJS.Timeout;
  closed = false;

  constructor(
    readonly userId: string,
    public sid: string,
    readonly res: Response,
  ) {}

  send(event: 'ended' | 'devices', data: object): void {
    this.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }
}

type Found = { presented: string; sid: string | null; sess: SessionTimes | null };

/**
 * [D-LIVE] This instance's open live streams, by user. A stream ends with `ended` and the reason
 * when a notification names its session, when a re-check finds the session gone (every heartbeat,
 * and after the LISTEN connection comes back), or when its timer reaches the session's idle or
 * absolute end. A stream is not activity: nothing here writes the session, except ending it.
 */
@Injectable()
export class LiveStreams implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly byUser = new Map<string, Set<LiveStream>>();
  private count = 0;
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly prisma: PrismaService,
    private readonly sessions: SessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.heartbeat = setInterval(() => void this.beat(), this.config.live.heartbeat * 1000);
    this.heartbeat.unref();
  }

  /** The streams close without an event; a browser's EventSource reconnects, to another instance if this one is gone. */
  onModuleDestroy(): void {
    clearInterval(this.heartbeat);
    for (const stream of this.all()) this.close(stream);
  }

  get size(): number {
    return this.count;
  }

  /**
   * Starts the stream, or refuses past the caps. The check and the count are one synchronous step,
   * so parallel opens cannot all slip under a cap.
   */
  open(session: SignedInSession, res: Response): void {
    const { live } = this.config;
    const own = this.byUser.get(session.data.userId) ?? new Set<LiveStream>();
    if (own.size >= live.streamsPerUser || this.count >= live.streamsPerInstance) {
      throw new AppError('TOO_MANY_REQUESTS', { message: 'Too many live streams are open. Close another tab or device and try again.' });
    }
    const stream = new LiveStream(session.data.userId, session.sid, res);
    own.add(stream);
    this.byUser.set(stream.userId, own);
    this.count++;
    res.on('close', () => this.close(stream));

    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    // nginx and other proxies would hold events back in their buffers.
    res.setHeader('X-Accel-Buffering', 'no');
    res.setHeader('Connection', 'keep-alive');
    res.flushHeaders();
    res.socket?.setNoDelay(true);
    // Where an EventSource reconnects after a drop: soon, but not in a tight loop.
    res.write('retry: 3000\n\n');
    this.scheduleExpiry(stream, session.data);
  }

  /** A notification from LISTEN: end the named session's streams; the user's other streams re-check and hear `devices`. */
  dispatch(notification: LiveNotification): void {
    const own = this.byUser.get(notification.userId);
    if (!own) return;
    if (notification.type === 'devices') {
      for (const stream of own) this.devicesChanged(stream);
      return;
    }
    const others: LiveStream[] = [];
    for (const stream of own) {
      if (stream.sid === notification.sid) this.end(stream, notification.reason);
      else others.push(stream);
    }
    // A stream whose session moved to a new ID (step-up, a role change) is found again by the re-check.
    if (others.length > 0) void this.recheck(others, { devicesChanged: true });
  }

  /** After the LISTEN connection was lost: notifications may have been missed. */
  recheckAll(): Promise<void> {
    return this.recheckInBatches(this.all());
  }

  private async beat(): Promise<void> {
    const streams = this.all();
    for (const stream of streams) stream.res.write(': heartbeat\n\n');
    await this.recheckInBatches(streams);
  }

  private async recheckInBatches(streams: LiveStream[]): Promise<void> {
    for (let i = 0; i < streams.length; i += RECHECK_BATCH) await this.recheck(streams.slice(i, i + RECHECK_BATCH));
  }

  /**
   * Finds each stream's session, following a move to a new ID. Gone: `ended` with the reason its
   * tombstone gives. Past its idle or absolute end: ended here, which publishes the end to every
   * instance. A database that does not answer ends nothing: the next heartbeat tries again.
   */
  private async recheck(streams: LiveStream[], { devicesChanged = false } = {}): Promise<void> {
    const open = streams.filter((stream) => !stream.closed);
    if (open.length === 0) return;
    let found: Found[];
    try {
      found = await this.prisma.$queryRaw<Found[]>`
        SELECT p.sid AS presented, s.sid, s.sess
        FROM unnest(${open.map((stream) => stream.sid)}::text[]) AS p(sid)
        LEFT JOIN session s ON s.sid = COALESCE((SELECT moved_to FROM session_moves m WHERE m.sid = p.sid), p.sid)`;
    } catch (err) {
      this.logger.warn({ err }, 'live streams: re-check failed; trying again on the next heartbeat');
      return;
    }
    const bySid = new Map(found.map((row) => [row.presented, row]));
    await Promise.all(
      open.map(async (stream) => {
        const row = bySid.get(stream.sid);
        if (!row?.sid || !row.sess) return this.end(stream, await this.reasonOf(stream.sid));
        stream.sid = row.sid;
        const timedOut = timedOutBy(row.sess, this.config.session.idleTimeout);
        if (timedOut) return this.endTimedOut(stream, timedOut);
        this.scheduleExpiry(stream, row.sess);
        if (devicesChanged) this.devicesChanged(stream);
      }),
    );
  }

  /** The session reached its idle or absolute end with no request to notice: end it, as the next request would. */
  private async endTimedOut(stream: LiveStream, reason: SessionEndReason): Promise<void> {
    try {
      await this.sessions.endSession(stream.userId, stream.sid, reason);
    } catch (err) {
      this.logger.warn({ err }, 'live streams: could not end a timed-out session');
    }
    this.end(stream, reason);
  }

  private async reasonOf(sid: string): Promise<SessionEndReason | undefined> {
    try {
      return await this.sessions.endReasonOf(sid);
    } catch {
      return undefined;
    }
  }

  /** A timer to the session's idle or absolute end; activity elsewhere may have moved it, so it re-checks then. */
  private scheduleExpiry(stream: LiveStream, times: SessionTimes): void {
    clearTimeout(stream.expiryTimer);
    if (stream.closed) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, sessionExpiresAt(times, this.config.session.idleTimeout) - Date.now()) + 20);
    stream.expiryTimer = setTimeout(() => void this.recheck([stream]), delay);
    stream.expiryTimer.unref();
  }

  private devicesChanged(stream: LiveStream): void {
    if (stream.devicesTimer || stream.closed) return;
    stream.devicesTimer = setTimeout(() => {
      stream.devicesTimer = undefined;
      if (!stream.closed) stream.send('devices', {});
    }, DEVICES_COALESCE_MS);
  }

  /** `ended` with the reason (when one is known), then the stream closes. */
  private end(stream: LiveStream, reason: SessionEndReason | undefined): void {
    if (stream.closed) return;
    stream.send('ended', reason ? { reason } : {});
    this.close(stream);
  }

  private close(stream: LiveStream): void {
    if (stream.closed) return;
    stream.closed = true;
    clearTimeout(stream.expiryTimer);
    clearTimeout(stream.devicesTimer);
    const own = this.byUser.get(stream.userId);
    own?.delete(stream);
    if (own?.size === 0) this.byUser.delete(stream.userId);
    this.count--;
    stream.res.end();
  }

  private all(): LiveStream[] {
    return [...this.byUser.values()].flatMap((own) => [...own]);
  }
}
