import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** What a queued job holds, once opened. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Fixed at enqueue time: a retry after an unconfirmed send repeats it, so mail clients can fold duplicates. */
  messageId: string;
}

/**
 * Queued mail is sealed with AES-256-GCM under a key derived from SESSION_SECRET (never stored in
 * the database): a reset or "This wasn't me" link waiting in the queue is a usable token, and a
 * copy of the database must let nobody in [S-AT-REST]. A job sealed under a rotated secret cannot
 * be opened and is dropped with an error in the log.
 */
export class MailSeal {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'sessionkeep', 'mail queue payload v1', 32));
  }

  seal(mail: OutgoingMail): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(mail), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  open(sealed: string): OutgoingMail {
    const bytes = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8')) as OutgoingMail;
  }
}
