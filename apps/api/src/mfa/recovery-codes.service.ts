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
