import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import type { ClientContext } from '../common/client-context.js';
import { throttleKeyOf } from '../common/client-ip.js';
import { refuseWhenSpent } from '../common/rate-limit.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { normalizeEmail } from '../users/public-user.js';
import { DeviceCookies, type DeviceOwner } from './device-cookie.js';

/** One sign-in attempt's claim on the counters, returned once the password is known to be right. */
export interface Attempt {
  accountKey: string;
  ipKey: string;
  /** Set when the browser is a known device of the account: it is counted on its own [A-BRUTE]. */
  device?: string;
}

/**
 * [A-BRUTE, A-RACE] Sign-in attempts are counted per account and per IP (IPv6 by its /64) in
 * PostgreSQL, so every instance shares the counters. Each attempt takes its point atomically
 * BEFORE the password is checked: 30 parallel guesses get at most the limit checked, never a
 * check-then-act race. A known device (device cookie) is counted on its own instead of on the
 * account, so the owner still gets in while the account is under attack. The account key is a
 * hash: people type passwords into the email field.
 */
@Injectable()
export class LoginThrottle {
  private readonly perAccount: RateLimiterPostgres;
  private readonly perDevice: RateLimiterPostgres;
  private readonly perIp: RateLimiterPostgres;
  readonly devices: DeviceCookies;

  constructor(
    private readonly prisma: PrismaService,
    private readonly events: SecurityEventsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const { maxFailuresPerAccount, maxFailuresPerIp, window } = config.loginThrottle;
    const store = { storeClient: prisma.pool, storeType: 'pool', tableName: 'login_throttle', tableCreated: true, duration: window };
    this.perAccount = new RateLimiterPostgres({ ...store, keyPrefix: 'account', points: maxFailuresPerAccount });
    this.perDevice = new RateLimiterPostgres({ ...store, keyPrefix: 'device', points: maxFailuresPerAccount });
    this.perIp = new RateLimiterPostgres({ ...store, keyPrefix: 'ip', points: maxFailuresPerIp });
    this.devices = new DeviceCookies(config.sessionSecret);
  }

  /**
   * Takes this attempt's points, for existing and unknown emails alike; 429 when any counter is
   * spent. The address is counted first, and the account (or device) only when the address may
   * still try, so a refused flood stores no row per guessed email [A-ANON]. `presentedDevice` is
   * the browser's device cookie, if it sent one.
   */
  async begin(email: string, client: ClientContext, account: DeviceOwner | null, presentedDevice?: string): Promise<Attempt> {
    const accountKey = accountKeyOf(email);
    const ipKey = throttleKeyOf(client.ip, this.config.anonymousLimits.ipv6Prefix);
    const device = account ? this.devices.trustedDevice(presentedDevice, account) : undefined;
    await refuseWhenSpent(this.perIp.consume(ipKey));
    if (device) {
      await refuseWhenSpent(this.perDevice.consume(device));
    } else {
      await refuseWhenSpent(this.perAccount.consume(accountKey), (refusal) => {
        if (refusal.consumedPoints === this.perAccount.points + 1) this.recordLimited(email, client);
      });
    }
    return { accountKey, ipKey, device };
  }

  /** The first refusal of a burst goes on the account's timeline and the admins' feed; never waited for. */
  private recordLimited(email: string, client: ClientContext): void {
    void this.prisma.user
      .findUnique({ where: { email: normalizeEmail(email) }, select: { id: true } })
      .then((user) => user && this.events.recordInBackground('sign_in_throttled', user.id, client))
      .catch(() => undefined);
  }

  /**
   * A correct password gives the attempt's points back and clears the account's (or device's)
   * count; the IP keeps its failures, so one account cannot launder a spraying IP.
   */
  async succeeded(attempt: Attempt): Promise<void> {
    await Promise.all([
      this.perIp.reward(attempt.ipKey, 1),
      attempt.device ? this.perDevice.delete(attempt.device) : this.perAccount.delete(attempt.accountKey),
    ]);
  }

  /** Whether guesses from unknown clients have spent the account's counter. */
  async accountLimited(accountKey: string): Promise<boolean> {
    const counter = await this.perAccount.get(accountKey);
    return counter !== null && counter.consumedPoints >= this.perAccount.points;
  }
}
export const accountKeyOf = (email: string) => createHash('sha256').update(normalizeEmail(email)).digest('hex');
