import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import { pino, type Logger, type LevelWithSilent } from 'pino';

export const LOGGER = Symbol('Logger');

/**
 * Secrets never reach a log line: cookies carry session IDs and remember-me tokens,
 * and request bodies (passwords) are never logged at all.
 */
const REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
];

export function createLogger(level: LevelWithSilent): Logger {
  return pino({ level, base: { service: 'sessionkeep-api' }, redact: { paths: REDACT, censor: '[redacted]' } });
}

/**
 * Request logging with a request id, echoed to the client as X-Request-Id: one line per finished
 * request ("request completed" at info, "request errored" at error for a 5xx), shaped as pino-http
 * shaped it ({ req: { id, method, url, userAgent }, res: { statusCode }, responseTime }).
 *
 * Written out instead of pino-http because pino-http builds a child logger per request, which
 * serializes and redacts the request into its bindings up front, and prepares the line's
 * objects and message on finish even when the level drops it (LOG_LEVEL=warn in production):
 * that cost every request CPU and garbage for nothing. Here a line costs something only
 * when its level is enabled.
 */
export function requestLogger(logger: Logger) {
  return (req: IncomingMessage & { id?: string }, res: ServerResponse, next: () => void) => {
    const id = randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    // The url is read now: routers rewrite req.url while the request is handled.
    const url = req.url;
    // Health checks are polled: never logged (as pino-http's autoLogging.ignore had it).
    if (url === '/api/health') return next();
    const started = Date.now();
    res.once('close', () => {
      const failed = res.statusCode >= 500;
      const level = failed ? 'error' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const line = {
        req: { id, method: req.method, url, userAgent: req.headers['user-agent'] },
        res: { statusCode: res.statusCode },
        responseTime: Date.now() - started,
      };
      if (failed) logger.error(line, 'request errored');
      else logger.info(line, res.writableFinished ? 'request completed' : 'request aborted');
    });
    next();
  };
}

/** Lets Nest's own messages (boot, route map) go through pino as JSON too. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
