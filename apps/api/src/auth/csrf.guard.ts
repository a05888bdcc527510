import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '../common/errors/error-codes.js';
import { tokensMatch } from '../sessions/session-lifecycle.js';
import { PreSessionCsrf } from './pre-session-csrf.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * [I-CSRF] A token on every state-changing request, sign-in included (login CSRF), sent in
 * X-CSRF-Token: a synchronizer token bound to the session once signed in, and before that one
 * bound to the pre-session cookie. SameSite=Lax is the second layer.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(@Inject(PreSessionCsrf) private readonly preSession: PreSessionCsrf) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (SAFE_METHODS.has(req.method)) return true;
    const presented = req.get('x-csrf-token');
    const valid = req.session?.userId ? tokensMatch(req.session.csrfToken, presented) : this.preSession.verify(req, presented);
    if (!valid) throw new AppError('CSRF_INVALID');
    return true;
  }
}
