import { describe, expect, it } from 'vitest';
import { AppError } from './error-codes.js';
import { toErrorBody } from './to-error-body.js';

const unavailable = { statusCode: 503, code: 'SERVICE_UNAVAILABLE', message: 'The service is temporarily unavailable.' };
const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, errno: -1, syscall: 'connect' });

describe('toErrorBody', () => {
  it('keeps AppError bodies and maps body-parser errors [I-BAD]', () => {
    expect(toErrorBody(new AppError('EMAIL_TAKEN')).code).toBe('EMAIL_TAKEN');
    expect(toErrorBody({ status: 400, type: 'entity.parse.failed' }).code).toBe('VALIDATION_FAILED');
    expect(toErrorBody({ status: 413, type: 'entity.too.large' }).code).toBe('PAYLOAD_TOO_LARGE');
    expect(toErrorBody({ status: 415, type: 'charset.unsupported' }).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 500 with nothing revealed for an unknown error', () => {
    expect(toErrorBody(new Error('secret detail'))).toEqual({ statusCode: 500, code: 'INTERNAL_ERROR', message: 'Something went wrong on our side.' });
  });

  /** [I-OUTAGE] A database that is down, unreachable or silent is a 503, never a 500 or a 401. */
  it.each([
    ['refused', socketError('ECONNREFUSED')],
    ['reset', socketError('ECONNRESET')],
    ['unreachable host', socketError('EHOSTUNREACH')],
    ['broken pipe', socketError('EPIPE')],
    ['pg: connection lost mid-query', new Error('Connection terminated unexpectedly')],
    ['pg: connect timed out', new Error('Connection terminated due to connection timeout')],
    ['pg-pool: no client in time', new Error('timeout exceeded when trying to connect')],
    ['pg: query_timeout (a silent network)', new Error('Query read timeout')],
    ['pg: client closed', new Error('Client has encountered a connection error and is not queryable')],
    ['PostgreSQL shutting down', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['PostgreSQL starting up', Object.assign(new Error('the database system is starting up'), { code: '57P03' })],
    ['PostgreSQL connection failure class 08', Object.assign(new Error('connection failure'), { code: '08006' })],
    ['PostgreSQL out of connections', Object.assign(new Error('too many clients already'), { code: '53300' })],
    ['Prisma: database not reachable', Object.assign(new Error("Can't reach database server"), { code: 'P1001' })],
    ['Prisma: operation timed out', Object.assign(new Error('Operations timed out'), { code: 'P1008' })],
    ['Prisma: pool timeout', Object.assign(new Error('Timed out fetching a new connection'), { code: 'P2024' })],
    ['Prisma wrapping a pg error', Object.assign(new Error('Invalid invocation'), { cause: new Error('Query read timeout') })],
    ['several addresses refused', new AggregateError([socketError('ECONNREFUSED'), socketError('ECONNREFUSED')])],
  ])('maps %s to 503', (_, error) => {
    expect(toErrorBody(error)).toEqual(unavailable);
  });

  it('follows a cause chain that loops back on itself without hanging', () => {
    const looped = new Error('wrapper') as Error & { cause?: unknown };
    looped.cause = looped;
    expect(toErrorBody(looped).statusCode).toBe(500);
  });

  it('does not mistake a bad query for an outage', () => {
    expect(toErrorBody(Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' })).statusCode).toBe(500);
    expect(toErrorBody(Object.assign(new Error('unique violation'), { code: 'P2002' })).statusCode).toBe(500);
  });
});
