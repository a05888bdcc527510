import createClient from 'openapi-fetch';
import type { components, paths } from '../generated/api-schema';

/** The API's schemas, generated from apps/api/openapi.json (`npm run generate:api`). */
export type Schemas = components['schemas'];
export type SessionEndReason = Schemas['SessionEndReason'];
type ErrorBody = Schemas['ErrorBody'];

export class ApiError extends Error {
  readonly statusCode: number;
  readonly code: ErrorBody['code'];
  readonly reason?: SessionEndReason;
  readonly errors?: Schemas['FieldError'][];

  constructor(body: ErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.statusCode = body.statusCode;
    this.code = body.code;
    this.reason = body.reason;
    this.errors = body.errors;
  }
}

let csrfToken: Promise<string> | null = null;
let reauthHandler: (() => Promise<boolean>) | null = null;
const sessionEndedListeners = new Set<(reason: SessionEndReason) => void>();

/** Drop the cached token; the server rotates it on sign-in, sign-up, re-auth and sign-out. */
export function resetCsrfToken(): void {
  csrfToken = null;
}

/** The handler asks the user for their password and resolves true once the server confirmed it. */
export function setReauthHandler(handler: (() => Promise<boolean>) | null): void {
  reauthHandler = handler;
}

/** Called when a response says this device's session ended, with the server's reason. */
export function onSessionEnded(listener: (reason: SessionEndReason) => void): () => void {
  sessionEndedListeners.add(listener);
  return () => sessionEndedListeners.delete(listener);
}

/** Tells the listeners that this device's session ended, as a 401 with a reason does; the live stream calls it too. */
export function sessionEnded(reason: SessionEndReason): void {
  sessionEndedListeners.forEach((listener) => listener(reason));
}

function getCsrfToken(): Promise<string> {
  csrfToken ??= unwrap(api.GET('/api/auth/csrf')).then(
    ({ csrfToken: token }) => token,
    (error: unknown) => {
      csrfToken = null;
      throw error;
    },
  );
  return csrfToken;
}

async function toApiError(response: Response): Promise<ApiError> {
  try {
    return new ApiError((await response.json()) as ErrorBody);
  } catch {
    // Not an answer of the API's (a proxy's error page): name it by its status.
    const code = response.status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_ERROR';
    return new ApiError({ statusCode: response.status, code, message: response.statusText || 'Request failed' });
  }
}

interface Attempt {
  csrfRetried: boolean;
  reauthRetried: boolean;
  movedRetried: boolean;
}

/** openapi-fetch's transport: adds the CSRF token, retries what a second try can fix, throws the rest as ApiError. */
async function send(
  request: Request,
  attempt: Attempt = { csrfRetried: false, reauthRetried: false, movedRetried: false },
): Promise<Response> {
  // A copy is sent, so the original (its body unread) is there for a retry.
  const sent = request.clone();
  // [I-CSRF] Every state-changing request carries the session-bound token on top of SameSite.
  if (request.method !== 'GET') sent.headers.set('X-CSRF-Token', await getCsrfToken());
  const response = await fetch(sent);
  if (response.ok) return response;

  const error = await toApiError(response);
  if (error.code === 'CSRF_INVALID' && !attempt.csrfRetried) {
    resetCsrfToken();
    return send(request, { ...attempt, csrfRetried: true });
  }
  if (error.code === 'REAUTH_REQUIRED' && !attempt.reauthRetried && reauthHandler) {
    if (await reauthHandler()) return send(request, { ...attempt, reauthRetried: true });
    throw error;
  }
  // A 401 without a reason is an ID the server no longer knows. When a parallel response has just
  // moved this browser's session to a new ID (step-up, a role change), the retry carries the new
  // cookie and succeeds; otherwise it fails the same way and the caller signs the user out.
  if (error.code === 'UNAUTHENTICATED' && !error.reason && !attempt.movedRetried) {
    return send(request, { ...attempt, movedRetried: true });
  }
  if (error.statusCode === 401 && error.reason) sessionEnded(error.reason);
  throw error;
}

/** The typed client: `api.GET('/api/sessions')`, paths and bodies checked against the API's document. */
export const api = createClient<paths>({
  // Absolute, for a Request outside a browser too (the tests); it is this page's own origin.
  baseUrl: globalThis.location.origin,
  credentials: 'same-origin',
  headers: { Accept: 'application/json' },
  fetch: (request) => send(request),
});

/** The response body of a call; a failed request has already thrown its ApiError. */
export async function unwrap<T>(call: Promise<{ data?: T }>): Promise<T> {
  return (await call).data as T;
}
