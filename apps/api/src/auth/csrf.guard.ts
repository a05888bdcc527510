import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '../common/errors/error-codes.js';
import { tokensMatch } from '../sessions/session-lifecycle.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * [I-CSRF] A synchronizer token bound to the session, sent in X-CSRF-Token, on every
 * state-changing request, sign-in included (login CSRF). SameSite=Lax is the second layer.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (SAFE_METHODS.has(req.method)) return true;
    if (!tokensMatch(req.session?.csrfToken, req.get('x-csrf-token'))) throw new AppError('CSRF_INVALID');
    return true;
  }
}
