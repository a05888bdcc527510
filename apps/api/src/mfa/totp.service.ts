import { Inject, Injectable } from '@nestjs/common';
import { Secret, TOTP } from 'otpauth';
import { AppError } from '../common/errors/error-codes.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { PRODUCT_NAME } from '../mail/templates/layout.js';
import type { PublicUser } from '../users/public-user.js';
import { MfaKeys } from './mfa-keys.js';

/** RFC 6238 as every authenticator app reads it: SHA-1, 6 digits, 30 s; a step either side is accepted. */
const PERIOD = 30;
const totpOf = (secret: Secret, label = '') => new TOTP({ issuer: PRODUCT_NAME, label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret });

/** Authenticator-app codes [M-TOTP]: enrolment, confirmation by a first code, and single use of each code. */
@Injectable()
export class TotpService {
  readonly keys: MfaKeys;

  constructor(
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.keys = new MfaKeys(config.mfa.encryptionKey);
  }

  /** A new secret, stored sealed and not yet on; an earlier unconfirmed one is replaced. */
  async startEnrolment(user: PublicUser): Promise<{ secret: string; otpauthUrl: string }> {
    const secret = new Secret({ size: 20 });
    const secretEncrypted = this.keys.seal(secret.base32, user.id);
    const stored = await this.prisma.$executeRaw`
      INSERT INTO totp_factors (user_id, secret_encrypted) VALUES (${user.id}::uuid, ${secretEncrypted})
      ON CONFLICT (user_id) DO UPDATE SET secret_encrypted = EXCLUDED.secret_encrypted, last_used_step = NULL, created_at = now()
      WHERE totp_factors.confirmed_at IS NULL`;
    if (stored === 0) throw new AppError('MFA_ALREADY_ENABLED');
    return { secret: secret.base32, otpauthUrl: totpOf(secret, user.email).toString() };
  }

  /** Turns the factor on with its first code, inside the caller's transaction. False for a wrong code. */
  confirm(tx: Prisma.TransactionClient, userId: string, code: string): Promise<boolean> {
    return this.useCode(tx, userId, code, { confirming: true });
  }

  /**
   * Accepts a code of the user's factor once: the accepted time step is stored, and a code of that
   * step or an earlier one is refused, so a code seen over a shoulder or phished is spent. The row
   * is locked, so parallel submits of one code get one success.
   */
  verify(tx: Prisma.TransactionClient, userId: string, code: string): Promise<boolean> {
    return this.useCode(tx, userId, code, { confirming: false });
  }

  private async useCode(tx: Prisma.TransactionClient, userId: string, code: string, { confirming }: { confirming: boolean }): Promise<boolean> {
    const [factor] = await tx.$queryRaw<{ secretEncrypted: string; lastUsedStep: bigint | null }[]>`
      SELECT secret_encrypted AS "secretEncrypted", last_used_step AS "lastUsedStep" FROM totp_factors
      WHERE user_id = ${userId}::uuid AND (confirmed_at IS NULL) = ${confirming} FOR UPDATE`;
    if (!factor) return false;
    const now = Date.now();
    const delta = totpOf(Secret.fromBase32(this.keys.open(factor.secretEncrypted, userId))).validate({ token: code, timestamp: now, window: 1 });
    if (delta === null) return false;
    const step = BigInt(Math.floor(now / 1000 / PERIOD) + delta);
    if (factor.lastUsedStep !== null && step <= factor.lastUsedStep) return false;
    await tx.$executeRaw`
      UPDATE totp_factors SET last_used_step = ${step}, confirmed_at = COALESCE(confirmed_at, now()) WHERE user_id = ${userId}::uuid`;
    return true;
  }

  async isOn(userId: string): Promise<boolean> {
    return (await this.prisma.totpFactor.count({ where: { userId, confirmedAt: { not: null } } })) > 0;
  }
}
