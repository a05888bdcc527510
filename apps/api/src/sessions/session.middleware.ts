import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import type pg from 'pg';
import type { AppConfig } from '../config/config.js';
import { HashedSessionStore } from './hashed-session-store.js';
import { SESSION_COOKIE } from './session-data.js';
import { COOKIE_FLAGS, newSessionId } from './session-lifecycle.js';

/**
 * express-session reads the ID from the cookie only (never a URL or body), and an ID the store
 * does not know is replaced by a fresh one, never adopted [S-FIXATION]. Anonymous visitors get
 * no row at all [A-ANON]: the store only updates rows that sign-in created.
 */
export function sessionMiddleware(config: AppConfig, pool: pg.Pool): RequestHandler {
  return session({
    name: SESSION_COOKIE,
    secret: config.sessionSecret,
    store: new HashedSessionStore(pool, config.session.idleTimeout),
    // A fresh 256-bit ID, or the one adoptSession() minted and stored in this request.
    genid: (req: Request) => req.nextSessionId ?? newSessionId(),
    resave: false,
    saveUninitialized: false,
    rolling: false,
    unset: 'destroy',
    // No maxAge: a browser-session cookie. Lifetime is enforced on the server [L-IDLE, L-ABS].
    cookie: { ...COOKIE_FLAGS },
  });
}

/**
 * Chromium treats http://localhost as a secure context and keeps Secure cookies there, but
 * express-session only sets Secure cookies on requests it believes are HTTPS. Outside production,
 * a request that reached us over loopback for a loopback host is such a context, so the cookie
 * keeps its production flags instead of `Secure` being switched off [C-FLAGS].
 */
export function localhostIsSecureContext(config: AppConfig): RequestHandler {
  const loopback = /^(::ffff:)?127\.|^::1$/;
  const loopbackHost = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/;
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!config.production && loopback.test(req.socket.remoteAddress ?? '') && loopbackHost.test(req.headers.host ?? '')) {
      Object.defineProperty(req, 'secure', { value: true });
    }
    next();
  };
}
