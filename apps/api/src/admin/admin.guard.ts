import { type CanActivate, type ExecutionContext, Inject, Injectable, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '../common/errors/error-codes.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { SecondFactorService } from '../mfa/second-factor.service.js';

/**
 * The role comes from the database on this very request, so a demotion takes effect at once
 * [U-PRIVILEGE]. With REQUIRE_MFA_FOR_ADMINS, a password alone never reaches an admin route: an
 * admin without a second factor is refused until they enrol one [M-CHANGE].
 */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(
    private readonly secondFactors: SecondFactorService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { user } = context.switchToHttp().getRequest<Request>();
    if (user?.role !== 'admin') throw new AppError('FORBIDDEN');
    if (this.config.mfa.requireForAdmins && (await this.secondFactors.methodsOf(user.id)).length === 0) throw new AppError('MFA_ENROLMENT_REQUIRED');
    return true;
  }
}

export const AdminOnly = () => UseGuards(AdminGuard);
