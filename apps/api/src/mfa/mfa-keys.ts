import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * The keys derived from MFA_ENCRYPTION_KEY, which never reaches the database: a copy of it holds
 * neither a usable authenticator secret nor a recovery code [M-TOTP, M-RECOVERY, S-AT-REST].
 */
export class MfaKeys {
  private readonly secretKey: Buffer;
  private readonly codeKey: Buffer;

  constructor(encryptionKey: string) {
    this.secretKey = Buffer.from(hkdfSync('sha256', encryptionKey, 'sessionkeep', 'totp secret v1', 32));
    this.codeKey = Buffer.from(hkdfSync('sha256', encryptionKey, 'sessionkeep', 'recovery code v1', 32));
  }

  /**
   * AES-256-GCM, with the user's id as associated data: a ciphertext copied onto another
   * account's row does not open.
   */
  seal(plaintext: string, userId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.secretKey, iv);
    cipher.setAAD(Buffer.from(userId));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  /** Throws when the ciphertext was not sealed for this user under this key. */
  open(sealed: string, userId: string): string {
    const bytes = Buffer.from(sealed.replace(/^v1\./, ''), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.secretKey, bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(userId));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  }

  /** A keyed hash: a dump of the table cannot be brute-forced without the key. */
  hashRecoveryCode(code: string): string {
    return createHmac('sha256', this.codeKey).update(normalizeRecoveryCode(code)).digest('hex');
  }
}

/** Lower-case, without the dash or spaces people type in or leave out. */
export const normalizeRecoveryCode = (code: string): string => code.toLowerCase().replace(/[^a-z0-9]/g, '');

const CODE_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten characters (about 49 bits) from the CSPRNG, shown as `xxxxx-xxxxx`. */
export function newRecoveryCode(): string {
  const chars: string[] = [];
  while (chars.length < 10) {
    const byte = randomBytes(1)[0]!;
    // Rejection sampling keeps every character equally likely.
    if (byte < 256 - (256 % CODE_ALPHABET.length)) chars.push(CODE_ALPHABET[byte % CODE_ALPHABET.length]!);
  }
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
}
