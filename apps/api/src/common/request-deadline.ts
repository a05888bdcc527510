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
    let answered = false;
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      logger.warn({ method: req.method, url: req.originalUrl, deadlineMs: ms }, 'request passed its deadline');
      const body = toErrorBody(new AppError('SERVICE_UNAVAILABLE'));
      res.status(body.statusCode).type('application/json');
      end(JSON.stringify(body));
      answered = true;
    }, ms);
    ignoreLateAnswers(res, () => answered);
    const clear = () => clearTimeout(timer);
    res.once('finish', clear);
    res.once('close', clear);
    next();
  };
}

/**
 * The handler left behind still answers when it finishes, and Nest does not look first: its headers
 * would throw "Cannot set headers after they are sent", logged as a 500 that never reached anyone.
 * Once the deadline has answered, headers and body are silently dropped. Installed before the
 * session middleware wraps res.end and res.write, so a late res.end still saves the session.
 */
function ignoreLateAnswers(res: Response, answered: () => boolean): void {
  const setHeader = res.setHeader.bind(res);
  const appendHeader = res.appendHeader.bind(res);
  const removeHeader = res.removeHeader.bind(res);
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => Response;
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  res.setHeader = (name, value) => (answered() ? res : setHeader(name, value));
  res.appendHeader = (name, value) => (answered() ? res : appendHeader(name, value));
  res.removeHeader = (name) => (answered() ? undefined : removeHeader(name));
  res.writeHead = ((...args: unknown[]) => (answered() ? res : writeHead(...args))) as Response['writeHead'];
  res.write = ((...args: unknown[]) => (answered() ? true : write(...args))) as Response['write'];
  res.end = ((...args: unknown[]) => (answered() ? res : end(...args))) as Response['end'];
}
