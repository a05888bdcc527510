import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { clearRememberCookie } from '../remember-me/remember-cookie.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { SessionEndReason } from '../common/errors/error-codes.js';
import { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { hashSessionId, SESSION_COOKIE, type SessionTimes, timedOutBy } from './session-data.js';
import { clearCookie, destroySession, presentedSessionId } from './session-lifecycle.js';

export type Db = PrismaService | Prisma.TransactionClient;

/** Ending sessions, and remembering why, by hashed ID only. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Signs this device out: its session and remember-me series end, and both cookies are expired
   * with their own flags, plus Clear-Site-Data [L-LOGOUT, C-CLEAR, R-LIFE].
   */
  async endThisDevice(req: Request, res: Response, reason: SessionEndReason): Promise<void> {
    const seriesId = req.session.rememberSeriesId;
    if (seriesId) await this.prisma.rememberToken.deleteMany({ where: { id: seriesId } });
    await this.endCurrent(req, reason);
    clearCookie(res, SESSION_COOKIE);
    clearRememberCookie(res);
    res.setHeader('Clear-Site-Data', '"cookies"');
  }

  /** Ends this request's session; its next request (or a replay of its cookie) is told why [L-LOGOUT]. */
  async endCurrent(req: Request, reason: SessionEndReason): Promise<void> {
    const sid = hashSessionId(req.sessionID);
    await destroySession(req);
    // The request goes on with an empty, unsaved session, as a signed-out visitor would.
    req.sessionStore.generate(req);
    await this.prisma.sessionTombstone.upsert({
      where: { sid },
      create: { sid, reason, expiresAt: this.tombstoneExpiry() },
      update: { reason },
    });
  }

  /**
   * Signs a user out everywhere: every session and every remember-me series, except those of
   * `except` (the request's own device) when given [U-INVALIDATE, D-REVOKE, R-LIFE]. Atomic;
   * pass `db` to make it part of a larger transaction.
   */
  async endAllOf(userId: string, reason: SessionEndReason, { except, db }: { except?: Request; db?: Db } = {}): Promise<number> {
    const keepSession = except ? hashSessionId(except.sessionID) : '';
    const keepSeries = except?.session.rememberSeriesId;
    const work = async (tx: Db) => {
      await tx.rememberToken.deleteMany({ where: { userId, ...(keepSeries ? { id: { not: keepSeries } } : {}) } });
      return this.endWhere(tx, reason, Prisma.sql`user_id = ${userId}::uuid AND sid <> ${keepSession}`);
    };
    return db ? work(db) : this.prisma.$transaction(work);
  }

  /**
   * Ends one of the user's own sessions, by its public id, with its remember-me series. Returns
   * false for an id that is not this user's, so ownership can't be probed.
   */
  async revoke(userId: string, publicId: string, req: Request, res: Response): Promise<boolean> {
    if (publicId === hashSessionId(req.sessionID)) {
      await this.endThisDevice(req, res, 'revoked');
      return true;
    }
    const target = await this.prisma.session.findFirst({ where: { sid: publicId, userId }, select: { rememberSeriesId: true } });
    if (!target) return false;
    await this.prisma.$transaction(async (tx) => {
      if (target.rememberSeriesId) await tx.rememberToken.deleteMany({ where: { id: target.rememberSeriesId, userId } });
      await this.endWhere(tx, 'revoked', Prisma.sql`sid = ${publicId} AND user_id = ${userId}::uuid`);
    });
    return true;
  }

  /** Ends the sessions of one remember-me series (one device). */
  endSeries(seriesId: string, reason: SessionEndReason, db: Db = this.prisma): Promise<number> {
    return this.endWhere(db, reason, Prisma.sql`remember_series_id = ${seriesId}::uuid`);
  }

  /** Deletes the matching sessions and leaves a tombstone for each, in one statement. */
  private async endWhere(db: Db, reason: SessionEndReason, condition: Prisma.Sql): Promise<number> {
    const [row] = await db.$queryRaw<{ count: bigint }[]>`
      WITH ended AS (
        DELETE FROM session WHERE ${condition} RETURNING sid
      ), recorded AS (
        INSERT INTO session_tombstones (sid, reason, expires_at)
        SELECT sid, ${reason}::session_end_reason, ${this.tombstoneExpiry()} FROM ended
        ON CONFLICT (sid) DO UPDATE SET reason = EXCLUDED.reason
      )
      SELECT count(*) AS count FROM ended`;
    return Number(row?.count ?? 0);
  }

  /**
   * Why the session this request presented is gone, if it ever existed: a tombstone, or a row
   * that has expired but was not yet pruned.
   */
  async endReasonFor(req: Request): Promise<SessionEndReason | undefined> {
    const id = presentedSessionId(req, this.config.sessionSecret);
    if (!id || id === req.sessionID) return undefined;
    const sid = hashSessionId(id);
    const tombstone = await this.prisma.sessionTombstone.findFirst({ where: { sid, expiresAt: { gt: new Date() } } });
    if (tombstone) return tombstone.reason;
    const expired = await this.prisma.session.findUnique({ where: { sid }, select: { sess: true } });
    if (!expired) return undefined;
    // The row is past its `expire`, so one of the timeouts ended it.
    return timedOutBy(expired.sess as SessionTimes, this.config.session.idleTimeout) ?? 'idle_timeout';
  }

  /**
   * [D-LIMIT] Keeps a user at MAX_SESSIONS_PER_USER by ending the least recently active sessions
   * (never `current`). The user's row is locked, so parallel sign-ins evict one after another
   * and cannot overshoot the cap together. Returns how many were evicted.
   */
  async enforceLimit(userId: string, current: string): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
      return this.endWhere(
        tx,
        'evicted',
        Prisma.sql`sid IN (
          SELECT sid FROM session WHERE user_id = ${userId}::uuid AND expire > now()
          ORDER BY sid = ${hashSessionId(current)} DESC, (sess->>'lastActiveAt')::bigint DESC
          OFFSET ${this.config.session.maxPerUser})`,
      );
    });
  }

  /** A tombstone outlives any session it could describe: it lasts one absolute timeout from the end. */
  tombstoneExpiry(from = Date.now()): Date {
    return new Date(from + this.config.session.absoluteTimeout * 1000);
  }
}
