import { ServerResponse } from 'node:http';
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
 * express-session wraps res.end to save the session first, and that save would hang too, so the
 * answer goes out through Node's own res.end.
 * A response already under way (a stream) is left alone.
 */
export function answerWithin(ms: number, logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      logger.warn({ method: req.method, url: req.originalUrl, deadlineMs: ms }, 'request passed its deadline');
      const body = toErrorBody(new AppError('SERVICE_UNAVAILABLE'));
      res.status(body.statusCode).type('application/json');
      // Node's own end, not the one express-session put on res (its save may be what hangs).
      Reflect.apply(ServerResponse.prototype.end, res, [JSON.stringify(body)]);
      ignoreLateAnswers(res);
    }, ms);
    const clear = () => clearTimeout(timer);
    res.once('finish', clear);
    res.once('close', clear);
    next();
  };
}

/**
 * The handler left behind still answers when it finishes, and Nest does not look first: its headers
 * would throw "Cannot set headers after they are sent", logged as a 500 that never reached anyone.
 * Once the deadline has answered, headers and body are silently dropped, and with them
 * express-session's closing save: the client was told 503, so nothing of this request's session is
 * confirmed (what a service committed stays committed). Installed only when the deadline fires,
 * so a request answered in time carries no extra closures [issue 14: the per-request path].
 */
function ignoreLateAnswers(res: Response): void {
  const ignored = () => res;
  Object.assign(res, {
    setHeader: ignored,
    appendHeader: ignored,
    removeHeader: () => undefined,
    writeHead: ignored,
    write: () => true,
    end: ignored,
  });
}
