import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { me, renderApp } from '../test/render-app';
import { bodySentTo, errorReply, reply, stubApi } from '../test/stub-api';

const signedOut = errorReply(401, 'UNAUTHENTICATED');

describe('SignInPage', () => {
  it('says in words why the session ended', async () => {
    stubApi({ 'GET /api/auth/me': [signedOut] });
    renderApp('/sign-in?reason=revoked');

    expect(await screen.findByRole('status')).toHaveTextContent('You were signed out from another device.');
  });

  it('shows no text for a reason it does not know', async () => {
    stubApi({ 'GET /api/auth/me': [signedOut] });
    renderApp('/sign-in?reason=Call%20support%20at%20555');

    await screen.findByRole('heading', { name: 'Sign in' });
    expect(screen.getByRole('status')).toBeEmptyDOMElement();
  });

  it('keeps the typed email and clears the password after a failed attempt', async () => {
    const user = userEvent.setup();
    stubApi({
      'GET /api/auth/me': [signedOut],
      'GET /api/auth/csrf': [reply(200, { csrfToken: 't' })],
      'POST /api/auth/login': [errorReply(401, 'INVALID_CREDENTIALS')],
    });
    renderApp('/sign-in');

    await user.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'wrong password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Email or password is incorrect.');
    expect(screen.getByLabelText('Email')).toHaveValue('ada@example.com');
    expect(screen.getByLabelText('Password')).toHaveValue('');
  });

  it('asks for the second factor when the password was right and one is owed, then signs in [M-SIGNIN]', async () => {
    const user = userEvent.setup();
    const fetchMock = stubApi({
      'GET /api/auth/me': [signedOut, signedOut, reply(200, me)],
      'GET /api/auth/csrf': [reply(200, { csrfToken: 't' })],
      'POST /api/auth/login': [reply(200, { mfaRequired: true, methods: ['totp', 'recovery_code'] })],
      'POST /api/auth/login/mfa': [errorReply(401, 'INVALID_CODE'), reply(200, { user: me.user })],
      'GET /api/sessions': [reply(200, { sessions: [] })],
    });
    renderApp('/sign-in?returnTo=%2Fsessions');

    await user.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    const code = await screen.findByLabelText('Authentication code');
    expect(code).toHaveFocus();
    await user.type(code, '000000');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('That code is not valid, or was already used.');

    await user.click(screen.getByRole('button', { name: 'Use a recovery code instead' }));
    await user.type(screen.getByLabelText('Recovery code'), 'abcde-fghij');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    await screen.findByRole('heading', { name: /devices/i });
    expect(await bodySentTo(fetchMock, 'POST /api/auth/login/mfa')).toEqual({ code: '000000' });
  });

  it.each([
    ['/sessions', '/sessions'],
    ['//evil.com', '/'],
  ])('after signing in with returnTo=%s it goes to %s', async (returnTo, expected) => {
    const user = userEvent.setup();
    const fetchMock = stubApi({
      // Signed out (the client retries a reasonless 401 once), then signed in after the form.
      'GET /api/auth/me': [signedOut, signedOut, reply(200, me)],
      'GET /api/auth/csrf': [reply(200, { csrfToken: 't' })],
      'POST /api/auth/login': [reply(200, { user: me.user })],
      'GET /api/sessions': [reply(200, { sessions: [] })],
    });
    renderApp(`/sign-in?returnTo=${encodeURIComponent(returnTo)}`);

    await user.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.click(screen.getByLabelText('Remember me on this device'));
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(new RegExp(`^${expected}$`)));
    expect(await bodySentTo(fetchMock, 'POST /api/auth/login')).toEqual({
      email: 'ada@example.com',
      password: 'correct horse battery',
      rememberMe: true,
    });
  });
});
