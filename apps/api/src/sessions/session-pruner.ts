import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../common/logger.js';
import { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { notifyEnded } from './live-events.js';
import { SessionsService } from './sessions.service.js';

export const PRUNE_INTERVAL_MS = 60_000;

/**
 * [L-PRUNE] A scheduled job, not chance, removes expired sessions, tombstones and remember-me
 * tokens. An expired session leaves a tombstone saying whether idle or absolute timeout ended it.
 * Safe to run on every instance at once: each row is deleted exactly once.
 */
@Injectable()
export class SessionPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly prisma: PrismaService,
    private readonly sessions: SessionsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.prune().catch((err: unknown) => this.logger.warn({ err }, 'pruning failed')), PRUNE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /**
   * Deletes in batches of PRUNE_BATCH rows, each batch its own statement, so a large backlog never
   * holds one long transaction or a lock on the whole table.
   */
  async prune(): Promise<{ sessions: number; tombstones: number; moves: number; pendingSignIns: number; passkeyChallenges: number; rememberTokens: number; emailTokens: number }> {
    const now = Date.now();
    const result = {
      sessions: await inBatches(() => this.pruneSessions(now)),
      tombstones: await this.pruneExpired('session_tombstones', 'sid', now),
      moves: await this.pruneExpired('session_moves', 'sid', now),
      // A password sign-in still owing its second factor dies after five minutes [M-SIGNIN].
      pendingSignIns: await this.pruneExpired('pending_sign_ins', 'id_hash', now),
      // WebAuthn challenges never answered: each was good for three minutes [M-PASSKEY, A-ANON].
      passkeyChallenges: await this.pruneExpired('passkey_challenges', 'challenge', now),
      // An ended series is kept until it would have expired, so that a replay learns why.
      rememberTokens: await this.pruneExpired('remember_tokens', 'id', now),
      // Emailed one-time links (reset, verify, "this wasn't me") past their end.
      emailTokens: await this.pruneExpired('email_tokens', 'id', now),
    };
    if (Object.values(result).some((count) => count > 0)) this.logger.info(result, 'pruned expired sessions');
    return result;
  }

  /** Rows of `table` past their `expires_at`, by their key column; both names are this file's constants, never input. */
  private pruneExpired(table: string, key: string, now: number): Promise<number> {
    const [from, id] = [Prisma.raw(`"${table}"`), Prisma.raw(`"${key}"`)];
    return inBatches(
      () => this.prisma.$executeRaw`DELETE FROM ${from} WHERE ${id} IN (
        SELECT ${id} FROM ${from} WHERE expires_at < to_timestamp(${now / 1000}) LIMIT ${PRUNE_BATCH})`,
    );
  }

  /** An expired session leaves a tombstone saying whether idle or absolute timeout ended it. */
  private async pruneSessions(now: number): Promise<number> {
    const [expired] = await this.prisma.$queryRaw<{ count: bigint }[]>`
      WITH expired AS (
        DELETE FROM session WHERE sid IN (
          SELECT sid FROM session WHERE expire < to_timestamp(${now / 1000}) LIMIT ${PRUNE_BATCH}
        ) RETURNING sid, sess, user_id
      ), timed_out AS (
        SELECT sid, user_id,
               CASE WHEN (sess->>'absoluteExpiresAt')::bigint <= ${now} THEN 'absolute_timeout' ELSE 'idle_timeout' END::session_end_reason AS reason
        FROM expired WHERE sess->>'userId' IS NOT NULL
      ), recorded AS (
        INSERT INTO session_tombstones (sid, reason, expires_at)
        SELECT sid, reason, ${this.sessions.tombstoneExpiry(now)} FROM timed_out
        ON CONFLICT (sid) DO NOTHING
      )
      SELECT (SELECT count(*) FROM expired) AS count, ${notifyEnded(Prisma.sql`timed_out`)} AS notified`;
    return Number(expired?.count ?? 0);
  }
}

export const PRUNE_BATCH = 1000;

async function inBatches(deleteBatch: () => Promise<number>): Promise<number> {
  let total = 0;
  for (let deleted = PRUNE_BATCH; deleted === PRUNE_BATCH; total += deleted) deleted = await deleteBatch();
  return total;
}
