import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { sendError } from './errors/all-exceptions.filter.js';

/**
 * Express middleware errors (a body-parser SyntaxError, a session store that is down) never reach
 * Nest's exception filter, so each middleware is wrapped to answer in the same error shape.
 */
export function answerErrorsInShape(middleware: RequestHandler, logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    try {
      middleware(req, res, (error?: unknown) => (error ? sendError(res, error, logger) : next()));
    } catch (error) {
      sendError(res, error, logger);
    }
  };
}

/** API answers carry personal data and must not be stored by browsers or shared caches. */
export function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', 'no-store');
  next();
}
