import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { newRecoveryCode } from './mfa-keys.js';
import { TotpService } from './totp.service.js';

export const RECOVERY_CODE_COUNT = 10;

/** Ten single-use codes for when the authenticator is lost [M-RECOVERY]; only keyed hashes are stored. */
@Injectable()
export class RecoveryCodesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly totp: TotpService,
  ) {}

  /** New codes, returned once to be shown once; the old ones are dead. Inside the caller's transaction. */
  async replace(tx: Prisma.TransactionClient, userId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await tx.recoveryCode.createMany({ data: codes.map((code) => ({ userId, codeHash: this.totp.keys.hashRecoveryCode(code) })) });
    return codes;
  }

  /**
   * Whether the user has a second factor the codes stand in for: the authenticator app (confirmed)
   * or a passkey. Recovery codes live exactly as long as one does.
   */
  async hasFactor(tx: Prisma.TransactionClient, userId: string): Promise<boolean> {
    const [totp, passkeys] = await Promise.all([
      tx.totpFactor.count({ where: { userId, confirmedAt: { not: null } } }),
      tx.passkey.count({ where: { userId } }),
    ]);
    return totp + passkeys > 0;
  }

  /** Ten codes for a user who has none at all (a first passkey): returned once, or null when the user already has codes. */
  async issueIfNone(tx: Prisma.TransactionClient, userId: string): Promise<string[] | null> {
    if ((await tx.recoveryCode.count({ where: { userId } })) > 0) return null;
    return this.replace(tx, userId);
  }

  /** Deletes the codes once the last second factor has gone (inside the factor change's transaction). */
  async deleteIfNoFactor(tx: Prisma.TransactionClient, userId: string): Promise<void> {
    if (!(await this.hasFactor(tx, userId))) await tx.recoveryCode.deleteMany({ where: { userId } });
  }

  /** Spends a code in one statement: of parallel uses of one code, one succeeds. */
  async use(tx: Prisma.TransactionClient, userId: string, code: string): Promise<boolean> {
    const used = await tx.$executeRaw`
      UPDATE recovery_codes SET used_at = now()
      WHERE user_id = ${userId}::uuid AND code_hash = ${this.totp.keys.hashRecoveryCode(code)} AND used_at IS NULL`;
    return used === 1;
  }

  remaining(userId: string): Promise<number> {
    return this.prisma.recoveryCode.count({ where: { userId, usedAt: null } });
  }
}
