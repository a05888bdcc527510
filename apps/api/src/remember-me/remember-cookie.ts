import { parse as parseCookies } from 'cookie';
import type { Request, Response } from 'express';
import { REMEMBER_COOKIE } from '../sessions/session-data.js';
import { COOKIE_FLAGS } from '../sessions/session-lifecycle.js';

/** selector (128 bits) "." validator (256 bits), both base64url. Anything else is garbage. */
const TOKEN_SHAPE = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

export interface PresentedRememberToken {
  selector: string;
  validator: string;
}

export function readRememberCookie(req: Request): PresentedRememberToken | null {
  const raw = req.headers.cookie ? parseCookies(req.headers.cookie)[REMEMBER_COOKIE] : undefined;
  const match = raw ? TOKEN_SHAPE.exec(raw) : null;
  return match ? { selector: match[1]!, validator: match[2]! } : null;
}

/** Same flags as the session cookie [C-FLAGS], persistent for REMEMBER_ME_TTL. */
export function setRememberCookie(res: Response, value: string, ttlSeconds: number): void {
  res.cookie(REMEMBER_COOKIE, value, { ...COOKIE_FLAGS, maxAge: ttlSeconds * 1000 });
}

export function clearRememberCookie(res: Response): void {
  res.clearCookie(REMEMBER_COOKIE, COOKIE_FLAGS);
}
