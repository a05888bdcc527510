import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/error-codes.js';
import { PrismaService } from '../prisma/prisma.service.js';

/** What a challenge may be answered for; an answer for one purpose never serves another. */
export type ChallengePurpose = 'sign_in' | 'second_factor' | 'step_up' | 'register';

/** A WebAuthn ceremony must be finished within three minutes of asking for it. */
export const CHALLENGE_TTL_SECONDS = 180;

export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');

/** The challenge a WebAuthn response signed, read from its client data; only a lookup key. */
export function challengeOf(clientDataJSON: string): string | undefined {
  try {
    const { challenge } = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof challenge === 'string' && challenge.length <= 64 ? challenge : undefined;
  } catch {
    return undefined;
  }
}

/**
 * [M-PASSKEY] Challenges live on the server: the client's copy is never trusted. Each is bound to
 * the browser state that asked for it (an anonymous cookie's token, a pending sign-in, a session),
 * so options fetched in one browser cannot be answered from another; it expires; and `take` deletes
 * it as it reads it, so a replayed response, or two parallel ones, find it at most once.
 */
@Injectable()
export class PasskeyChallenges {
  constructor(private readonly prisma: PrismaService) {}

  async store(challenge: string, purpose: ChallengePurpose, boundTo: string, userId?: string): Promise<void> {
    await this.prisma.passkeyChallenge.create({
      data: { challenge, purpose, boundTo, userId, expiresAt: new Date(Date.now() + CHALLENGE_TTL_SECONDS * 1000) },
    });
  }

  /** Spends the challenge the response signed; refuses one that is unknown, used, expired, or bound elsewhere. */
  async take(clientDataJSON: string, purpose: ChallengePurpose, boundTo: string): Promise<{ challenge: string; userId: string | null }> {
    const challenge = challengeOf(clientDataJSON);
    const [taken] = challenge
      ? await this.prisma.$queryRaw<{ challenge: string; userId: string | null }[]>`
          DELETE FROM passkey_challenges
          WHERE challenge = ${challenge} AND purpose = ${purpose} AND bound_to = ${boundTo} AND expires_at > now()
          RETURNING challenge, user_id::text AS "userId"`
      : [];
    if (!taken) throw new AppError('PASSKEY_INVALID', { message: 'This passkey request has expired or was already used. Try again.' });
    return taken;
  }
}
