import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../test/render-app';
import { bodySentTo, errorReply, reply, stubApi } from '../test/stub-api';

const signedOut = errorReply(401, 'UNAUTHENTICATED');

describe('ForgotPasswordPage', () => {
  it('is linked from the sign-in page', async () => {
    const user = userEvent.setup();
    stubApi({ 'GET /api/auth/me': [signedOut] });
    renderApp('/sign-in');
    await user.click(await screen.findByRole('link', { name: 'Forgot your password?' }));
    expect(await screen.findByRole('heading', { name: 'Forgot your password?' })).toBeInTheDocument();
  });

  it('sends the address and says the same thing whether or not it has an account', async () => {
    const user = userEvent.setup();
    const fetchMock = stubApi({
      'GET /api/auth/me': [signedOut],
      'GET /api/auth/csrf': [reply(200, { csrfToken: 't' })],
      'POST /api/auth/password-reset': [reply(202)],
    });
    renderApp('/forgot-password');
    await user.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await user.click(screen.getByRole('button', { name: 'Send me a link' }));

    expect(await screen.findByText(/If an account uses ada@example.com, we have sent it a link/)).toBeInTheDocument();
    expect(await bodySentTo(fetchMock, 'POST /api/auth/password-reset')).toEqual({ email: 'ada@example.com' });
  });
});
