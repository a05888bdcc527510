import { timingSafeEqual } from 'node:crypto';
import { Prisma } from '../generated/prisma/client.js';
import type { EmailToken, EmailTokenPurpose } from '../generated/prisma/client.js';
import { AppError } from '../common/errors/error-codes.js';
import { randomToken, sha256 } from '../remember-me/remember-token.js';

/** A token to put in a link, and what is stored of it: the selector and a hash of the validator [R-SPLIT]. */
export interface NewEmailToken {
  token: string;
  selector: string;
  validatorHash: string;
}

/** 128-bit selector, 256-bit validator, from the CSPRNG. */
export function newEmailToken(): NewEmailToken {
  const selector = randomToken(16);
  const validator = randomToken(32);
  return { token: `${selector}.${validator}`, selector, validatorHash: sha256(validator) };
}

const TOKEN_SHAPE = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

export function parseEmailToken(token: string): { selector: string; validator: string } | null {
  const match = TOKEN_SHAPE.exec(token);
  return match ? { selector: match[1]!, validator: match[2]! } : null;
}

/**
 * Uses up a token inside the caller's transaction: the row is deleted as it is read, so of two
 * requests racing with one link exactly one gets it. A wrong validator throws, and the caller's
 * rollback puts the row back. Expired, used or unknown: LINK_INVALID.
 */
export async function consumeEmailToken(tx: Prisma.TransactionClient, purpose: EmailTokenPurpose, token: string): Promise<EmailToken> {
  const parsed = parseEmailToken(token);
  if (!parsed) throw new AppError('LINK_INVALID');
  const [row] = await tx.$queryRaw<EmailToken[]>`
    DELETE FROM email_tokens
    WHERE selector = ${parsed.selector} AND purpose = ${purpose}::email_token_purpose AND expires_at > now()
    RETURNING id, user_id AS "userId", purpose, selector, validator_hash AS "validatorHash",
              password_changed_at AS "passwordChangedAt", email, session_sid AS "sessionSid",
              expires_at AS "expiresAt", created_at AS "createdAt"`;
  const presented = Buffer.from(sha256(parsed.validator));
  // Constant-time, so the stored hash cannot be learned a byte at a time.
  if (!row || !timingSafeEqual(Buffer.from(row.validatorHash), presented)) throw new AppError('LINK_INVALID');
  return row;
}
