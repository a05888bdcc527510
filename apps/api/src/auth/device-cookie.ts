import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { parse as parseCookies } from 'cookie';
import type { Request, Response } from 'express';
import { COOKIE_FLAGS, tokensMatch } from '../sessions/session-lifecycle.js';

export const DEVICE_COOKIE = '__Host-device';
const DEVICE_COOKIE_DAYS = 180;

/** Whom a device cookie vouches for: the account, as of its last end-everything. */
export interface DeviceOwner {
  id: string;
  sessionGeneration: number;
}

/**
 * OWASP's device cookies against account lockout [A-BRUTE]: a browser that has signed in to an
 * account carries `nonce.mac`, the MAC binding the nonce to that account (by id, not address) and
 * its session generation, so a password change or "log out everywhere" also ends the trust. It is
 * limited on its own counter, so guesses from everywhere else cannot lock the owner out.
 */
export class DeviceCookies {
  private readonly key: Buffer;

  constructor(sessionSecret: string) {
    this.key = Buffer.from(hkdfSync('sha256', sessionSecret, '', 'sessionkeep device cookie', 32));
  }

  /** The device's nonce when the presented cookie says this browser signed in to the account before. */
  trustedDevice(presented: string | undefined, owner: DeviceOwner): string | undefined {
    const [nonce, mac, extra] = presented?.split('.') ?? [];
    if (!nonce || !mac || extra !== undefined || !/^[A-Za-z0-9_-]{22}$/.test(nonce)) return undefined;
    return tokensMatch(this.mac(owner, nonce), mac) ? nonce : undefined;
  }

  /** After a correct password: the cookie that makes this browser a known device for the account. */
  issue(owner: DeviceOwner): string {
    const nonce = randomBytes(16).toString('base64url');
    return `${nonce}.${this.mac(owner, nonce)}`;
  }

  private mac(owner: DeviceOwner, nonce: string): string {
    return createHmac('sha256', this.key).update(`${owner.id}.${owner.sessionGeneration}.${nonce}`).digest('base64url');
  }
}

export function readDeviceCookie(req: Request): string | undefined {
  return req.headers.cookie ? parseCookies(req.headers.cookie)[DEVICE_COOKIE] : undefined;
}

export function setDeviceCookie(res: Response, value: string): void {
  res.cookie(DEVICE_COOKIE, value, { ...COOKIE_FLAGS, maxAge: DEVICE_COOKIE_DAYS * 86_400_000 });
}
