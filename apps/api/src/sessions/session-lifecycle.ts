import { randomBytes, timingSafeEqual } from 'node:crypto';
import { parse as parseCookies } from 'cookie';
import { unsign } from 'cookie-signature';
import type { Request, Response } from 'express';
import { clientIp } from '../common/client-ip.js';
import { userAgentOf } from '../common/user-agent.js';
import type { AppConfig } from '../config/config.js';
import { SESSION_COOKIE } from './session-data.js';

/** The flags every auth cookie carries, in every mode [C-FLAGS]; clearing must repeat them [C-CLEAR]. */
export const COOKIE_FLAGS = { httpOnly: true, secure: true, sameSite: 'lax', path: '/' } as const;

/** 256 bits from the CSPRNG [S-ID]. */
export const newSessionId = (): string => randomBytes(32).toString('base64url');
export const newCsrfToken = (): string => randomBytes(32).toString('base64url');

/**
 * A new ID for the same data; the old ID is deleted from the store, so whoever knew it
 * (a planted or pre-login ID) holds nothing [S-FIXATION].
 */
export function regenerateSession(req: Request): Promise<void> {
  const data = { ...req.session } as Record<string, unknown>;
  delete data.cookie;
  return new Promise((resolve, reject) =>
    req.session.regenerate((error: unknown) => {
      if (error) return reject(error);
      Object.assign(req.session, data);
      resolve();
    }),
  );
}

/** Starts over with an empty session under a new ID. */
export function replaceSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((error: unknown) => (error ? reject(error) : resolve())));
}

/**
 * Slides the idle timeout of a session that was just found valid. Writing last-active on every
 * request would cost a database write per request; it is written at most once per touch interval
 * (a minute by default) [L-TOUCH].
 */
export function touchSession(req: Request, config: AppConfig): void {
  const now = Date.now();
  if (now - (req.session.lastActiveAt ?? 0) < config.session.touchInterval * 1000) return;
  req.session.lastActiveAt = now;
  req.session.ip = clientIp(req);
  req.session.userAgent = userAgentOf(req);
  req.session.location = locationOf(req, config);
}

/** Only a header set by our own trusted proxy (LOCATION_HEADER, e.g. cf-ipcountry) is believed. */
export function locationOf(req: Request, config: AppConfig): string | null {
  return config.locationHeader ? (req.get(config.locationHeader)?.slice(0, 64) ?? null) : null;
}

export function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((error: unknown) => (error ? reject(error) : resolve())));
}

export function destroySession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((error: unknown) => (error ? reject(error) : resolve())));
}

/** Expires the cookie with the same name, path and flags it was set with [C-CLEAR]. */
export function clearCookie(res: Response, name: string): void {
  res.clearCookie(name, COOKIE_FLAGS);
}

/**
 * The session ID the browser sent, if its signature is ours. express-session replaces an ID it
 * cannot find with a fresh one; this recovers the presented one to tell the device why it ended.
 */
export function presentedSessionId(req: Request, secret: string): string | undefined {
  const raw = req.headers.cookie ? parseCookies(req.headers.cookie)[SESSION_COOKIE] : undefined;
  if (!raw?.startsWith('s:')) return undefined;
  const id = unsign(raw.slice(2), secret);
  return id === false ? undefined : id;
}

export function tokensMatch(expected: string | undefined, presented: unknown): boolean {
  if (typeof expected !== 'string' || typeof presented !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}
