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

/**
 * Runs middleware one after the other as one router layer: each `app.use('/api', …)` layer costs
 * the router a path match, a prefix trim and a restore per request, so the API's chain is mounted
 * once. An error passed to `next` (or thrown) skips the rest and goes to the router, as between layers.
 */
export function inSeries(...handlers: RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    let i = 0;
    const step = (error?: unknown): void => {
      if (error) return next(error);
      const handler = handlers[i++];
      if (!handler) return next();
      try {
        void handler(req, res, step);
      } catch (thrown) {
        next(thrown);
      }
    };
    step();
  };
}
