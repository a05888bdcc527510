import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { SessionData } from 'express-session';
import { AppError, type SessionEndReason } from '../common/errors/error-codes.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { clearRememberCookie } from '../remember-me/remember-cookie.js';
import type { PublicUser } from '../users/public-user.js';
import { sessionRow, type StoredSession } from './hashed-session-store.js';
import { hashSessionId, SESSION_COOKIE, type SessionTimes, timedOutBy } from './session-data.js';
import { adoptSession, clearCookie, detachSession, newSessionId, presentedSessionId, sessionDataOf } from './session-lifecycle.js';

/** How long a rotated-away ID still leads an end to its session (a devices page may be that old). */
const MOVE_KEPT_SECONDS = 600;
/** The session an ID names: its own row, or the row it was rotated into while the request was in flight. */
const rowNamedBy = (sid: string) => Prisma.sql`(sid = ${sid} OR sid IN (SELECT moved_to FROM session_moves WHERE sid = ${sid}))`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export type LockedUser = PublicUser & { sessionGeneration: number };

/**
 * Starting and ending sessions, by hashed ID only. Two rules make every end final [L-FINAL]:
 * - a row is only ever inserted here, for an ID minted in this request, and the store only
 *   updates rows that still exist, so nothing decided before an end can write a session back;
 * - every change to a user's set of sessions and remember-me series holds that user's row lock,
 *   so a sign-in or restore and an end-everything happen one after the other, never interleaved.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Takes the user's row lock for the rest of the transaction; null when the account is gone. */
  async lockUser(tx: Prisma.TransactionClient, userId: string): Promise<LockedUser | null> {
    const [user] = await tx.$queryRaw<LockedUser[]>`
      SELECT id, email, name, role, session_generation AS "sessionGeneration" FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
    return user ?? null;
  }

  /**
   * Stores a new session under `id`, minted in this request, inside the caller's transaction
   * (which holds the user's lock), keeping the user within MAX_SESSIONS_PER_USER by ending the
   * least recently active sessions first [D-LIMIT]. Returns how many were evicted.
   */
  async insertAt(tx: Prisma.TransactionClient, id: string, data: SessionData): Promise<number> {
    const evicted = await this.evictBeyondLimit(tx, data.userId);
    const { sess, expire } = sessionRow({ ...data, cookie: {} } as StoredSession, this.config.session.idleTimeout);
    await tx.$executeRaw`INSERT INTO session (sid, sess, expire) VALUES (${hashSessionId(id)}, ${sess}::json, ${expire})`;
    return evicted;
  }

  /** A restored device's new session replaces its earlier one; the series goes on. */
  async endSeriesSessions(tx: Prisma.TransactionClient, seriesId: string): Promise<void> {
    await this.endWhere(tx, 'revoked', Prisma.sql`remember_series_id = ${seriesId}::uuid`, { endSeries: false });
  }

  /**
   * Signs this device out: its session and remember-me series end, and both cookies are expired
   * with their own flags [L-LOGOUT, C-CLEAR, R-LIFE]. No Clear-Site-Data: it would also wipe the
   * device cookie that keeps the owner's own browser out of an account lockout [A-BRUTE].
   */
  async endThisDevice(req: Request, res: Response, reason: SessionEndReason): Promise<void> {
    await this.endCurrent(req, reason);
    this.forgetThisDevice(req, res);
  }

  /** The request goes on with no session, and the browser is told to drop both cookies [C-CLEAR]. */
  forgetThisDevice(req: Request, res: Response): void {
    detachSession(req);
    clearCookie(res, SESSION_COOKIE);
    clearRememberCookie(res);
  }

  /**
   * Ends this request's session (and its remember-me series, unless a timeout ended it); its next
   * request, or a replay of its cookie, is told why [L-LOGOUT]. The request goes on with no session.
   */
  async endCurrent(req: Request, reason: SessionEndReason): Promise<void> {
    const sid = hashSessionId(req.sessionID);
    const userId = req.session.userId;
    // A timeout ends the session but not the device's remember-me series: that is what it is for.
    const endSeries = reason !== 'idle_timeout' && reason !== 'absolute_timeout';
    await this.prisma.$transaction(async (tx) => {
      if (userId) await this.lockUser(tx, userId);
      // A step-up of this browser may have moved the session while this request was in flight.
      await this.endWhere(tx, reason, rowNamedBy(sid), { endSeries });
    });
    detachSession(req);
  }

  /**
   * Signs a user out everywhere: every session and remember-me series, except those of `except`
   * (the request's own device) when given [U-INVALIDATE, D-REVOKE, R-LIFE]. The session generation
   * goes up, so a sign-in that proved the password before this stores nothing after it [L-FINAL].
   * Atomic; pass `tx` to make it part of a larger transaction.
   */
  async endAllOf(
    userId: string,
    reason: SessionEndReason,
    { except, requestedBy, tx }: { except?: Request; requestedBy?: Request; tx?: Prisma.TransactionClient } = {},
  ): Promise<number> {
    const keepSession = except ? hashSessionId(except.sessionID) : '';
    const keepSeries = except?.session.rememberSeriesId ?? null;
    const work = async (db: Prisma.TransactionClient) => {
      await db.$executeRaw`UPDATE users SET session_generation = session_generation + 1 WHERE id = ${userId}::uuid`;
      const acting = except ?? requestedBy;
      if (acting) await this.assertStillSignedIn(db, acting);
      await this.endSeriesWhere(db, reason, Prisma.sql`user_id = ${userId}::uuid AND id IS DISTINCT FROM ${keepSeries}::uuid`);
      return this.endWhere(db, reason, Prisma.sql`user_id = ${userId}::uuid AND sid <> ${keepSession}`);
    };
    const ended = await (tx ? work(tx) : this.prisma.$transaction(work));
    // An admin ending all their own sessions ends this one too: the request goes on without it.
    if (!except && requestedBy?.session?.userId === userId) detachSession(requestedBy);
    return ended;
  }

  /**
   * Ends one of the user's own sessions, by its public id, with its remember-me series; or a
   * remembered device with no live session, by its series id. False for an id that is not this
   * user's, so ownership can't be probed.
   */
  async revoke(userId: string, publicId: string, req: Request, res: Response): Promise<boolean> {
    if (publicId === hashSessionId(req.sessionID)) {
      await this.endThisDevice(req, res, 'revoked');
      return true;
    }
    const seriesId = UUID.test(publicId) ? publicId : null;
    return this.prisma.$transaction(async (tx) => {
      await this.lockUser(tx, userId);
      await this.assertStillSignedIn(tx, req);
      const series = seriesId ? await this.endSeriesWhere(tx, 'revoked', Prisma.sql`id = ${seriesId}::uuid AND user_id = ${userId}::uuid`) : 0;
      const sessions = await this.endWhere(
        tx,
        'revoked',
        seriesId ? Prisma.sql`remember_series_id = ${seriesId}::uuid AND user_id = ${userId}::uuid` : Prisma.sql`${rowNamedBy(publicId)} AND user_id = ${userId}::uuid`,
      );
      return series + sessions > 0;
    });
  }

  /** Ends a remember-me series and its sessions, inside a transaction that holds the user's lock. */
  async endSeries(tx: Prisma.TransactionClient, seriesId: string, reason: SessionEndReason): Promise<void> {
    await this.endSeriesWhere(tx, reason, Prisma.sql`id = ${seriesId}::uuid`);
    await this.endWhere(tx, reason, Prisma.sql`remember_series_id = ${seriesId}::uuid`, { endSeries: false });
  }

  /**
   * Continues the session under a new ID, in one statement, under the user's lock: there is no
   * moment without it, and no copy stays under the old ID [S-FIXATION]. `changes` are written with
   * it, and the old ID leaves a move so that an end racing this still finds the session [L-FINAL].
   * When the session has ended meanwhile nothing is written and the device is told why. False when
   * a parallel request of the same browser moved it first: this one was decided before that.
   */
  async rotateId(req: Request, changes: Partial<SessionData> = {}): Promise<boolean> {
    const data = { ...sessionDataOf(req), ...changes };
    const id = newSessionId();
    const [from, to] = [hashSessionId(req.sessionID), hashSessionId(id)];
    const { sess, expire } = sessionRow({ ...data, cookie: {} } as StoredSession, this.config.session.idleTimeout);
    const renamed = await this.prisma.$transaction(async (tx) => {
      await this.lockUser(tx, data.userId!);
      const [row] = await tx.$queryRaw<{ renamed: bigint }[]>`
        WITH renamed AS (
          UPDATE session SET sid = ${to}, sess = ${sess}::json, expire = ${expire}
          WHERE sid = ${from} AND expire > now() RETURNING sid
        ), earlier AS (
          UPDATE session_moves SET moved_to = ${to} WHERE moved_to = ${from} AND EXISTS (SELECT 1 FROM renamed)
        ), moved AS (
          INSERT INTO session_moves (sid, moved_to, expires_at)
          SELECT ${from}, sid, now() + make_interval(secs => ${MOVE_KEPT_SECONDS}) FROM renamed
        )
        SELECT count(*) AS renamed FROM renamed`;
      return row?.renamed === 1n;
    });
    if (!renamed) {
      const reason = await this.endReasonOf(req.sessionID);
      if (reason) throw new AppError('UNAUTHENTICATED', { reason });
      return false;
    }
    adoptSession(req, id, data);
    return true;
  }

  /**
   * Ends a critical action's transaction: the acting session must still exist, or the action rolls
   * back and the device is told why. The row is share-locked, so an end that comes later waits for
   * the action, and one that came first has already removed it: a session revoked while its
   * password change was in flight changes nothing [L-FINAL].
   */
  async assertStillSignedIn(tx: Prisma.TransactionClient, req: Request): Promise<void> {
    const [alive] = await tx.$queryRaw<unknown[]>`SELECT 1 FROM session WHERE sid = ${hashSessionId(req.sessionID)} FOR SHARE`;
    if (!alive) throw new AppError('UNAUTHENTICATED', { reason: await this.endReasonOf(req.sessionID) });
  }

  /**
   * Deletes the matching sessions, leaves a tombstone for each, and ends the remember-me series
   * they belonged to (a series is revoked with its session [R-LIFE]), in one statement.
   */
  private async endWhere(tx: Prisma.TransactionClient, reason: SessionEndReason, condition: Prisma.Sql, { endSeries = true } = {}): Promise<number> {
    const [row] = await tx.$queryRaw<{ count: bigint }[]>`
      WITH ended AS (
        DELETE FROM session WHERE ${condition} RETURNING sid, remember_series_id
      ), recorded AS (
        INSERT INTO session_tombstones (sid, reason, expires_at)
        SELECT sid, ${reason}::session_end_reason, ${this.tombstoneExpiry()} FROM ended
        ON CONFLICT (sid) DO UPDATE SET reason = EXCLUDED.reason
      ), series AS (
        UPDATE remember_tokens SET ended_at = now(), end_reason = ${reason}::session_end_reason
        WHERE ${endSeries} AND ended_at IS NULL AND id IN (SELECT remember_series_id FROM ended)
      )
      SELECT count(*) AS count FROM ended`;
    return Number(row?.count ?? 0);
  }

  private endSeriesWhere(tx: Prisma.TransactionClient, reason: SessionEndReason, condition: Prisma.Sql): Promise<number> {
    return tx.$executeRaw`
      UPDATE remember_tokens SET ended_at = now(), end_reason = ${reason}::session_end_reason
      WHERE ended_at IS NULL AND ${condition}`;
  }

  /** [D-LIMIT] Ends the least recently active sessions beyond the cap, leaving room for one more. */
  private async evictBeyondLimit(tx: Prisma.TransactionClient, userId: string): Promise<number> {
    return this.endWhere(
      tx,
      'evicted',
      Prisma.sql`sid IN (
        SELECT sid FROM session WHERE user_id = ${userId}::uuid AND expire > now()
        ORDER BY (sess->>'lastActiveAt')::bigint DESC
        OFFSET ${this.config.session.maxPerUser - 1})`,
    );
  }

  /**
   * Why the session this request presented is gone, if it ever existed: a tombstone, or a row
   * that has expired but was not yet pruned.
   */
  async endReasonFor(req: Request): Promise<SessionEndReason | undefined> {
    const id = presentedSessionId(req, this.config.sessionSecret);
    return id && id !== req.sessionID ? this.endReasonOf(id) : undefined;
  }

  private async endReasonOf(id: string): Promise<SessionEndReason | undefined> {
    const sid = hashSessionId(id);
    const tombstone = await this.prisma.sessionTombstone.findFirst({ where: { sid, expiresAt: { gt: new Date() } } });
    if (tombstone) return tombstone.reason;
    const expired = await this.prisma.session.findUnique({ where: { sid }, select: { sess: true } });
    if (!expired) return undefined;
    // The row is past its `expire`, so one of the timeouts ended it.
    return timedOutBy(expired.sess as SessionTimes, this.config.session.idleTimeout) ?? 'idle_timeout';
  }

  /** A tombstone outlives any session it could describe: it lasts one absolute timeout from the end. */
  tombstoneExpiry(from = Date.now()): Date {
    return new Date(from + this.config.session.absoluteTimeout * 1000);
  }
}
