import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { ClientContext } from '../common/client-context.js';

/**
 * This request's client (IP, user agent, location, fingerprint), read once by SessionAuthGuard:
 * `logout(@Client() client: ClientContext)`. Hand it to the services instead of the request.
 */
export const Client = createParamDecorator((_data: unknown, context: ExecutionContext): ClientContext => {
  const client = context.switchToHttp().getRequest<Request>().client;
  if (!client) throw new Error('@Client() used before SessionAuthGuard read the client');
  return client;
});
