import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { ClientContext } from '../common/client-context.js';
import { AppError } from '../common/errors/error-codes.js';
import type { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { PUBLIC_USER_FIELDS, type PublicUser } from '../users/public-user.js';
import { newPendingToken, PENDING_TTL_SECONDS } from './pending-sign-in-cookie.js';
import { RecoveryCodesService } from './recovery-codes.service.js';
import { SecondFactorThrottle } from './second-factor-throttle.js';
import { TotpService } from './totp.service.js';

export type SecondFactorMethod = 'totp' | 'recovery_code';
/** What a pending sign-in may be completed with: a code, or a passkey (through the passkeys feature). */
export type PendingSignInMethod = SecondFactorMethod | 'passkey';
export interface SecondFactorProof {
  code?: string;
  recoveryCode?: string;
}
/** A pending sign-in completed: who, the session generation the password was proved against, and how. */
export interface CompletedSignIn {
  user: PublicUser;
  sessionGeneration: number;
  rememberMe: boolean;
  method: PendingSignInMethod;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const pendingExpired = () => new AppError('UNAUTHENTICATED', { message: 'The sign-in has expired. Enter your password again.' });

/**
 * [M-SIGNIN] A right password with a factor on is not a sign-in: it leaves a pending sign-in, a
 * row by the hash of a cookie's token that expires in five minutes, is no session, and holds the
 * session generation the password was proved against. A code completes it once.
 */
@Injectable()
export class SecondFactorService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly totp: TotpService,
    private readonly recoveryCodes: RecoveryCodesService,
    private readonly throttle: SecondFactorThrottle,
    private readonly events: SecurityEventsService,
  ) {}

  /**
   * The factors a sign-in of this user must give one of; none: the password is enough. A passkey
   * counts [M-PASSKEY]. A recovery code is offered with the app on, and for a passkey-only user
   * while any of their codes is left [M-RECOVERY].
   */
  async methodsOf(userId: string): Promise<PendingSignInMethod[]> {
    const [totp, passkeys, codesLeft] = await Promise.all([
      this.totp.isOn(userId),
      this.prisma.passkey.count({ where: { userId } }),
      this.recoveryCodes.remaining(userId),
    ]);
    if (!totp && passkeys === 0) return [];
    return [
      ...(passkeys > 0 ? (['passkey'] as const) : []),
      ...(totp ? (['totp'] as const) : []),
      ...(totp || codesLeft > 0 ? (['recovery_code'] as const) : []),
    ];
  }

  /** Stores the pending sign-in and returns the token for its cookie. */
  async startPending(userId: string, sessionGeneration: number, rememberMe: boolean): Promise<string> {
    const token = newPendingToken();
    await this.prisma.pendingSignIn.create({
      data: { idHash: hashToken(token), userId, sessionGeneration, rememberMe, expiresAt: new Date(Date.now() + PENDING_TTL_SECONDS * 1000) },
    });
    return token;
  }

  /**
   * Spends the pending sign-in and the code together, in one transaction: of parallel submits one
   * completes it, and a wrong code leaves it for another try (counted by the throttle).
   */
  async completePending(token: string | undefined, proof: SecondFactorProof, client: ClientContext): Promise<CompletedSignIn> {
    const pending = await this.pendingOf(token);
    return this.prove(pending.userId, proof, client, async (tx) => {
      const spent = await this.spendPending(tx, pending);
      return (method: SecondFactorMethod) => ({ ...spent, method });
    });
  }

  /**
   * Completes the pending sign-in with a passkey that `verify` checks. Attack stopped: guessing the
   * code while failing passkeys costs nothing. The attempt takes its point on the code's throttle
   * first, and a failure keeps it, so both count toward one limit of failed second factors [A-BRUTE].
   */
  async completePendingWithPasskey(pending: { idHash: string; userId: string }, client: ClientContext, verify: () => Promise<unknown>): Promise<CompletedSignIn> {
    const attempt = await this.throttle.begin(pending.userId, client);
    await verify().catch((error: unknown) => {
      // On the user's timeline like a wrong code: someone with the password is trying factors [A-EVENTS].
      if (error instanceof AppError && error.code === 'PASSKEY_INVALID') this.events.recordInBackground('mfa_failed', pending.userId, client, { method: 'passkey' });
      throw error;
    });
    const spent = await this.prisma.$transaction((tx) => this.spendPending(tx, pending));
    await this.throttle.succeeded(attempt);
    return { ...spent, method: 'passkey' };
  }

  /** The live pending sign-in a cookie's token names: its stored hash and whose it is. */
  async pendingOf(token: string | undefined): Promise<{ idHash: string; userId: string }> {
    const idHash = token ? hashToken(token) : undefined;
    const pending = idHash ? await this.prisma.pendingSignIn.findFirst({ where: { idHash, expiresAt: { gt: new Date() } }, select: { userId: true } }) : null;
    if (!idHash || !pending) throw pendingExpired();
    return { idHash, userId: pending.userId };
  }

  /** Deletes the pending sign-in as it reads it: of parallel completions, one gets it. */
  private async spendPending(tx: Prisma.TransactionClient, { idHash, userId }: { idHash: string; userId: string }): Promise<Omit<CompletedSignIn, 'method'>> {
    const [spent] = await tx.$queryRaw<{ sessionGeneration: number; rememberMe: boolean }[]>`
      DELETE FROM pending_sign_ins WHERE id_hash = ${idHash} AND expires_at > now()
      RETURNING session_generation AS "sessionGeneration", remember_me AS "rememberMe"`;
    if (!spent) throw pendingExpired();
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: PUBLIC_USER_FIELDS });
    return { user, ...spent };
  }

  /** Step-up by a code of the signed-in user [M-STEPUP]: the same checks, throttle and single use. */
  async verifyForStepUp(userId: string, proof: SecondFactorProof, client: ClientContext): Promise<SecondFactorMethod> {
    return this.prove(userId, proof, client, async () => (method: SecondFactorMethod) => method);
  }

  /**
   * Counts the attempt first [A-RACE], then checks the code inside one transaction with `claim`;
   * a wrong code rolls back the claim and records `mfa_failed`.
   */
  private async prove<T>(
    userId: string,
    proof: SecondFactorProof,
    client: ClientContext,
    claim: (tx: Prisma.TransactionClient) => Promise<(method: SecondFactorMethod) => T>,
  ): Promise<T> {
    const attempt = await this.throttle.begin(userId, client);
    const result = await this.prisma.$transaction(async (tx) => {
      const complete = await claim(tx);
      const method = await this.check(tx, userId, proof);
      if (!method) throw new AppError('INVALID_CODE');
      return { value: complete(method), method };
    }).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'INVALID_CODE') this.events.recordInBackground('mfa_failed', userId, client);
      throw error;
    });
    await this.throttle.succeeded(attempt);
    if (result.method === 'recovery_code') {
      await this.events.record('recovery_code_used', userId, client, { remaining: await this.recoveryCodes.remaining(userId) });
    }
    return result.value;
  }

  private async check(tx: Prisma.TransactionClient, userId: string, { code, recoveryCode }: SecondFactorProof): Promise<SecondFactorMethod | null> {
    if (code !== undefined) return (await this.totp.verify(tx, userId, code)) ? 'totp' : null;
    // A recovery code stands in for any factor (the app or a passkey), never for none [M-RECOVERY].
    if (recoveryCode !== undefined) {
      if (!(await this.recoveryCodes.hasFactor(tx, userId))) return null;
      return (await this.recoveryCodes.use(tx, userId, recoveryCode)) ? 'recovery_code' : null;
    }
    return null;
  }
}
