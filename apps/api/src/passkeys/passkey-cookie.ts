import { randomBytes } from 'node:crypto';
import { parse as parseCookies } from 'cookie';
import type { Request, Response } from 'express';
import { clearCookie, COOKIE_FLAGS } from '../sessions/session-lifecycle.js';
import { CHALLENGE_TTL_SECONDS } from './passkey-challenges.service.js';

/**
 * The anonymous browser that asked for a passkey sign-in's challenge: its challenge is bound to this
 * cookie's token (stored as a hash), so the options cannot be answered from another browser.
 */
export const PASSKEY_COOKIE = '__Host-passkey';
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function issuePasskeyCookie(res: Response): string {
  const token = randomBytes(32).toString('base64url');
  res.cookie(PASSKEY_COOKIE, token, { ...COOKIE_FLAGS, maxAge: CHALLENGE_TTL_SECONDS * 1000 });
  return token;
}

export function readPasskeyCookie(req: Request): string | undefined {
  const raw = req.headers.cookie ? parseCookies(req.headers.cookie)[PASSKEY_COOKIE] : undefined;
  return raw && TOKEN_SHAPE.test(raw) ? raw : undefined;
}

export const clearPasskeyCookie = (res: Response): void => clearCookie(res, PASSKEY_COOKIE);
