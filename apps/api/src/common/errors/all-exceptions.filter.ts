import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { toErrorBody } from './to-error-body.js';

/** The single global filter: every error leaves in the same shape, and 5xx errors are logged. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    sendError(host.switchToHttp().getResponse<Response>(), error, this.logger);
  }
}

export function sendError(res: Response, error: unknown, logger: Logger): void {
  const body = toErrorBody(error);
  if (body.statusCode >= 500) logger.error({ err: error }, 'request failed');
  if (res.headersSent) return;
  res.status(body.statusCode).json(body);
}
