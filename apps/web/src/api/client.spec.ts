import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, onSessionEnded, resetCsrfToken, setReauthHandler } from './client';
import { errorReply, headersOf, reply, requestsMade, stubApi } from '../test/stub-api';

const csrf = (token: string) => reply(200, { csrfToken: token });

afterEach(() => setReauthHandler(null));

describe('api client', () => {
  it('sends the CSRF token, the JSON body and same-origin credentials on a POST', async () => {
    const fetchMock = stubApi({
      'GET /api/auth/csrf': [csrf('token-1')],
      'POST /api/things': [reply(201, { id: 't1' })],
    });

    await expect(api.post('/things', { name: 'a' })).resolves.toEqual({ id: 't1' });

    expect(requestsMade(fetchMock)).toEqual(['GET /api/auth/csrf', 'POST /api/things']);
    const init = fetchMock.mock.calls[1]?.[1];
    expect(init?.credentials).toBe('same-origin');
    expect(init?.body).toBe(JSON.stringify({ name: 'a' }));
    expect(headersOf(fetchMock, 1)).toMatchObject({ 'X-CSRF-Token': 'token-1', 'Content-Type': 'application/json' });
  });

  it('does not send a CSRF token on GET', async () => {
    const fetchMock = stubApi({ 'GET /api/things': [reply(200, [])] });
    await api.get('/things');
    expect(requestsMade(fetchMock)).toEqual(['GET /api/things']);
    expect(headersOf(fetchMock, 0)).not.toHaveProperty('X-CSRF-Token');
  });

  it('fetches the token once, caches it, and fetches again after resetCsrfToken()', async () => {
    const fetchMock = stubApi({
      'GET /api/auth/csrf': [csrf('token-1'), csrf('token-2')],
      'DELETE /api/things/1': [reply(204)],
    });

    await Promise.all([api.delete('/things/1'), api.delete('/things/1')]);
    await api.delete('/things/1');
    resetCsrfToken();
    await api.delete('/things/1');

    expect(requestsMade(fetchMock).filter((r) => r === 'GET /api/auth/csrf')).toHaveLength(2);
    const sentTokens = fetchMock.mock.calls.flatMap(([, init], call) =>
      init?.method === 'DELETE' ? [headersOf(fetchMock, call)['X-CSRF-Token']] : [],
    );
    expect(sentTokens).toEqual(['token-1', 'token-1', 'token-1', 'token-2']);
  });

  it('returns undefined for 204 responses', async () => {
    stubApi({ 'GET /api/auth/csrf': [csrf('t')], 'POST /api/auth/logout': [reply(204)] });
    await expect(api.post('/auth/logout')).resolves.toBeUndefined();
  });

  it('refetches the token and retries once on CSRF_INVALID', async () => {
    const fetchMock = stubApi({
      'GET /api/auth/csrf': [csrf('stale'), csrf('fresh')],
      'PATCH /api/things/1': [errorReply(403, 'CSRF_INVALID'), reply(200, { ok: true })],
    });

    await expect(api.patch('/things/1', {})).resolves.toEqual({ ok: true });
    expect(headersOf(fetchMock, 3)['X-CSRF-Token']).toBe('fresh');
  });

  it('gives up after one CSRF retry', async () => {
    const fetchMock = stubApi({
      'GET /api/auth/csrf': [csrf('a'), csrf('b')],
      'POST /api/things': [errorReply(403, 'CSRF_INVALID')],
    });

    await expect(api.post('/things')).rejects.toMatchObject({ code: 'CSRF_INVALID', statusCode: 403 });
    expect(requestsMade(fetchMock).filter((r) => r === 'POST /api/things')).toHaveLength(2);
  });

  it('asks the re-auth handler on REAUTH_REQUIRED and retries the request once', async () => {
    const handler = vi.fn(async () => true);
    setReauthHandler(handler);
    const fetchMock = stubApi({
      'GET /api/auth/csrf': [csrf('t')],
      'POST /api/sessions/revoke-others': [errorReply(403, 'REAUTH_REQUIRED'), reply(200, { revoked: 2 })],
    });

    await expect(api.post('/sessions/revoke-others')).resolves.toEqual({ revoked: 2 });
    expect(handler).toHaveBeenCalledTimes(1);
    expect(requestsMade(fetchMock).filter((r) => r.startsWith('POST'))).toHaveLength(2);
  });

  it('does not loop when the retried request still needs re-auth', async () => {
    const handler = vi.fn(async () => true);
    setReauthHandler(handler);
    stubApi({ 'GET /api/auth/csrf': [csrf('t')], 'DELETE /api/account': [errorReply(403, 'REAUTH_REQUIRED')] });

    await expect(api.delete('/account')).rejects.toMatchObject({ code: 'REAUTH_REQUIRED' });
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('throws the original error without retrying when the handler resolves false', async () => {
    setReauthHandler(async () => false);
    const fetchMock = stubApi({
      'GET /api/auth/csrf': [csrf('t')],
      'DELETE /api/account': [errorReply(403, 'REAUTH_REQUIRED'), reply(204)],
    });

    const error = await api.delete('/account').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ statusCode: 403, code: 'REAUTH_REQUIRED' });
    expect(requestsMade(fetchMock).filter((r) => r === 'DELETE /api/account')).toHaveLength(1);
  });

  it('tells subscribers why the session ended on a 401 with a reason', async () => {
    const listener = vi.fn();
    const unsubscribe = onSessionEnded(listener);
    stubApi({ 'GET /api/sessions': [errorReply(401, 'UNAUTHENTICATED', { reason: 'revoked' })] });

    await expect(api.get('/sessions')).rejects.toMatchObject({ statusCode: 401, reason: 'revoked' });
    expect(listener).toHaveBeenCalledWith('revoked');
    unsubscribe();
  });

  it('does not report a session end for a 401 without a reason', async () => {
    const listener = vi.fn();
    const unsubscribe = onSessionEnded(listener);
    stubApi({ 'GET /api/auth/csrf': [csrf('t')], 'POST /api/auth/login': [errorReply(401, 'INVALID_CREDENTIALS')] });

    await expect(api.post('/auth/login', {})).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(listener).not.toHaveBeenCalled();
    unsubscribe();
  });

  it('exposes field errors from VALIDATION_FAILED', async () => {
    const errors = [{ field: 'email', message: 'email must be an email' }];
    stubApi({ 'GET /api/auth/csrf': [csrf('t')], 'POST /api/auth/register': [errorReply(400, 'VALIDATION_FAILED', { errors })] });

    await expect(api.post('/auth/register', {})).rejects.toMatchObject({ code: 'VALIDATION_FAILED', errors });
  });

  it('retries once on a 401 without a reason: a parallel response may just have moved the session to a new ID', async () => {
    const fetchMock = stubApi({ 'GET /api/things': [errorReply(401, 'UNAUTHENTICATED'), reply(200, { ok: true })] });
    await expect(api.get('/things')).resolves.toEqual({ ok: true });
    expect(requestsMade(fetchMock)).toEqual(['GET /api/things', 'GET /api/things']);
  });

  it('gives up after that one retry, and never retries a 401 that says why the session ended', async () => {
    const fetchMock = stubApi({
      'GET /api/things': [errorReply(401, 'UNAUTHENTICATED'), errorReply(401, 'UNAUTHENTICATED')],
      'GET /api/other': [reply(401, { statusCode: 401, code: 'UNAUTHENTICATED', message: 'Sign in to continue.', reason: 'revoked' })],
    });
    await expect(api.get('/things')).rejects.toMatchObject({ statusCode: 401 });
    await expect(api.get('/other')).rejects.toMatchObject({ reason: 'revoked' });
    expect(requestsMade(fetchMock)).toEqual(['GET /api/things', 'GET /api/things', 'GET /api/other']);
  });
});
