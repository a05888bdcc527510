import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError, type SessionEndReason } from '../common/errors/error-codes.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { RememberMeService } from '../remember-me/remember-me.service.js';
import { timedOutBy } from '../sessions/session-data.js';
import { touchSession } from '../sessions/session-lifecycle.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { SuspiciousSessionCheck } from '../sessions/suspicious-session.js';
import type { PublicUser } from '../users/public-user.js';
import { UsersService } from '../users/users.service.js';

/** Who is making this request: resume the session, or restore a remembered device, or ask to sign in. */
@Injectable()
export class Authentication {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly rememberMe: RememberMeService,
    private readonly suspicious: SuspiciousSessionCheck,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async resume(req: Request, res: Response): Promise<PublicUser> {
    const timedOut = await this.endIfTimedOut(req);
    if (req.session?.userId) return this.resumeSession(req);
    const user = await this.rememberMe.restore(req, res);
    if (user) return user;
    throw new AppError('UNAUTHENTICATED', { reason: timedOut ?? (await this.sessions.endReasonFor(req)) });
  }

  private async resumeSession(req: Request): Promise<PublicUser> {
    // The user and role come from the database on every request, never from the session: the
    // store reads the user's row in the same query as the session [U-PRIVILEGE].
    const user = req.sessionUser !== undefined ? req.sessionUser : await this.users.find(req.session.userId!);
    if (!user) {
      await this.sessions.endCurrent(req, 'revoked');
      throw new AppError('UNAUTHENTICATED', { reason: 'revoked' });
    }
    // A privilege change: the session continues under a new ID [S-FIXATION, U-PRIVILEGE]. Parallel
    // requests that loaded it race for that; one moves the session, the others were decided
    // before and go on (requests that arrive with the old ID afterwards find nothing: 401).
    if (user.role !== req.session.role) await this.sessions.rotateId(req, { role: user.role });
    await this.suspicious.check(req, user.id);
    touchSession(req, this.config);
    return user;
  }

  /** The store never loads an expired row; this also covers timeouts shortened since the row was written. */
  private async endIfTimedOut(req: Request): Promise<SessionEndReason | undefined> {
    if (!req.session?.userId) return undefined;
    const reason = timedOutBy(req.session, this.config.session.idleTimeout);
    if (reason) await this.sessions.endCurrent(req, reason);
    return reason;
  }
}
