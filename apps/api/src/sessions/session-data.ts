import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { SessionData } from 'express-session';
import type { Role } from '../generated/prisma/enums.js';
import type { PublicUser } from '../users/public-user.js';

export const SESSION_COOKIE = '__Host-sid';
export const REMEMBER_COOKIE = '__Host-remember';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The user's current row, read with the session in one query (undefined: not loaded with it). */
      sessionUser?: PublicUser | null;
      /** The ID express-session's next generate() takes, set only by adoptSession(). */
      nextSessionId?: string;
      /** The user's session generation when this request proved the password [L-FINAL]. */
      provenSessionGeneration?: number;
    }
  }
}

declare module 'express-session' {
  /**
   * Everything the server keeps about a session. The cookie holds only the signed ID [S-ID].
   * Times are epoch milliseconds.
   */
  interface SessionData {
    csrfToken: string;
    createdAt: number;
    lastActiveAt: number;
    /** Ends the session whatever the activity [L-ABS]; set at sign-in, never extended. */
    absoluteExpiresAt: number;
    userId: string;
    /** The role this session ID was issued for; when the database says otherwise the ID is rotated [U-PRIVILEGE]. */
    role: Role;
    authenticatedAt: number;
    /** Last proof of the password (sign-in or step-up); null for a session restored by remember-me [U-REMEMBERED]. */
    reauthenticatedAt: number | null;
    /** The remember-me series (device) this session belongs to, if the device is remembered. */
    rememberSeriesId?: string;
    remembered: boolean;
    /** How this session signed in, for the devices page (absent on sessions from before it was kept). */
    signInMethod?: SignInMethod;
    ip: string;
    userAgent: string;
    /** Approximate location from a trusted proxy header (LOCATION_HEADER), if configured. */
    location: string | null;
    /** The client at sign-in; a session whose network and browser both change is suspicious [A-SUSPECT]. */
    fingerprint: { network: string; browser: string };
  }
}

export type SignInMethod = 'password' | 'password_totp' | 'password_recovery_code' | 'password_passkey' | 'passkey' | 'remember_me';

/**
 * The signed-in session a request presented, as the services need it: by its stored hash (the
 * public handle), never the cookie's ID. A snapshot: a rotation hands back a NewSession instead.
 */
export interface SignedInSession {
  readonly sid: string;
  readonly data: Readonly<SessionData>;
}

/** A session a service just stored (or moved) under a new ID, for the edge to adopt into express-session. */
export interface NewSession {
  readonly id: string;
  readonly data: SessionData;
}

/** The stored key and public handle of a session: the SHA-256 of its ID, never the ID itself [S-AT-REST]. */
export function hashSessionId(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

/** A request's session ID and its hash, worked out once: the store, the guard and @CurrentSession() all need it. */
const SESSION_HASH = Symbol('sessionHash');
type HashedRequest = Request & { [SESSION_HASH]?: { id: string; hash: string } };

/**
 * The hash of this request's session ID as it is now. Remembered for the ID it was computed for, so
 * after a rotation or a fresh session (a new req.sessionID) it is worked out again, never stale.
 */
export function sessionHashOf(req: Request): string {
  const memo = (req as HashedRequest)[SESSION_HASH];
  if (memo?.id === req.sessionID) return memo.hash;
  return rememberSessionHash(req, req.sessionID, hashSessionId(req.sessionID));
}

/** Records that `hash` is the hash of `id` (the store computed it to load the row). */
export function rememberSessionHash(req: Request, id: string, hash: string): string {
  (req as HashedRequest)[SESSION_HASH] = { id, hash };
  return hash;
}

export interface SessionTimes {
  createdAt?: number;
  lastActiveAt?: number;
  absoluteExpiresAt?: number;
}

/** Which timeout, if any, has ended the session [L-IDLE, L-ABS]. */
export function timedOutBy(session: SessionTimes, idleTimeoutSeconds: number, now = Date.now()): 'absolute_timeout' | 'idle_timeout' | undefined {
  if (session.absoluteExpiresAt !== undefined && now >= session.absoluteExpiresAt) return 'absolute_timeout';
  if (now >= sessionExpiresAt(session, idleTimeoutSeconds)) return 'idle_timeout';
  return undefined;
}

export const isoTime = (ms: number | null | undefined): string | null => (ms ? new Date(ms).toISOString() : null);

/** When the session ends unless there is activity first [L-IDLE, L-ABS]. */
export function sessionExpiresAt(session: SessionTimes, idleTimeoutSeconds: number): number {
  const lastActiveAt = session.lastActiveAt ?? session.createdAt ?? Date.now();
  const idleEnd = lastActiveAt + idleTimeoutSeconds * 1000;
  return session.absoluteExpiresAt === undefined ? idleEnd : Math.min(idleEnd, session.absoluteExpiresAt);
}
