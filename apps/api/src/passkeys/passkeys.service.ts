import { Inject, Injectable } from '@nestjs/common';
import { generateRegistrationOptions, type PublicKeyCredentialCreationOptionsJSON, type RegistrationResponseJSON, verifyRegistrationResponse } from '@simplewebauthn/server';
import type { ClientContext } from '../common/client-context.js';
import { AppError } from '../common/errors/error-codes.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { Prisma } from '../generated/prisma/client.js';
import { FactorChangesService } from '../mfa/factor-changes.service.js';
import { RecoveryCodesService } from '../mfa/recovery-codes.service.js';
import { PrismaService } from '../prisma/prisma.service.js';
import type { SignedInSession } from '../sessions/session-data.js';
import type { PublicUser } from '../users/public-user.js';
import type { PasskeyDto, RegisteredPasskeyDto, RegistrationResponseDto } from './dto/passkey-responses.dto.js';
import { PasskeyChallenges } from './passkey-challenges.service.js';
import { relyingPartyOf, userHandleOf } from './relying-party.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PASSKEY_FIELDS = { id: true, name: true, createdAt: true, lastUsedAt: true, backedUp: true } as const;
/** Each passkey is a row and an email: an account, perhaps a stolen session, cannot add them without end. */
export const MAX_PASSKEYS = 20;

function refuseBeyondLimit(count: number): void {
  if (count >= MAX_PASSKEYS) {
    throw new AppError('VALIDATION_FAILED', { message: `An account can hold at most ${MAX_PASSKEYS} passkeys. Remove one to add another.` });
  }
}

function toDto(p: { id: string; name: string; createdAt: Date; lastUsedAt: Date | null; backedUp: boolean }): PasskeyDto {
  return { ...p, createdAt: p.createdAt.toISOString(), lastUsedAt: p.lastUsedAt?.toISOString() ?? null };
}

/**
 * A user's passkeys [M-PASSKEY, M-CHANGE]: adding and removing one is a factor change (step-up on
 * the route, every other session and remember-me series ended, an event and an email, one
 * transaction). Only the public key is stored: nothing here can sign.
 */
@Injectable()
export class PasskeysService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly challenges: PasskeyChallenges,
    private readonly changes: FactorChangesService,
    private readonly recoveryCodes: RecoveryCodesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(userId: string): Promise<PasskeyDto[]> {
    const passkeys = await this.prisma.passkey.findMany({ where: { userId }, select: PASSKEY_FIELDS, orderBy: { createdAt: 'asc' } });
    return passkeys.map(toDto);
  }

  /** A discoverable credential with user verification; the user's own passkeys are excluded (no duplicates). */
  async registrationOptions(user: PublicUser, session: SignedInSession): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const existing = await this.prisma.passkey.findMany({ where: { userId: user.id }, select: { credentialId: true, transports: true } });
    refuseBeyondLimit(existing.length);
    const rp = relyingPartyOf(this.config);
    const options = await generateRegistrationOptions({
      rpName: rp.name,
      rpID: rp.id,
      userID: userHandleOf(user.id),
      userName: user.email,
      userDisplayName: user.name,
      attestationType: 'none',
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      excludeCredentials: existing.map((p) => ({ id: Buffer.from(p.credentialId).toString('base64url'), transports: p.transports })),
    });
    await this.challenges.store(options.challenge, 'register', session.sid, user.id);
    return options;
  }

  async register(user: PublicUser, session: SignedInSession, client: ClientContext, name: string, response: RegistrationResponseDto) {
    const { challenge } = await this.challenges.take(response.response.clientDataJSON, 'register', session.sid);
    const rp = relyingPartyOf(this.config);
    const verification = await verifyRegistrationResponse({
      response: response as RegistrationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    }).catch(() => null);
    if (!verification?.verified) throw new AppError('PASSKEY_INVALID');
    const { credential, credentialDeviceType, credentialBackedUp } = verification.registrationInfo;
    return this.changes
      .change(user, session, client, 'passkey_added', async (tx): Promise<RegisteredPasskeyDto> => {
        // Counted under the user's lock that change() holds: parallel registrations at 19 cannot all pass.
        refuseBeyondLimit(await tx.passkey.count({ where: { userId: user.id } }));
        const passkey = toDto(
          await tx.passkey.create({
            data: {
              userId: user.id,
              name: name.trim() || 'Passkey',
              credentialId: Buffer.from(credential.id, 'base64url'),
              publicKey: Buffer.from(credential.publicKey),
              counter: credential.counter,
              transports: response.response.transports ?? [],
              deviceType: credentialDeviceType,
              backedUp: credentialBackedUp,
            },
            select: PASSKEY_FIELDS,
          }),
        );
        // A first second factor with no recovery codes at all gets ten, shown this once [M-RECOVERY]:
        // losing the only passkey must not lock the account.
        const recoveryCodes = await this.recoveryCodes.issueIfNone(tx, user.id);
        return recoveryCodes ? { ...passkey, recoveryCodes } : passkey;
      })
      .catch((error: unknown) => {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
          throw new AppError('PASSKEY_INVALID', { message: 'This passkey is already registered.' });
        }
        throw error;
      });
  }

  /** Another user's passkey is answered like an unknown one: 404, and nothing said about it. */
  async remove(user: PublicUser, session: SignedInSession, client: ClientContext, id: string) {
    if (!UUID.test(id)) throw new AppError('NOT_FOUND');
    return this.changes.change(user, session, client, 'passkey_removed', async (tx) => {
      const removed = await tx.passkey.deleteMany({ where: { id, userId: user.id } });
      if (removed.count === 0) throw new AppError('NOT_FOUND');
      // The last second factor gone (no passkey left, the app off): its recovery codes go with it.
      await this.recoveryCodes.deleteIfNoFactor(tx, user.id);
    });
  }
}
