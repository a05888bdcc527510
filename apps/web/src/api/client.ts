import type { ErrorBody, ErrorCode, FieldError, SessionEndReason } from './types';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export class ApiError extends Error {
  readonly statusCode: number;
  readonly code: ErrorCode | 'UNKNOWN_ERROR';
  readonly reason?: SessionEndReason;
  readonly errors?: FieldError[];

  constructor(body: Omit<ErrorBody, 'code'> & { code: ApiError['code'] }) {
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

function getCsrfToken(): Promise<string> {
  csrfToken ??= fetchCsrfToken().catch((error: unknown) => {
    csrfToken = null;
    throw error;
  });
  return csrfToken;
}

async function fetchCsrfToken(): Promise<string> {
  const response = await send('GET', '/auth/csrf');
  if (!response.ok) throw await toApiError(response);
  const { csrfToken: token } = (await response.json()) as { csrfToken: string };
  return token;
}

async function send(method: Method, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  // [I-CSRF] Every state-changing request carries the session-bound token on top of SameSite.
  if (method !== 'GET') headers['X-CSRF-Token'] = await getCsrfToken();
  return fetch(`/api${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
}

async function toApiError(response: Response): Promise<ApiError> {
  try {
    return new ApiError((await response.json()) as ErrorBody);
  } catch {
    const code = response.status === 503 ? 'SERVICE_UNAVAILABLE' : 'UNKNOWN_ERROR';
    return new ApiError({ statusCode: response.status, code, message: response.statusText || 'Request failed' });
  }
}

interface Attempt {
  csrfRetried: boolean;
  reauthRetried: boolean;
  movedRetried: boolean;
}

async function request<T>(
  method: Method,
  path: string,
  body?: unknown,
  attempt: Attempt = { csrfRetried: false, reauthRetried: false, movedRetried: false },
): Promise<T> {
  const response = await send(method, path, body);
  if (response.ok) return (response.status === 204 ? undefined : await response.json()) as T;

  const error = await toApiError(response);
  if (error.code === 'CSRF_INVALID' && !attempt.csrfRetried) {
    resetCsrfToken();
    return request(method, path, body, { ...attempt, csrfRetried: true });
  }
  if (error.code === 'REAUTH_REQUIRED' && !attempt.reauthRetried && reauthHandler) {
    if (await reauthHandler()) return request(method, path, body, { ...attempt, reauthRetried: true });
    throw error;
  }
  // A 401 without a reason is an ID the server no longer knows. When a parallel response has just
  // moved this browser's session to a new ID (step-up, a role change), the retry carries the new
  // cookie and succeeds; otherwise it fails the same way and the caller signs the user out.
  if (error.code === 'UNAUTHENTICATED' && !error.reason && !attempt.movedRetried) {
    return request(method, path, body, { ...attempt, movedRetried: true });
  }
  if (error.statusCode === 401 && error.reason) {
    const { reason } = error;
    sessionEndedListeners.forEach((listener) => listener(reason));
  }
  throw error;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
};
