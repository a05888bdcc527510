import { HttpException } from '@nestjs/common';
import { AppError, ERROR_CODES, type ErrorBody, type ErrorCode } from './error-codes.js';

const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

/** Errors from body-parser and other Express middleware carry `status`/`type` instead of being HttpExceptions. */
interface MiddlewareError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

/**
 * Maps anything thrown anywhere (guards, pipes, body-parser, Prisma) to the one error shape
 * {statusCode, code, message} [I-BAD]. Unknown errors become a 500 whose message reveals nothing.
 */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof AppError) return error.body;
  if (error instanceof HttpException) return fromStatus(error.getStatus());
  const { status, statusCode, type, expose } = (error ?? {}) as MiddlewareError;
  const httpStatus = status ?? statusCode;
  if (type === 'entity.parse.failed') return body('VALIDATION_FAILED', 'The request body is not valid JSON.');
  if (type === 'entity.too.large') return body('PAYLOAD_TOO_LARGE');
  if (httpStatus && httpStatus >= 400 && httpStatus < 500 && expose !== false) return fromStatus(httpStatus);
  if (isDatabaseUnavailable(error)) return body('SERVICE_UNAVAILABLE');
  return body('INTERNAL_ERROR');
}

function fromStatus(status: number): ErrorBody {
  const code = CODE_BY_STATUS[status];
  return code ? body(code) : { statusCode: status, code: 'VALIDATION_FAILED', message: ERROR_CODES.VALIDATION_FAILED.message };
}

function body(code: ErrorCode, message: string = ERROR_CODES[code].message): ErrorBody {
  return { statusCode: ERROR_CODES[code].status, code, message };
}

/**
 * [I-OUTAGE] The database is down, unreachable or silent: socket errors, PostgreSQL's connection
 * exceptions (class 08), shutdown and start-up (57P0x), no free connection (53300), Prisma's
 * reachability and pool timeouts, and pg's own timeouts, which carry only a message.
 */
const UNAVAILABLE_CODES = new Set([
  ...['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN'],
  ...['57P01', '57P02', '57P03', '53300'],
  ...['P1001', 'P1002', 'P1008', 'P1017', 'P2024'],
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|Query read timeout|not queryable|Connection ended/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  // Bounded: an error may name itself as its cause.
  for (let cause = error, hops = 0; cause && typeof cause === 'object' && hops < 8; cause = (cause as { cause?: unknown }).cause, hops++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
    if (cause instanceof AggregateError) return cause.errors.some(isDatabaseUnavailable);
    if (UNAVAILABLE_MESSAGES.test(String((cause as Error).message))) return true;
  }
  return false;
}
