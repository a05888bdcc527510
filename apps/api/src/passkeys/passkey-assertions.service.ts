import { Inject, Injectable } from '@nestjs/common';
import { generateAuthenticationOptions, type PublicKeyCredentialRequestOptionsJSON, verifyAuthenticationResponse } from '@simplewebauthn/server';
import type { ClientContext } from '../common/client-context.js';
import { AppError } from '../common/errors/error-codes.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import type { AuthenticationResponseDto } from './dto/passkey-responses.dto.js';
import { type ChallengePurpose, PasskeyChallenges } from './passkey-challenges.service.js';
import { relyingPartyOf, userHandleOf } from './relying-party.js';

const refused = () => new AppError('PASSKEY_INVALID');

/** Who a verified assertion proved to be, and the session generation it was proved against [L-FINAL]. */
export interface ProvedPasskey {
  userId: string;
  sessionGeneration: number;
}

/**
 * [M-PASSKEY] Asks for and checks a passkey's signature: for signing in on its own (any of the
 * user's discoverable passkeys), for a pending sign-in's second factor, or for step-up.
 */
@Injectable()
export class PasskeyAssertions {
  constructor(
    private readonly prisma: PrismaService,
    private readonly challenges: PasskeyChallenges,
    private readonly events: SecurityEventsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Options for the browser; with `userId`, only that user's passkeys are offered. */
  async options(purpose: ChallengePurpose, boundTo: string, userId?: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const passkeys = userId ? await this.prisma.passkey.findMany({ where: { userId }, select: { credentialId: true, transports: true } }) : [];
    const options = await generateAuthenticationOptions({
      rpID: relyingPartyOf(this.config).id,
      userVerification: 'required',
      allowCredentials: passkeys.map((p) => ({ id: Buffer.from(p.credentialId).toString('base64url'), transports: p.transports })),
    });
    await this.challenges.store(options.challenge, purpose, boundTo, userId);
    return options;
  }

  /**
   * Spends the challenge, then checks the signature, user verification, origin and RP ID. With
   * `userId` (a pending sign-in, a step-up) the passkey must be that user's: user A's passkey never
   * proves user B. A counter that did not move forward means a cloned authenticator: refused, and recorded.
   */
  async verify(response: AuthenticationResponseDto, purpose: ChallengePurpose, boundTo: string, client: ClientContext, userId?: string): Promise<ProvedPasskey> {
    const { challenge, userId: askedFor } = await this.challenges.take(response.response.clientDataJSON, purpose, boundTo);
    if (userId !== undefined && askedFor !== userId) throw refused();
    const passkey = await this.prisma.passkey.findUnique({
      where: { credentialId: Buffer.from(response.rawId, 'base64url') },
      include: { user: { select: { sessionGeneration: true } } },
    });
    if (!passkey || response.id !== response.rawId || (userId !== undefined && passkey.userId !== userId)) throw refused();
    // A discoverable credential names its user: it must be the passkey's owner [M-PASSKEY].
    const handle = response.response.userHandle;
    if ((handle !== undefined || userId === undefined) && handle !== Buffer.from(userHandleOf(passkey.userId)).toString('base64url')) throw refused();
    const rp = relyingPartyOf(this.config);
    const verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      // The counter is compared below, where a regression can be recorded rather than just thrown.
      credential: { id: response.rawId, publicKey: new Uint8Array(passkey.publicKey), counter: 0, transports: passkey.transports },
      requireUserVerification: true,
    }).catch(() => null);
    if (!verification?.verified) throw refused();
    const { newCounter } = verification.authenticationInfo;
    const counted = await this.advanceCounter(passkey.id, newCounter);
    if (counted === 'regressed') {
      await this.events.record('passkey_counter_regressed', passkey.userId, client, { passkeyId: passkey.id, stored: Number(passkey.counter), presented: newCounter });
    }
    if (counted !== 'advanced') throw refused();
    return { userId: passkey.userId, sessionGeneration: passkey.user.sessionGeneration };
  }

  /**
   * Stores the new counter only if it moved forward (authenticators that keep no counter send 0
   * each time, and may go on doing so only while the stored counter is 0), in one conditional
   * UPDATE, so two parallel uses of one cloned counter value cannot both pass.
   *
   * Attack stopped: a passkey removed while a sign-in with it was in flight. The UPDATE then
   * finds no row; that is "gone" (a plain refusal), never a 500 from an unconditional update
   * and never a false passkey_counter_regressed alarm about a clone.
   */
  private async advanceCounter(id: string, presented: number): Promise<'advanced' | 'regressed' | 'gone'> {
    const { count } = await this.prisma.passkey.updateMany({
      where: { id, counter: presented === 0 ? 0 : { lt: presented } },
      data: { counter: presented, lastUsedAt: new Date() },
    });
    if (count === 1) return 'advanced';
    return (await this.prisma.passkey.count({ where: { id } })) === 1 ? 'regressed' : 'gone';
  }
}
