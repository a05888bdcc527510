import { Inject, Injectable } from '@nestjs/common';
import type { SessionData } from 'express-session';
import { AppError, type SessionEndReason } from '../common/errors/error-codes.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma/prisma.service.js';
import type { PublicUser } from '../users/public-user.js';
import { sessionRow, type StoredSession } from './hashed-session-store.js';
import { notifyDevices, notifyEnded } from './live-events.js';
import { hashSessionId, type NewSession, type SessionTimes, type SignedInSession, timedOutBy } from './session-data.js';
import { newSessionId } from './session-lifecycle.js';

/** How long a rotated-away ID still leads an end to its session (a devices page may be that old). */
const MOVE_KEPT_SECONDS = 600;
/** The session an ID names: its own row, or the row it was rotated into while the request was in flight. */
const rowNamedBy = (sid: string) => Prisma.sql`(sid = ${sid} OR sid IN (SELECT moved_to FROM session_moves WHERE sid = ${sid}))`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export type LockedUser = PublicUser & { sessionGeneration: number };
/** What an end ended: sessions, and remember-me series (devices) with or without a live session. */
export type Ended = { sessions: number; series: number };

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
      SELECT id, email, name, role, email_verified AS "emailVerified", session_generation AS "sessionGeneration" FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
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
    // [D-LIVE] The user's open devices pages learn of the new device after the commit.
    await tx.$queryRaw`SELECT ${notifyDevices(Prisma.sql`(SELECT ${data.userId}::uuid AS user_id) AS added`)} AS notified`;
    return evicted;
  }

  /** A restored device's new session replaces its earlier one; the series goes on. */
  async endSeriesSessions(tx: Prisma.TransactionClient, seriesId: string): Promise<void> {
    await this.endWhere(tx, 'revoked', Prisma.sql`remember_series_id = ${seriesId}::uuid`, { endSeries: false });
  }

  /**
   * Ends one session of the user, by its public id (the stored hash), with its remember-me series
   * unless a timeout ended it; the device's next request, or a replay of its cookie, is told why
   * [L-LOGOUT]. Needs no request: an emailed "this wasn't me" link can call it. Nothing is ended
   * for a session that is not this user's.
   */
  async endSession(userId: string, sid: string, reason: SessionEndReason, { tx }: { tx?: Prisma.TransactionClient } = {}): Promise<Ended> {
    // A timeout ends the session but not the device's remember-me series: that is what it is for.
    const endSeries = reason !== 'idle_timeout' && reason !== 'absolute_timeout';
    const work = async (db: Prisma.TransactionClient) => {
      await this.lockUser(db, userId);
      // A step-up of this browser may have moved the session while this request was in flight.
      return this.endWhere(db, reason, Prisma.sql`${rowNamedBy(sid)} AND user_id = ${userId}::uuid`, { endSeries });
    };
    return tx ? work(tx) : this.prisma.$transaction(work);
  }

  /**
   * "Log out other devices": every session and remember-me series of the user but the session
   * `keepSid` and its own series [D-REVOKE, U-INVALIDATE, R-LIFE]. The kept session must still
   * exist: one that ended meanwhile keeps nothing alive and the call fails [L-FINAL].
   */
  endAllBut(userId: string, keepSid: string, reason: SessionEndReason, { tx }: { tx?: Prisma.TransactionClient } = {}): Promise<Ended> {
    return this.endAll(userId, reason, { keepSid, tx });
  }

  /**
   * Signs a user out everywhere: every session and remember-me series [U-INVALIDATE, R-LIFE].
   * `actingSid`, an admin's own session, must still exist, or nothing ends.
   */
  endEverything(userId: string, reason: SessionEndReason, { actingSid, tx }: { actingSid?: string; tx?: Prisma.TransactionClient } = {}): Promise<Ended> {
    return this.endAll(userId, reason, { actingSid, tx });
  }

  /**
   * The session generation goes up (and the UPDATE takes the user's row lock), so a sign-in that
   * proved the password before this stores nothing after it [L-FINAL]. Atomic; pass `tx` to make
   * it part of a larger transaction.
   */
  private async endAll(
    userId: string,
    reason: SessionEndReason,
    { keepSid, actingSid, tx }: { keepSid?: string; actingSid?: string; tx?: Prisma.TransactionClient },
  ): Promise<Ended> {
    const work = async (db: Prisma.TransactionClient) => {
      await db.$executeRaw`UPDATE users SET session_generation = session_generation + 1 WHERE id = ${userId}::uuid`;
      const acting = keepSid ?? actingSid;
      const kept = acting ? await this.assertStillSignedIn(db, acting) : undefined;
      const keepSeries = keepSid ? (kept?.rememberSeriesId ?? null) : null;
      const series = await this.endSeriesWhere(db, reason, Prisma.sql`user_id = ${userId}::uuid AND id IS DISTINCT FROM ${keepSeries}::uuid`);
      const ended = await this.endWhere(db, reason, Prisma.sql`user_id = ${userId}::uuid AND sid <> ${keepSid ?? ''}`);
      return { sessions: ended.sessions, series: series + ended.series };
    };
    return tx ? work(tx) : this.prisma.$transaction(work);
  }

  /**
   * Ends one of the user's own sessions, by its public id, with its remember-me series; or a
   * remembered device with no live session, by its series id. False for an id that is not this
   * user's, so ownership can't be probed. `actingSid` is the session asking; it may name itself,
   * also under an ID it had before a step-up or role change moved it, or through its own series:
   * `endedActing` then tells the edge to sign this device out too, with no new cookie [L-FINAL].
   */
  async revoke(
    userId: string,
    publicId: string,
    actingSid: string,
    options: { tx?: Prisma.TransactionClient } = {},
  ): Promise<{ ended: boolean; endedActing: boolean }> {
    if (publicId === actingSid) {
      await this.endSession(userId, actingSid, 'revoked', options);
      return { ended: true, endedActing: true };
    }
    const seriesId = UUID.test(publicId) ? publicId : null;
    const work = async (tx: Prisma.TransactionClient) => {
      await this.lockUser(tx, userId);
      await this.assertStillSignedIn(tx, actingSid);
      const series = seriesId ? await this.endSeriesWhere(tx, 'revoked', Prisma.sql`id = ${seriesId}::uuid AND user_id = ${userId}::uuid`) : 0;
      const ended = await this.endWhere(
        tx,
        'revoked',
        seriesId ? Prisma.sql`remember_series_id = ${seriesId}::uuid AND user_id = ${userId}::uuid` : Prisma.sql`${rowNamedBy(publicId)} AND user_id = ${userId}::uuid`,
      );
      // The acting session was there a moment ago, under this lock: gone now, this revoke ended it.
      const acting = await tx.$queryRaw<unknown[]>`SELECT 1 FROM session WHERE sid = ${actingSid}`;
      return { ended: series + ended.sessions > 0, endedActing: acting.length === 0 };
    };
    return options.tx ? work(options.tx) : this.prisma.$transaction(work);
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
   * When the session has ended meanwhile nothing is written and the device is told why. Null when
   * a parallel request of the same browser moved it first: this one was decided before that.
   * The edge adopts the returned session into the request. Pass `tx` to commit the move with the
   * change it is part of (a step-up and its event).
   */
  async rotateId(session: SignedInSession, changes: Partial<SessionData> = {}, { tx }: { tx?: Prisma.TransactionClient } = {}): Promise<NewSession | null> {
    const data = { ...session.data, ...changes } as SessionData;
    const id = newSessionId();
    const [from, to] = [session.sid, hashSessionId(id)];
    const { sess, expire } = sessionRow({ ...data, cookie: {} } as StoredSession, this.config.session.idleTimeout);
    const work = async (tx: Prisma.TransactionClient) => {
      await this.lockUser(tx, data.userId);
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
    };
    const renamed = await (tx ? work(tx) : this.prisma.$transaction(work));
    if (!renamed) {
      const reason = await this.endReasonOf(from);
      if (reason) throw new AppError('UNAUTHENTICATED', { reason });
      return null;
    }
    return { id, data };
  }

  /**
   * Ends a critical action's transaction: the acting session must still exist, or the action rolls
   * back and the device is told why. The row is share-locked, so an end that comes later waits for
   * the action, and one that came first has already removed it: a session revoked while its
   * password change was in flight changes nothing [L-FINAL].
   */
  async assertStillSignedIn(tx: Prisma.TransactionClient, sid: string): Promise<{ rememberSeriesId: string | null }> {
    const [alive] = await tx.$queryRaw<{ rememberSeriesId: string | null }[]>`
      SELECT remember_series_id AS "rememberSeriesId" FROM session WHERE sid = ${sid} FOR SHARE`;
    if (!alive) throw new AppError('UNAUTHENTICATED', { reason: await this.endReasonOf(sid) });
    return alive;
  }

  /**
   * Deletes the matching sessions, leaves a tombstone for each, and ends the remember-me series
   * they belonged to (a series is revoked with its session [R-LIFE]), in one statement. Each end is
   * published to the open live streams in the same statement [D-LIVE].
   */
  private async endWhere(tx: Prisma.TransactionClient, reason: SessionEndReason, condition: Prisma.Sql, { endSeries = true } = {}): Promise<Ended> {
    const [row] = await tx.$queryRaw<{ sessions: bigint; series: bigint }[]>`
      WITH ended AS (
        DELETE FROM session WHERE ${condition} RETURNING sid, remember_series_id, user_id
      ), recorded AS (
        INSERT INTO session_tombstones (sid, reason, expires_at)
        SELECT sid, ${reason}::session_end_reason, ${this.tombstoneExpiry()} FROM ended
        ON CONFLICT (sid) DO UPDATE SET reason = EXCLUDED.reason
      ), series AS (
        UPDATE remember_tokens SET ended_at = now(), end_reason = ${reason}::session_end_reason
        WHERE ${endSeries} AND ended_at IS NULL AND id IN (SELECT remember_series_id FROM ended)
        RETURNING id
      )
      SELECT (SELECT count(*) FROM ended) AS sessions, (SELECT count(*) FROM series) AS series, ${notifyEnded(Prisma.sql`ended`, reason)} AS notified`;
    return { sessions: Number(row?.sessions ?? 0), series: Number(row?.series ?? 0) };
  }

  /** Ends remember-me series; a remembered device leaves the user's list, so their devices pages hear of it [D-LIVE]. */
  private async endSeriesWhere(tx: Prisma.TransactionClient, reason: SessionEndReason, condition: Prisma.Sql): Promise<number> {
    const [row] = await tx.$queryRaw<{ series: bigint }[]>`
      WITH series AS (
        UPDATE remember_tokens SET ended_at = now(), end_reason = ${reason}::session_end_reason
        WHERE ended_at IS NULL AND ${condition} RETURNING user_id
      )
      SELECT (SELECT count(*) FROM series) AS series, ${notifyDevices(Prisma.sql`series`)} AS notified`;
    return Number(row?.series ?? 0);
  }

  /** [D-LIMIT] Ends the least recently active sessions beyond the cap, leaving room for one more. */
  private async evictBeyondLimit(tx: Prisma.TransactionClient, userId: string): Promise<number> {
    const { sessions } = await this.endWhere(
      tx,
      'evicted',
      Prisma.sql`sid IN (
        SELECT sid FROM session WHERE user_id = ${userId}::uuid AND expire > now()
        ORDER BY (sess->>'lastActiveAt')::bigint DESC
        OFFSET ${this.config.session.maxPerUser - 1})`,
    );
    return sessions;
  }

  /**
   * Why a session is gone, by its stored hash, if it ever existed: a tombstone, or a row that has
   * expired but was not yet pruned.
   */
  async endReasonOf(sid: string): Promise<SessionEndReason | undefined> {
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
