import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '../common/errors/error-codes.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

/**
 * [U-STEPUP] A stolen session cookie is not enough for a critical action: the password must have
 * been proven within the step-up window. A remembered session has no such proof [U-REMEMBERED].
 */
@Injectable()
export class RecentAuthGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const { session } = context.switchToHttp().getRequest<Request>();
    if (!isRecentlyAuthenticated(session.reauthenticatedAt, this.config.stepUpWindow)) throw new AppError('REAUTH_REQUIRED');
    return true;
  }
}

export function isRecentlyAuthenticated(reauthenticatedAt: number | null | undefined, windowSeconds: number, now = Date.now()): boolean {
  return typeof reauthenticatedAt === 'number' && now - reauthenticatedAt < windowSeconds * 1000;
}
