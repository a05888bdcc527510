import { HttpException } from '@nestjs/common';

/** Every error code the API can answer with, and its status. Clients switch on `code`. */
export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 400, message: 'The request is not valid.' },
  UNAUTHENTICATED: { status: 401, message: 'Sign in to continue.' },
  INVALID_CREDENTIALS: { status: 401, message: 'Email or password is incorrect.' },
  INVALID_CODE: { status: 401, message: 'The code is not valid, or was already used.' },
  PASSKEY_INVALID: { status: 401, message: 'The passkey could not be verified.' },
  CSRF_INVALID: { status: 403, message: 'The CSRF token is missing or does not match this session.' },
  REAUTH_REQUIRED: { status: 403, message: 'Confirm your password to continue.' },
  FORBIDDEN: { status: 403, message: 'You are not allowed to do this.' },
  MFA_ENROLMENT_REQUIRED: { status: 403, message: 'Turn on a second factor to continue.' },
  NOT_FOUND: { status: 404, message: 'Not found.' },
  LINK_INVALID: { status: 400, message: 'This link does not work any more: it has expired or was already used. Ask for a new one.' },
  EMAIL_TAKEN: { status: 409, message: 'An account with this email already exists.' },
  MFA_ALREADY_ENABLED: { status: 409, message: 'The authenticator app is already on.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the request body as application/json.' },
  TOO_MANY_REQUESTS: { status: 429, message: 'Too many attempts. Try again later.' },
  INTERNAL_ERROR: { status: 500, message: 'Something went wrong on our side.' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'The service is temporarily unavailable.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Why a session ended; sent as `reason` on 401 so the device can tell its user. */
export type SessionEndReason =
  | 'signed_out'
  | 'revoked'
  | 'idle_timeout'
  | 'absolute_timeout'
  | 'password_changed'
  | 'suspicious'
  | 'evicted'
  | 'theft';

export interface ErrorBody {
  statusCode: number;
  code: ErrorCode;
  message: string;
  reason?: SessionEndReason;
  errors?: { field: string; message: string }[];
}

/** The one exception type features throw: `throw new AppError('EMAIL_TAKEN')`. */
export class AppError extends HttpException {
  constructor(
    readonly code: ErrorCode,
    extra: { message?: string; reason?: SessionEndReason; errors?: ErrorBody['errors'] } = {},
  ) {
    const { status, message } = ERROR_CODES[code];
    const body: ErrorBody = { statusCode: status, code, message: extra.message ?? message };
    if (extra.reason) body.reason = extra.reason;
    if (extra.errors) body.errors = extra.errors;
    super(body, status);
  }

  get body(): ErrorBody {
    return this.getResponse() as ErrorBody;
  }
}
