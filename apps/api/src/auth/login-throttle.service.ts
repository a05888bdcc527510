import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterPostgres, type RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../common/errors/error-codes.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { normalizeEmail } from '../users/public-user.js';

/**
 * [A-BRUTE] Failed sign-ins are counted per account and per IP in PostgreSQL, so every instance
 * shares the counters. The account key is a hash: people type passwords into the email field.
 */
@Injectable()
export class LoginThrottle {
  private readonly perAccount: RateLimiterPostgres;
  private readonly perIp: RateLimiterPostgres;

  constructor(prisma: PrismaService, @Inject(APP_CONFIG) config: AppConfig) {
    const { maxFailuresPerAccount, maxFailuresPerIp, window } = config.loginThrottle;
    const store = { storeClient: prisma.pool, storeType: 'pool', tableName: 'login_throttle', tableCreated: true, duration: window };
    this.perAccount = new RateLimiterPostgres({ ...store, keyPrefix: 'account', points: maxFailuresPerAccount });
    this.perIp = new RateLimiterPostgres({ ...store, keyPrefix: 'ip', points: maxFailuresPerIp });
  }

  /** Refuses before the password is checked, for existing and unknown emails alike. */
  async assertAllowed(email: string, ip: string): Promise<void> {
    const [account, address] = await Promise.all([this.perAccount.get(accountKey(email)), this.perIp.get(ip)]);
    if (overLimit(account, this.perAccount.points) || overLimit(address, this.perIp.points)) throw new AppError('TOO_MANY_REQUESTS');
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    await Promise.all([this.perAccount.penalty(accountKey(email), 1), this.perIp.penalty(ip, 1)]);
  }

  /** A correct password clears the account's count; the IP's stays, so one account cannot launder a spraying IP. */
  async recordSuccess(email: string): Promise<void> {
    await this.perAccount.delete(accountKey(email));
  }
}

const overLimit = (counter: RateLimiterRes | null, points: number) => counter !== null && counter.consumedPoints >= points;
const accountKey = (email: string) => createHash('sha256').update(normalizeEmail(email)).digest('hex');
