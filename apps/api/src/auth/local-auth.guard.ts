import { type ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Request } from 'express';
import { AppError } from '../common/errors/error-codes.js';
import { LoginDto } from './dto/login.dto.js';

/**
 * Checks the email and password with passport-local. Guards run before pipes, so the body is
 * validated here first: a wrong type is a 400, not a failed sign-in.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const errors = await validate(plainToInstance(LoginDto, req.body ?? {}), { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) {
      throw new AppError('VALIDATION_FAILED', {
        errors: errors.flatMap((e) => Object.values(e.constraints ?? {}).map((message) => ({ field: e.property, message }))),
      });
    }
    return (await super.canActivate(context)) as boolean;
  }
}
