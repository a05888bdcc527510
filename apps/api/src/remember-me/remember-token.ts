import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RememberToken } from '../generated/prisma/client.js';

export const randomToken = (bytes: number) => randomBytes(bytes).toString('base64url');
export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const sameHash = (a: string | null, b: string) => a !== null && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** How many replaced validators a series remembers; one rotation per restore keeps this far from full. */
export const RETIRED_VALIDATORS_KEPT = 200;

/** What a presented validator is to its series [R-ROTATE, R-THEFT]. */
export type ValidatorMatch = 'current' | 'previous' | 'retired' | 'unknown';

export function matchValidator(series: RememberToken, validator: string): ValidatorMatch {
  const hash = sha256(validator);
  if (sameHash(series.validatorHash, hash)) return 'current';
  if (sameHash(series.previousValidatorHash, hash)) return 'previous';
  // Constant-time per entry; the list's length says nothing about the validator.
  return series.retiredValidatorHashes.some((retired) => sameHash(retired, hash)) ? 'retired' : 'unknown';
}

/**
 * A rotation's successors, derived from its random nonce and the validator it replaced: requests
 * racing on the old validator within the grace window derive the same next validator and the same
 * session ID, so they end in one session [R-ONE] and neither is ever stored in clear [S-AT-REST].
 */
export function successorsOf(key: Buffer, nonce: string, validator: string): { validator: string; sessionId: string } {
  const derive = (purpose: string) => createHmac('sha256', key).update(`${purpose}.${nonce}.${validator}`).digest('base64url');
  return { validator: derive('validator'), sessionId: derive('session') };
}
