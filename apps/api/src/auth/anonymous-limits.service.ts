import { Inject, Injectable } from '@nestjs/common';
import ipaddr from 'ipaddr.js';
import { RateLimiterMemory, RateLimiterPostgres } from 'rate-limiter-flexible';
import { throttleKeyOf } from '../common/client-ip.js';
import { refuseWhenSpent } from '../common/rate-limit.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { PrismaService } from '../prisma/prisma.service.js';

/**
 * [A-ANON] Limits on what anonymous clients may do, per IP (IPv6 by its /64). Each request takes
 * its point atomically before any work, so parallel requests cannot overshoot [A-RACE].
 * - Token requests are counted in memory: storing a row per anonymous visitor is what this stops.
 * - Passkey challenges likewise, on counters of their own: each stores a short-lived row, so they
 *   are counted per address and per network (/24, /48), as sign-ups are.
 * - Sign-ups are counted in PostgreSQL, shared by every instance, per address and per network
 *   (/24, /48): each costs an argon2 hash and a row, and EMAIL_TAKEN is an oracle for which
 *   addresses have accounts, so probing through sign-up must cost as much as through sign-in.
 */
@Injectable()
export class AnonymousLimits {
  private readonly tokens: RateLimiterMemory;
  private readonly passkeyChallenges: RateLimiterMemory;
  private readonly passkeyChallengesPerNetwork: RateLimiterMemory;
  private readonly signUpsPerAddress: RateLimiterPostgres;
  private readonly signUpsPerNetwork: RateLimiterPostgres;

  constructor(prisma: PrismaService, @Inject(APP_CONFIG) private readonly config: AppConfig) {
    const { requestsPerIpPerMinute, signUpsPerIp, signUpWindow } = config.anonymousLimits;
    this.tokens = new RateLimiterMemory({ keyPrefix: 'anonymous', points: requestsPerIpPerMinute, duration: 60 });
    this.passkeyChallenges = new RateLimiterMemory({ keyPrefix: 'passkey-challenge', points: requestsPerIpPerMinute, duration: 60 });
    this.passkeyChallengesPerNetwork = new RateLimiterMemory({ keyPrefix: 'passkey-challenge-net', points: requestsPerIpPerMinute * 3, duration: 60 });
    const store = { storeClient: prisma.pool, storeType: 'pool', tableName: 'login_throttle', tableCreated: true, duration: signUpWindow };
    this.signUpsPerAddress = new RateLimiterPostgres({ ...store, keyPrefix: 'signup', points: signUpsPerIp });
    this.signUpsPerNetwork = new RateLimiterPostgres({ ...store, keyPrefix: 'signup-net', points: signUpsPerIp * 3 });
  }

  async token(ip: string): Promise<void> {
    await refuseWhenSpent(this.tokens.consume(this.addressKey(ip)));
  }

  /**
   * Attack stopped: filling passkey_challenges from one IPv6 /48 (65,536 /64s, each with a full
   * per-address budget) or one IPv4 /24. Every challenge is a row; the network cap bounds them.
   * The network's point is taken only once the address's was granted, so a single address
   * hammering past its own limit cannot spend its neighbours' budget.
   */
  async passkeyChallenge(ip: string): Promise<void> {
    await refuseWhenSpent(this.passkeyChallenges.consume(this.addressKey(ip)));
    await refuseWhenSpent(this.passkeyChallengesPerNetwork.consume(networkKeyOf(ip)));
  }

  async signUp(ip: string): Promise<void> {
    await Promise.all([
      refuseWhenSpent(this.signUpsPerAddress.consume(this.addressKey(ip))),
      refuseWhenSpent(this.signUpsPerNetwork.consume(networkKeyOf(ip))),
    ]);
  }

  private addressKey(ip: string): string {
    return throttleKeyOf(ip, this.config.anonymousLimits.ipv6Prefix);
  }
}

/** A /24 for IPv4, a /48 for IPv6: one subscriber's or one small provider's block. */
function networkKeyOf(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const address = ipaddr.process(ip);
  return address.kind() === 'ipv4' ? `${address.toByteArray().slice(0, 3).join('.')}.0/24` : throttleKeyOf(ip, 48);
}
