import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { clientContextOf, type ClientContext } from '../common/client-context.js';
import { AppError, type SessionEndReason } from '../common/errors/error-codes.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { clearRememberCookie, readRememberCookie, setRememberCookie } from '../remember-me/remember-cookie.js';
import { RememberMeService } from '../remember-me/remember-me.service.js';
import { hashSessionId, timedOutBy } from '../sessions/session-data.js';
import { adoptSession, currentSessionOf, detachSession, forgetThisDevice, presentedSessionId, touchSession } from '../sessions/session-lifecycle.js';
import { ENDS_SESSIONS } from '../sessions/ends-sessions.decorator.js';
import { NOT_ACTIVITY } from '../sessions/not-activity.decorator.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { SuspiciousSessionCheck } from '../sessions/suspicious-session.js';
import type { PublicUser } from '../users/public-user.js';
import { UsersService } from '../users/users.service.js';
import { IS_PUBLIC } from './public.decorator.js';

/**
 * The one global guard: every route needs a live signed-in session unless it is @Public(). It is
 * also the edge where each request's client is read, once, for @Client() and the services.
 */
@Injectable()
export class SessionAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly rememberMe: RememberMeService,
    private readonly suspicious: SuspiciousSessionCheck,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const targets = [context.getHandler(), context.getClass()];
    // [I-OUTAGE] A request the deadline already answered 503 (it waited on a database that stalled
    // and came back) does nothing: a late step-up or sign-in would move the session to an ID whose
    // cookie can no longer be sent, signing out a device that was told "try again"; a late stream
    // would hold a slot of the user's cap on a closed response. Ends still happen (@EndsSessions()).
    if (http.getResponse<Response>().headersSent && !this.reflector.getAllAndOverride<boolean>(ENDS_SESSIONS, targets)) {
      throw new AppError('SERVICE_UNAVAILABLE');
    }
    req.client = clientContextOf(req, this.config.locationHeader);
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const activity = !this.reflector.getAllAndOverride<boolean>(NOT_ACTIVITY, targets);
    req.user = await this.resume(req, http.getResponse<Response>(), req.client, activity);
    return true;
  }

  /** Who is making this request: resume the session, or restore a remembered device, or ask to sign in. */
  private async resume(req: Request, res: Response, client: ClientContext, activity: boolean): Promise<PublicUser> {
    const timedOut = await this.endIfTimedOut(req);
    if (req.session?.userId) return this.resumeSession(req, res, client, activity);
    const user = await this.restore(req, res, client);
    if (user) return user;
    throw new AppError('UNAUTHENTICATED', { reason: timedOut ?? (await this.endReasonOfPresented(req)) });
  }

  private async resumeSession(req: Request, res: Response, client: ClientContext, activity: boolean): Promise<PublicUser> {
    const session = currentSessionOf(req);
    // The user and role come from the database on every request, never from the session: the
    // store reads the user's row in the same query as the session [U-PRIVILEGE].
    const user = req.sessionUser !== undefined ? req.sessionUser : await this.users.find(session.data.userId);
    if (!user) {
      await this.sessions.endSession(session.data.userId, session.sid, 'revoked');
      detachSession(req);
      throw new AppError('UNAUTHENTICATED', { reason: 'revoked' });
    }
    // A privilege change: the session continues under a new ID [S-FIXATION, U-PRIVILEGE]. Parallel
    // requests that loaded it race for that; one moves the session, the others were decided
    // before and go on (requests that arrive with the old ID afterwards find nothing: 401).
    let current = session;
    if (user.role !== session.data.role) {
      const moved = await this.sessions.rotateId(session, { role: user.role });
      if (moved) adoptSession(req, moved);
      current = currentSessionOf(req);
    }
    if (await this.suspicious.endIfSuspicious(current, client)) {
      forgetThisDevice(req, res);
      throw new AppError('UNAUTHENTICATED', { reason: 'suspicious' });
    }
    if (activity) touchSession(req, client, this.config);
    return user;
  }

  /** The store never loads an expired row; this also covers timeouts shortened since the row was written. */
  private async endIfTimedOut(req: Request): Promise<SessionEndReason | undefined> {
    if (!req.session?.userId) return undefined;
    const reason = timedOutBy(req.session, this.config.session.idleTimeout);
    if (reason) {
      await this.sessions.endSession(req.session.userId, hashSessionId(req.sessionID), reason);
      detachSession(req);
    }
    return reason;
  }

  /** A remembered device signs in again; a refused token is cleared, and the device told why when it should be. */
  private async restore(req: Request, res: Response, client: ClientContext): Promise<PublicUser | null> {
    const presented = readRememberCookie(req);
    if (!presented) return null;
    const outcome = await this.rememberMe.restore(presented, client);
    if (outcome.kind === 'refused') {
      clearRememberCookie(res);
      if (outcome.reason) throw new AppError('UNAUTHENTICATED', { reason: outcome.reason });
      return null;
    }
    adoptSession(req, outcome.session);
    setRememberCookie(res, outcome.cookie.value, outcome.cookie.maxAgeSeconds);
    return outcome.user;
  }

  /** Why the session this request presented is gone, if express-session did not load it. */
  private async endReasonOfPresented(req: Request): Promise<SessionEndReason | undefined> {
    const id = presentedSessionId(req, this.config.sessionSecret);
    return id && id !== req.sessionID ? this.sessions.endReasonOf(hashSessionId(id)) : undefined;
  }
}
