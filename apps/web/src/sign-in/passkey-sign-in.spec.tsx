import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { me, renderApp } from '../test/render-app';
import { bodySentTo, errorReply, reply, stubApi } from '../test/stub-api';

const assertion = {
  id: 'cred',
  rawId: 'cred',
  type: 'public-key',
  response: { clientDataJSON: 'cd', authenticatorData: 'ad', signature: 'sig', userHandle: 'u1' },
  clientExtensionResults: {},
};
const startAuthentication = vi.hoisted(() => vi.fn());
vi.mock('@simplewebauthn/browser', () => ({ startAuthentication, startRegistration: vi.fn() }));
const signedOut = errorReply(401, 'UNAUTHENTICATED');

describe('signing in with a passkey [M-PASSKEY]', () => {
  it('signs in with a passkey alone, "remember me" included, and goes where it was asked to', async () => {
    startAuthentication.mockResolvedValue(assertion);
    const user = userEvent.setup();
    const fetchMock = stubApi({
      'GET /api/auth/me': [signedOut, signedOut, reply(200, me)],
      'GET /api/auth/csrf': [reply(200, { csrfToken: 't' })],
      'POST /api/auth/passkey/options': [reply(200, { options: { challenge: 'abc' } })],
      'POST /api/auth/passkey': [errorReply(401, 'PASSKEY_INVALID'), reply(200, { user: me.user })],
      'GET /api/sessions': [reply(200, { sessions: [] })],
    });
    renderApp('/sign-in?returnTo=%2Fsessions');

    await user.click(await screen.findByLabelText('Remember me on this device'));
    await user.click(screen.getByRole('button', { name: 'Sign in with a passkey' }));
    expect(await screen.findByText('That passkey could not be verified. Try again.')).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Sign in with a passkey' }));
    await screen.findByRole('heading', { name: /devices/i });
    expect(startAuthentication).toHaveBeenCalledWith({ optionsJSON: { challenge: 'abc' } });
    expect(await bodySentTo(fetchMock, 'POST /api/auth/passkey')).toEqual({ credential: assertion, rememberMe: true });
  });

  it('offers the passkey as the second step when the user has one', async () => {
    startAuthentication.mockResolvedValue(assertion);
    const user = userEvent.setup();
    const fetchMock = stubApi({
      'GET /api/auth/me': [signedOut, signedOut, reply(200, me)],
      'GET /api/auth/csrf': [reply(200, { csrfToken: 't' })],
      'POST /api/auth/login': [reply(200, { mfaRequired: true, methods: ['passkey'] })],
      'POST /api/auth/login/mfa/passkey/options': [reply(200, { options: { challenge: 'def' } })],
      'POST /api/auth/login/mfa/passkey': [reply(200, { user: me.user })],
      'GET /api/sessions': [reply(200, { sessions: [] })],
    });
    renderApp('/sign-in?returnTo=%2Fsessions');
    await user.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    await user.click(await screen.findByRole('button', { name: 'Use a passkey' }));
    await screen.findByRole('heading', { name: /devices/i });
    expect(await bodySentTo(fetchMock, 'POST /api/auth/login/mfa/passkey')).toEqual({ credential: assertion });
  });

  it('lets a passkey-only user whose passkey is lost finish the second step with a recovery code [M-RECOVERY]', async () => {
    const user = userEvent.setup();
    const fetchMock = stubApi({
      'GET /api/auth/me': [signedOut, signedOut, reply(200, me)],
      'GET /api/auth/csrf': [reply(200, { csrfToken: 't' })],
      'POST /api/auth/login': [reply(200, { mfaRequired: true, methods: ['passkey', 'recovery_code'] })],
      'POST /api/auth/login/mfa': [reply(200, { user: me.user })],
      'GET /api/sessions': [reply(200, { sessions: [] })],
    });
    renderApp('/sign-in?returnTo=%2Fsessions');
    await user.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('button', { name: 'Use a passkey' })).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Use a recovery code instead' }));
    expect(screen.queryByRole('button', { name: 'Use a code from the authenticator app' })).toBeNull();
    await user.type(screen.getByLabelText('Recovery code'), 'abcd-efgh');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    await screen.findByRole('heading', { name: /devices/i });
    expect(await bodySentTo(fetchMock, 'POST /api/auth/login/mfa')).toEqual({ recoveryCode: 'abcd-efgh' });
  });

  it('offers no recovery code to a passkey-only user who has none', async () => {
    const user = userEvent.setup();
    stubApi({
      'GET /api/auth/me': [signedOut, signedOut],
      'GET /api/auth/csrf': [reply(200, { csrfToken: 't' })],
      'POST /api/auth/login': [reply(200, { mfaRequired: true, methods: ['passkey'] })],
    });
    renderApp('/sign-in');
    await user.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('button', { name: 'Use a passkey' })).toBeVisible();
    expect(screen.queryByRole('button', { name: 'Use a recovery code instead' })).toBeNull();
  });
});
