import { SetMetadata } from '@nestjs/common';
import type { ErrorCode } from '../common/errors/error-codes.js';

export const API_ERRORS = 'openapi:errors';

/**
 * The error codes a route answers with for its own reasons (a wrong password, a taken email).
 * Those its access brings (401 without a session, 403 CSRF_INVALID on unsafe methods, step-up,
 * admin) are added by the document itself from the route's guards, so no route can forget them.
 */
export const ApiErrors = (...codes: ErrorCode[]) => SetMetadata(API_ERRORS, codes);
