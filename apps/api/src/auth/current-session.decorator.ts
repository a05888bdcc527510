import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { currentSessionOf } from '../sessions/session-lifecycle.js';

/**
 * The signed-in session as the handler starts, by its stored hash:
 * `revokeOthers(@CurrentSession() session: SignedInSession)`. Only on routes the session guard
 * protects. A handler that rotates the session goes on with what the rotation returned.
 */
export const CurrentSession = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  currentSessionOf(context.switchToHttp().getRequest<Request>()),
);
