import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const b64url = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString('base64url');
const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

export interface AssertOptions {
  /** Leave the user-verified flag off: an authenticator that only checked presence. */
  uv?: boolean;
  /** The signature counter to report; by default one more than last time. */
  counter?: number;
  /** The user handle to report; by default the one this credential was created for. */
  userHandle?: string | null;
  /** The origin the browser would put in the client data; by default the relying party's. */
  origin?: string;
  /** Leave the user-present flag off. */
  up?: boolean;
  /** The RP ID whose hash the authenticator data carries; by default the origin's host. */
  rpId?: string;
  /** The client data's type; by default "webauthn.get". */
  type?: string;
}

/**
 * A passkey in software for integration tests: a P-256 key made with node:crypto, answering WebAuthn
 * `create` and `get` the way a platform authenticator does ("none" attestation), with the CBOR
 * encoder that @simplewebauthn/server itself uses. Only what the server receives is real here.
 */
export class SoftAuthenticator {
  readonly credentialId = randomBytes(16);
  readonly rpId: string;
  private readonly keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  private userHandle: string | undefined;
  counter = 0;

  constructor(readonly origin: string) {
    this.rpId = new URL(origin).hostname;
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  /** The COSE_Key (EC2, ES256) of the public key: what the server must store, and nothing more. */
  cosePublicKey(): Uint8Array {
    const { x, y } = this.keys.publicKey.export({ format: 'jwk' });
    return isoCBOR.encode(new Map<number, number | Uint8Array>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(x!, 'base64url')], [-3, Buffer.from(y!, 'base64url')]]));
  }

  /** The private scalar, to check that no stored column contains it. */
  privateKeyBytes(): Buffer {
    return Buffer.from(this.keys.privateKey.export({ format: 'jwk' }).d!, 'base64url');
  }

  /** navigator.credentials.create() for these options (PublicKeyCredentialCreationOptionsJSON). */
  register(options: Record<string, unknown>, { uv = true }: { uv?: boolean } = {}) {
    this.userHandle = (options.user as { id: string }).id;
    const clientDataJSON = this.clientData('webauthn.create', options.challenge as string, this.origin);
    const attested = Buffer.concat([Buffer.alloc(16), u16(this.credentialId.length), this.credentialId, this.cosePublicKey()]);
    const authData = this.authData(FLAG_UP | (uv ? FLAG_UV : 0) | FLAG_AT, this.counter, attested);
    const attestation = new Map<string, string | Uint8Array | Map<string, string>>([
      ['fmt', 'none'],
      ['attStmt', new Map<string, string>()],
      ['authData', new Uint8Array(authData)],
    ]);
    const attestationObject = isoCBOR.encode(attestation);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: ['internal'] },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform' as const,
    };
  }

  /** navigator.credentials.get() for these options (PublicKeyCredentialRequestOptionsJSON). */
  assert(options: Record<string, unknown>, { uv = true, counter, userHandle, origin, up = true, rpId, type }: AssertOptions = {}) {
    this.counter = counter ?? this.counter + 1;
    const clientDataJSON = this.clientData(type ?? 'webauthn.get', options.challenge as string, origin ?? this.origin);
    const authData = this.authData((up ? FLAG_UP : 0) | (uv ? FLAG_UV : 0), this.counter, undefined, rpId);
    const signature = sign('sha256', Buffer.concat([authData, createHash('sha256').update(clientDataJSON).digest()]), this.keys.privateKey);
    const handle = userHandle === undefined ? this.userHandle : userHandle;
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(handle ? { userHandle: handle } : {}),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform' as const,
    };
  }

  private clientData(type: string, challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  private authData(flags: number, counter: number, attested?: Buffer, rpId = this.rpId): Buffer {
    const rpIdHash = createHash('sha256').update(rpId).digest();
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([rpIdHash, Buffer.from([flags]), count, ...(attested ? [attested] : [])]);
  }
}

function u16(value: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16BE(value);
  return bytes;
}
