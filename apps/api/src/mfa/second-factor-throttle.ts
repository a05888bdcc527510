import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import type { ClientContext } from '../common/client-context.js';
import { throttleKeyOf } from '../common/client-ip.js';
import { refuseWhenSpent } from '../common/rate-limit.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { PrismaService } from '../prisma/prisma.service.js';

export interface FactorAttempt {
  userId: string;
  ipKey: string;
}

/**
 * [A-BRUTE, A-RACE] Second-factor codes are counted per account, like passwords, and on the same
 * per-IP counter as sign-ins. The account's counter is its own: a right password resets the
 * password counter, and must not buy a million guesses at six digits. Each attempt takes its point
 * before the code is checked, so parallel guesses get at most the limit checked.
 */
@Injectable()
export class SecondFactorThrottle {
  private readonly perAccount: RateLimiterPostgres;
  private readonly perIp: RateLimiterPostgres;

  constructor(prisma: PrismaService, @Inject(APP_CONFIG) private readonly config: AppConfig) {
    const { maxFailuresPerAccount, maxFailuresPerIp, window } = config.loginThrottle;
    const store = { storeClient: prisma.pool, storeType: 'pool', tableName: 'login_throttle', tableCreated: true, duration: window };
    this.perAccount = new RateLimiterPostgres({ ...store, keyPrefix: 'factor', points: maxFailuresPerAccount });
    // The same keys as the sign-in throttle's: one budget of failures per address.
    this.perIp = new RateLimiterPostgres({ ...store, keyPrefix: 'ip', points: maxFailuresPerIp });
  }

  async begin(userId: string, client: ClientContext): Promise<FactorAttempt> {
    const ipKey = throttleKeyOf(client.ip, this.config.anonymousLimits.ipv6Prefix);
    await refuseWhenSpent(this.perIp.consume(ipKey));
    await refuseWhenSpent(this.perAccount.consume(userId));
    return { userId, ipKey };
  }

  async succeeded(attempt: FactorAttempt): Promise<void> {
    await Promise.all([this.perIp.reward(attempt.ipKey, 1), this.perAccount.delete(attempt.userId)]);
  }
}
