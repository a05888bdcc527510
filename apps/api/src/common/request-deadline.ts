import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { AppError } from './errors/error-codes.js';
import { toErrorBody } from './errors/to-error-body.js';

/** Longer than the pool's 5 s connect bound, so a refused or unreachable database answers first. */
export const REQUEST_DEADLINE_MS = 10_000;

/**
 * [I-OUTAGE] A database that stops answering (a network partition, a frozen host) raises no error:
 * a pooled connection just waits, for minutes. pg's query_timeout would free it, but a timed-out
 * query inside a Prisma interactive transaction leaves that transaction open, holding its row
 * locks, on a client returned to the pool. So the bound is on the request: not answered by the
 * deadline, it gets 503 SERVICE_UNAVAILABLE, and the work left behind finishes or fails on its own.
 *
 * Mount it before the session middleware: express-session wraps res.end to save the session
 * first, and that save would hang too, so the answer goes out through the unwrapped res.end.
 * A response already under way (a stream) is left alone.
 */
export function answerWithin(ms: number, logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const end = res.end.bind(res);
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      logger.warn({ method: req.method, url: req.originalUrl, deadlineMs: ms }, 'request passed its deadline');
      const body = toErrorBody(new AppError('SERVICE_UNAVAILABLE'));
      res.status(body.statusCode).type('application/json');
      end(JSON.stringify(body));
    }, ms);
    const clear = () => clearTimeout(timer);
    res.once('finish', clear);
    res.once('close', clear);
    next();
  };
}
