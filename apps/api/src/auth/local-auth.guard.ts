import { type ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { createValidationPipe } from '../common/validation.pipe.js';
import { LoginDto } from './dto/login.dto.js';

const validation = createValidationPipe();

/**
 * Checks the email and password with passport-local. Guards run before pipes, so the body goes
 * through the global validation pipe here first: a wrong type is a 400, not a failed sign-in.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    await validation.transform(req.body ?? {}, { type: 'body', metatype: LoginDto });
    return (await super.canActivate(context)) as boolean;
  }
}
