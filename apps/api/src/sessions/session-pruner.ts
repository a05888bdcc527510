import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../common/logger.js';
import { PrismaService } from '../prisma/prisma.service.js';
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

  async prune(): Promise<{ sessions: number; tombstones: number; rememberTokens: number }> {
    const now = Date.now();
    const [expired] = await this.prisma.$queryRaw<{ count: bigint }[]>`
      WITH expired AS (
        DELETE FROM session WHERE expire < to_timestamp(${now / 1000}) RETURNING sid, sess
      ), recorded AS (
        INSERT INTO session_tombstones (sid, reason, expires_at)
        SELECT sid,
               CASE WHEN (sess->>'absoluteExpiresAt')::bigint <= ${now} THEN 'absolute_timeout' ELSE 'idle_timeout' END::session_end_reason,
               ${this.sessions.tombstoneExpiry(now)}
        FROM expired WHERE sess->>'userId' IS NOT NULL
        ON CONFLICT (sid) DO NOTHING
      )
      SELECT count(*) AS count FROM expired`;
    const tombstones = await this.prisma.sessionTombstone.deleteMany({ where: { expiresAt: { lt: new Date(now) } } });
    const rememberTokens = await this.prisma.rememberToken.deleteMany({ where: { expiresAt: { lt: new Date(now) } } });
    const result = { sessions: Number(expired?.count ?? 0), tombstones: tombstones.count, rememberTokens: rememberTokens.count };
    if (result.sessions + result.tombstones + result.rememberTokens > 0) this.logger.info(result, 'pruned expired sessions');
    return result;
  }
}
