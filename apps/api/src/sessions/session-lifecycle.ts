import { randomBytes, timingSafeEqual } from 'node:crypto';
import { parse as parseCookies } from 'cookie';
import { unsign } from 'cookie-signature';
import type { Request, Response } from 'express';
import type { SessionData } from 'express-session';
import type { ClientContext } from '../common/client-context.js';
import type { AppConfig } from '../config/config.js';
import { markWritten } from './hashed-session-store.js';
import { type NewSession, REMEMBER_COOKIE, SESSION_COOKIE, sessionHashOf, type SignedInSession } from './session-data.js';

/**
 * The glue between express-session's req.session and the services, which see sessions only as
 * plain values: controllers and guards read the presented session here and adopt, detach or
 * forget it here after a service has stored, moved or ended it.
 */

/** The flags every auth cookie carries, in every mode [C-FLAGS]; clearing must repeat them [C-CLEAR]. */
export const COOKIE_FLAGS = { httpOnly: true, secure: true, sameSite: 'lax', path: '/' } as const;

/** 256 bits from the CSPRNG [S-ID]. */
export const newSessionId = (): string => randomBytes(32).toString('base64url');
export const newCsrfToken = (): string => randomBytes(32).toString('base64url');

/**
 * Makes `id` this request's session, holding `data`, whose row was just written: express-session
 * sends its cookie at the end of the response and writes nothing more unless it changes again.
 */
export function adoptSession(req: Request, { id, data }: NewSession): void {
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

/** This request's signed-in session as it is now; only on requests the session guard let through. */
export function currentSessionOf(req: Request): SignedInSession {
  if (!req.session?.userId) throw new Error('currentSessionOf() on a request without a signed-in session');
  return { sid: sessionHashOf(req), data: sessionDataOf(req) as SessionData };
}

/**
 * The request goes on with no session, as a signed-out visitor: express-session then neither
 * stores a new row nor sends a new session cookie [L-FINAL].
 */
export function detachSession(req: Request): void {
  delete (req as Partial<Request>).session;
}

/**
 * After this device's session ended: the request goes on with no session, and the browser is told
 * to drop both cookies with their own flags [C-CLEAR]. No Clear-Site-Data: it would also wipe the
 * device cookie that keeps the owner's own browser out of an account lockout [A-BRUTE].
 */
export function forgetThisDevice(req: Request, res: Response): void {
  detachSession(req);
  clearCookie(res, SESSION_COOKIE);
  clearCookie(res, REMEMBER_COOKIE);
}

/**
 * Slides the idle timeout of a session that was just found valid. Writing last-active on every
 * request would cost a database write per request; it is written at most once per touch interval
 * (a minute by default) [L-TOUCH].
 */
export function touchSession(req: Request, client: ClientContext, config: AppConfig): void {
  const now = Date.now();
  if (now - (req.session.lastActiveAt ?? 0) < config.session.touchInterval * 1000) return;
  req.session.lastActiveAt = now;
  req.session.ip = client.ip;
  req.session.userAgent = client.userAgent;
  req.session.location = client.location;
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
