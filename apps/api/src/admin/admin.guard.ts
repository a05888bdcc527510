import { type CanActivate, type ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '../common/errors/error-codes.js';

/** The role comes from the database on this very request, so a demotion takes effect at once [U-PRIVILEGE]. */
@Injectable()
export class AdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.switchToHttp().getRequest<Request>().user?.role !== 'admin') throw new AppError('FORBIDDEN');
    return true;
  }
}

export const AdminOnly = () => UseGuards(AdminGuard);
