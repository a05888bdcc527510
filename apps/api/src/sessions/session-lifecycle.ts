import { randomBytes, timingSafeEqual } from 'node:crypto';
import { parse as parseCookies } from 'cookie';
import { unsign } from 'cookie-signature';
import type { Request, Response } from 'express';
import type { SessionData } from 'express-session';
import { clientIp } from '../common/client-ip.js';
import { locateIp } from '../common/geo-location.js';
import { userAgentOf } from '../common/user-agent.js';
import type { AppConfig } from '../config/config.js';
import { markWritten } from './hashed-session-store.js';
import { SESSION_COOKIE } from './session-data.js';

/** The flags every auth cookie carries, in every mode [C-FLAGS]; clearing must repeat them [C-CLEAR]. */
export const COOKIE_FLAGS = { httpOnly: true, secure: true, sameSite: 'lax', path: '/' } as const;

/** 256 bits from the CSPRNG [S-ID]. */
export const newSessionId = (): string => randomBytes(32).toString('base64url');
export const newCsrfToken = (): string => randomBytes(32).toString('base64url');

/**
 * Makes `id` this request's session, holding `data`, whose row was just written: express-session
 * sends its cookie at the end of the response and writes nothing more unless it changes again.
 */
export function adoptSession(req: Request, id: string, data: Partial<SessionData>): void {
  req.nextSessionId = id;
  req.sessionStore.generate(req);
  delete req.nextSessionId;
  Object.assign(req.session, data);
  markWritten(req.session);
}

/** What a session holds, without express-session's cookie and methods. */
export function sessionDataOf(req: Request): Partial<SessionData> {
  const { cookie: _cookie, ...data } = req.session as unknown as SessionData & { cookie: unknown };
  return data;
}

/**
 * The request goes on with no session, as a signed-out visitor: express-session then neither
 * stores a new row nor sends a new session cookie [L-FINAL].
 */
export function detachSession(req: Request): void {
  delete (req as Partial<Request>).session;
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

/**
 * Approximate location [D-LOCATION]: with LOCATION_HEADER set, only that header from our own
 * trusted proxy (e.g. cf-ipcountry) is believed; otherwise the offline GeoIP database's city and country.
 */
export function locationOf(req: Request, config: AppConfig): string | null {
  return config.locationHeader ? (req.get(config.locationHeader)?.slice(0, 64) ?? null) : locateIp(clientIp(req));
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
