import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { SessionEndReason } from '../common/errors/error-codes.js';
import type { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { hashSessionId } from './session-data.js';
import { destroySession, presentedSessionId } from './session-lifecycle.js';

export type Db = PrismaService | Prisma.TransactionClient;

/** Ending sessions, and remembering why, by hashed ID only. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Ends this request's session; its next request (or a replay of its cookie) is told why [L-LOGOUT]. */
  async endCurrent(req: Request, reason: SessionEndReason): Promise<void> {
    const sid = hashSessionId(req.sessionID);
    await destroySession(req);
    await this.prisma.sessionTombstone.upsert({
      where: { sid },
      create: { sid, reason, expiresAt: this.tombstoneExpiry() },
      update: { reason },
    });
  }

  /**
   * Ends every session of a user but `exceptSessionId`, in one statement, leaving tombstones.
   * Pass a transaction client to make it part of a larger change. Returns how many ended.
   */
  async endAllOf(userId: string, reason: SessionEndReason, exceptSessionId?: string, db: Db = this.prisma): Promise<number> {
    const except = exceptSessionId ? hashSessionId(exceptSessionId) : '';
    const ended = await db.$queryRaw<{ count: bigint }[]>`
      WITH ended AS (
        DELETE FROM session WHERE user_id = ${userId}::uuid AND sid <> ${except} RETURNING sid
      ), recorded AS (
        INSERT INTO session_tombstones (sid, reason, expires_at)
        SELECT sid, ${reason}::session_end_reason, ${this.tombstoneExpiry()} FROM ended
        ON CONFLICT (sid) DO UPDATE SET reason = EXCLUDED.reason
      )
      SELECT count(*) AS count FROM ended`;
    return Number(ended[0]?.count ?? 0);
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
    const absoluteExpiresAt = (expired?.sess as { absoluteExpiresAt?: number } | undefined)?.absoluteExpiresAt;
    if (!expired) return undefined;
    return absoluteExpiresAt !== undefined && absoluteExpiresAt <= Date.now() ? 'absolute_timeout' : 'idle_timeout';
  }

  /** A tombstone outlives any session it could describe: it lasts one absolute timeout from the end. */
  tombstoneExpiry(from = Date.now()): Date {
    return new Date(from + this.config.session.absoluteTimeout * 1000);
  }
}
