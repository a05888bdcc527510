import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError, type SessionEndReason } from '../common/errors/error-codes.js';
import { sessionExpiresAt } from '../sessions/session-data.js';
import { regenerateSession, touchSession } from '../sessions/session-lifecycle.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { PublicUser } from '../users/public-user.js';
import { UsersService } from '../users/users.service.js';
import { IS_PUBLIC } from './public.decorator.js';

/** The one global guard: every route needs a live signed-in session unless it is @Public(). */
@Injectable()
export class SessionAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest<Request>();
    req.user = await this.resumeSession(req);
    return true;
  }

  private async resumeSession(req: Request): Promise<PublicUser> {
    if (!req.session?.userId) throw new AppError('UNAUTHENTICATED', { reason: await this.sessions.endReasonFor(req) });
    const timedOut = this.timedOut(req);
    if (timedOut) await this.end(req, timedOut);
    // The user and role come from the database on every request, never from the session [U-PRIVILEGE].
    const user = await this.users.find(req.session.userId);
    if (!user) return this.end(req, 'revoked');
    if (user.role !== req.session.role) {
      // A privilege change: this session continues under a new ID [S-FIXATION, U-PRIVILEGE].
      await regenerateSession(req);
      req.session.role = user.role;
    }
    touchSession(req, this.config.session.touchInterval);
    return user;
  }

  /** The store never loads an expired row; this also covers timeouts shortened since the row was written. */
  private timedOut(req: Request): SessionEndReason | undefined {
    const now = Date.now();
    if (req.session.absoluteExpiresAt !== undefined && now >= req.session.absoluteExpiresAt) return 'absolute_timeout';
    if (now >= sessionExpiresAt(req.session, this.config.session.idleTimeout)) return 'idle_timeout';
    return undefined;
  }

  private async end(req: Request, reason: SessionEndReason): Promise<never> {
    await this.sessions.endCurrent(req, reason);
    throw new AppError('UNAUTHENTICATED', { reason });
  }
}
