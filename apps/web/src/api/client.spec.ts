import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, onSessionEnded, resetCsrfToken, setReauthHandler, unwrap } from './client';
import { errorReply, reply, requestAt, requestsMade, stubApi } from '../test/stub-api';

const csrf = (token: string) => reply(200, { csrfToken: token });
const signUp = { name: 'Ada', email: 'ada@example.com', password: 'correct horse battery' };
const user = { id: 'u1', email: 'ada@example.com', name: 'Ada', role: 'user' };
const revokeSession = () => api.DELETE('/api/sessions/{id}', { params: { path: { id: 's 1' } } });

afterEach(() => setReauthHandler(null));

describe('api client', () => {
  it('sends the CSRF token, the JSON body and same-origin credentials on a POST', async () => {
    const fetchMock = stubApi({
      'GET /api/auth/csrf': [csrf('token-1')],
      'POST /api/auth/register': [reply(201, { user })],
    });

    await expect(unwrap(api.POST('/api/auth/register', { body: signUp }))).resolves.toEqual({ user });

    expect(requestsMade(fetchMock)).toEqual(['GET /api/auth/csrf', 'POST /api/auth/register']);
    const request = requestAt(fetchMock, 1);
    expect(request.credentials).toBe('same-origin');
    expect(await request.text()).toBe(JSON.stringify(signUp));
    expect(request.headers.get('X-CSRF-Token')).toBe('token-1');
    expect(request.headers.get('Content-Type')).toBe('application/json');
  });

  it('does not send a CSRF token on GET', async () => {
    const fetchMock = stubApi({ 'GET /api/sessions': [reply(200, { sessions: [] })] });
    await unwrap(api.GET('/api/sessions'));
    expect(requestsMade(fetchMock)).toEqual(['GET /api/sessions']);
    expect(requestAt(fetchMock, 0).headers.has('X-CSRF-Token')).toBe(false);
  });

  it('puts path parameters in the URL encoded, and leaves out query parameters that are not set', async () => {
    const fetchMock = stubApi({
      'GET /api/auth/csrf': [csrf('t')],
      'DELETE /api/sessions/s%201': [reply(204)],
      'GET /api/account/events': [reply(200, { events: [], nextCursor: null })],
    });
    await revokeSession();
    await api.GET('/api/account/events', { params: { query: { cursor: undefined } } });
    expect(requestsMade(fetchMock)).toEqual(['GET /api/auth/csrf', 'DELETE /api/sessions/s%201', 'GET /api/account/events']);
  });

  it('fetches the token once, caches it, and fetches again after resetCsrfToken()', async () => {
    const fetchMock = stubApi({
      'GET /api/auth/csrf': [csrf('token-1'), csrf('token-2')],
      'DELETE /api/sessions/s%201': [reply(204)],
    });

    await Promise.all([revokeSession(), revokeSession()]);
    await revokeSession();
    resetCsrfToken();
    await revokeSession();

    expect(requestsMade(fetchMock).filter((r) => r === 'GET /api/auth/csrf')).toHaveLength(2);
    const sentTokens = fetchMock.mock.calls.flatMap(([request]) =>
      request.method === 'DELETE' ? [request.headers.get('X-CSRF-Token')] : [],
    );
    expect(sentTokens).toEqual(['token-1', 'token-1', 'token-1', 'token-2']);
  });

  it('returns undefined for 204 responses', async () => {
    stubApi({ 'GET /api/auth/csrf': [csrf('t')], 'POST /api/auth/logout': [reply(204)] });
    await expect(unwrap(api.POST('/api/auth/logout'))).resolves.toBeUndefined();
  });

  it('refetches the token and retries once on CSRF_INVALID, with the same body', async () => {
    const fetchMock = stubApi({
      'GET /api/auth/csrf': [csrf('stale'), csrf('fresh')],
      'PATCH /api/account/email': [errorReply(403, 'CSRF_INVALID'), reply(200, { user })],
    });

    await expect(unwrap(api.PATCH('/api/account/email', { body: { email: 'ada@example.com' } }))).resolves.toEqual({ user });
    expect(requestAt(fetchMock, 3).headers.get('X-CSRF-Token')).toBe('fresh');
    expect(await requestAt(fetchMock, 3).text()).toBe(JSON.stringify({ email: 'ada@example.com' }));
  });

  it('gives up after one CSRF retry', async () => {
    const fetchMock = stubApi({
      'GET /api/auth/csrf': [csrf('a'), csrf('b')],
      'POST /api/auth/logout': [errorReply(403, 'CSRF_INVALID')],
    });

    await expect(api.POST('/api/auth/logout')).rejects.toMatchObject({ code: 'CSRF_INVALID', statusCode: 403 });
    expect(requestsMade(fetchMock).filter((r) => r === 'POST /api/auth/logout')).toHaveLength(2);
  });

  it('asks the re-auth handler on REAUTH_REQUIRED and retries the request once', async () => {
    const handler = vi.fn(async () => true);
    setReauthHandler(handler);
    const fetchMock = stubApi({
      'GET /api/auth/csrf': [csrf('t')],
      'POST /api/sessions/revoke-others': [errorReply(403, 'REAUTH_REQUIRED'), reply(200, { revoked: 2 })],
    });

    await expect(unwrap(api.POST('/api/sessions/revoke-others'))).resolves.toEqual({ revoked: 2 });
    expect(handler).toHaveBeenCalledTimes(1);
    expect(requestsMade(fetchMock).filter((r) => r.startsWith('POST'))).toHaveLength(2);
  });

  it('does not loop when the retried request still needs re-auth', async () => {
    const handler = vi.fn(async () => true);
    setReauthHandler(handler);
    stubApi({ 'GET /api/auth/csrf': [csrf('t')], 'DELETE /api/account': [errorReply(403, 'REAUTH_REQUIRED')] });

    await expect(api.DELETE('/api/account')).rejects.toMatchObject({ code: 'REAUTH_REQUIRED' });
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('throws the original error without retrying when the handler resolves false', async () => {
    setReauthHandler(async () => false);
    const fetchMock = stubApi({
      'GET /api/auth/csrf': [csrf('t')],
      'DELETE /api/account': [errorReply(403, 'REAUTH_REQUIRED'), reply(204)],
    });

    const error = await api.DELETE('/api/account').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ statusCode: 403, code: 'REAUTH_REQUIRED' });
    expect(requestsMade(fetchMock).filter((r) => r === 'DELETE /api/account')).toHaveLength(1);
  });

  it('tells subscribers why the session ended on a 401 with a reason', async () => {
    const listener = vi.fn();
    const unsubscribe = onSessionEnded(listener);
    stubApi({ 'GET /api/sessions': [errorReply(401, 'UNAUTHENTICATED', { reason: 'revoked' })] });

    await expect(api.GET('/api/sessions')).rejects.toMatchObject({ statusCode: 401, reason: 'revoked' });
    expect(listener).toHaveBeenCalledWith('revoked');
    unsubscribe();
  });

  it('does not report a session end for a 401 without a reason', async () => {
    const listener = vi.fn();
    const unsubscribe = onSessionEnded(listener);
    stubApi({ 'GET /api/auth/csrf': [csrf('t')], 'POST /api/auth/login': [errorReply(401, 'INVALID_CREDENTIALS')] });

    const login = api.POST('/api/auth/login', { body: { email: 'ada@example.com', password: 'wrong', rememberMe: false } });
    await expect(login).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(listener).not.toHaveBeenCalled();
    unsubscribe();
  });

  it('exposes field errors from VALIDATION_FAILED', async () => {
    const errors = [{ field: 'email', message: 'email must be an email' }];
    stubApi({ 'GET /api/auth/csrf': [csrf('t')], 'POST /api/auth/register': [errorReply(400, 'VALIDATION_FAILED', { errors })] });

    await expect(api.POST('/api/auth/register', { body: signUp })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', errors });
  });

  it("names an answer that is not the API's by its status", async () => {
    stubApi({ 'GET /api/sessions': [reply(503)], 'GET /api/admin/users': [reply(502)] });

    await expect(api.GET('/api/sessions')).rejects.toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
    await expect(api.GET('/api/admin/users')).rejects.toMatchObject({ statusCode: 502, code: 'INTERNAL_ERROR' });
  });

  it('retries once on a 401 without a reason: a parallel response may just have moved the session to a new ID', async () => {
    const fetchMock = stubApi({ 'GET /api/sessions': [errorReply(401, 'UNAUTHENTICATED'), reply(200, { sessions: [] })] });
    await expect(unwrap(api.GET('/api/sessions'))).resolves.toEqual({ sessions: [] });
    expect(requestsMade(fetchMock)).toEqual(['GET /api/sessions', 'GET /api/sessions']);
  });

  it('gives up after that one retry, and never retries a 401 that says why the session ended', async () => {
    const fetchMock = stubApi({
      'GET /api/sessions': [errorReply(401, 'UNAUTHENTICATED'), errorReply(401, 'UNAUTHENTICATED')],
      'GET /api/auth/me': [errorReply(401, 'UNAUTHENTICATED', { reason: 'revoked' })],
    });
    await expect(api.GET('/api/sessions')).rejects.toMatchObject({ statusCode: 401 });
    await expect(api.GET('/api/auth/me')).rejects.toMatchObject({ reason: 'revoked' });
    expect(requestsMade(fetchMock)).toEqual(['GET /api/sessions', 'GET /api/sessions', 'GET /api/auth/me']);
  });
});
