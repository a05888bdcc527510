import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { PublicUser } from '../users/public-user.js';

/**
 * The signed-in user, as the session guard read it from the database on this request:
 * `list(@CurrentUser() user: PublicUser)`. Only on routes the guard protects (not @Public()).
 */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): PublicUser => {
  const user = context.switchToHttp().getRequest<Request>().user;
  if (!user) throw new Error('@CurrentUser() used on a route without a signed-in user (is it @Public()?)');
  return user;
});
