import { randomBytes } from 'node:crypto';
import { parse as parseCookies } from 'cookie';
import type { Request, Response } from 'express';
import { clearCookie, COOKIE_FLAGS } from '../sessions/session-lifecycle.js';

export const PENDING_COOKIE = '__Host-pending';
/** A pending sign-in dies after five minutes [M-SIGNIN]. */
export const PENDING_TTL_SECONDS = 300;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** 256 bits from the CSPRNG; the database keeps only its SHA-256. */
export const newPendingToken = (): string => randomBytes(32).toString('base64url');

export function setPendingCookie(res: Response, token: string): void {
  res.cookie(PENDING_COOKIE, token, { ...COOKIE_FLAGS, maxAge: PENDING_TTL_SECONDS * 1000 });
}

export function readPendingCookie(req: Request): string | undefined {
  const raw = req.headers.cookie ? parseCookies(req.headers.cookie)[PENDING_COOKIE] : undefined;
  return raw && TOKEN_SHAPE.test(raw) ? raw : undefined;
}

export const clearPendingCookie = (res: Response): void => clearCookie(res, PENDING_COOKIE);
