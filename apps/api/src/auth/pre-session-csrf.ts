import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { parse as parseCookies } from 'cookie';
import type { Request, Response } from 'express';
import { COOKIE_FLAGS, tokensMatch } from '../sessions/session-lifecycle.js';

export const PRE_SESSION_COOKIE = '__Host-csrf';
const NONCE_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * The CSRF token before sign-in, with no row stored [A-ANON, I-CSRF]: the browser holds a random
 * nonce in a __Host- cookie and sends HMAC(server key, nonce) in X-CSRF-Token. A forging site can
 * neither read the cookie nor compute the MAC; __Host- stops a sibling subdomain planting one.
 */
export class PreSessionCsrf {
  private readonly key: Buffer;

  constructor(sessionSecret: string) {
    this.key = Buffer.from(hkdfSync('sha256', sessionSecret, '', 'sessionkeep pre-session csrf', 32));
  }

  /** The token for this browser, setting its nonce cookie first if it has none. */
  tokenFor(req: Request, res: Response): string {
    let nonce = nonceOf(req);
    if (!nonce) {
      nonce = randomBytes(32).toString('base64url');
      res.cookie(PRE_SESSION_COOKIE, nonce, COOKIE_FLAGS);
    }
    return this.mac(nonce);
  }

  verify(req: Request, presented: unknown): boolean {
    const nonce = nonceOf(req);
    return nonce !== undefined && tokensMatch(this.mac(nonce), presented);
  }

  private mac(nonce: string): string {
    return createHmac('sha256', this.key).update(nonce).digest('base64url');
  }
}

function nonceOf(req: Request): string | undefined {
  const raw = req.headers.cookie ? parseCookies(req.headers.cookie)[PRE_SESSION_COOKIE] : undefined;
  return raw && NONCE_SHAPE.test(raw) ? raw : undefined;
}
