import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp } from '../test/render-app';
import { bodySentTo, errorReply, reply, stubApi } from '../test/stub-api';

const signedOut = errorReply(401, 'UNAUTHENTICATED');

/** The emailed link: the token rides in the fragment, which the page reads from the real URL. */
function openLink(path: string) {
  window.history.replaceState(null, '', path);
  renderApp(path.split('#')[0]!);
}

describe('ResetPasswordPage', () => {
  afterEach(() => window.history.replaceState(null, '', '/'));

  it('posts the fragment token with the new password, takes the token out of the address bar, and sends the user to sign in', async () => {
    const user = userEvent.setup();
    const fetchMock = stubApi({
      'GET /api/auth/me': [signedOut],
      'GET /api/auth/csrf': [reply(200, { csrfToken: 't' })],
      'POST /api/auth/password-reset/confirm': [reply(204)],
    });
    openLink('/reset-password#token=sel.val');
    expect(window.location.hash).toBe('');
    await user.type(await screen.findByLabelText('New password'), 'a brand new passphrase');
    await user.click(screen.getByRole('button', { name: 'Set new password' }));

    expect(await screen.findByText(/every device that was signed in has been signed out/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Sign in with your new password' })).toHaveAttribute('href', '/sign-in');
    expect(await bodySentTo(fetchMock, 'POST /api/auth/password-reset/confirm')).toEqual({ token: 'sel.val', newPassword: 'a brand new passphrase' });
  });

  it('says so when the link has expired or was used, and offers a new one', async () => {
    const user = userEvent.setup();
    stubApi({
      'GET /api/auth/me': [signedOut],
      'GET /api/auth/csrf': [reply(200, { csrfToken: 't' })],
      'POST /api/auth/password-reset/confirm': [errorReply(400, 'LINK_INVALID', { message: 'This link does not work any more.' })],
    });
    openLink('/reset-password#token=sel.val');
    await user.type(await screen.findByLabelText('New password'), 'a brand new passphrase');
    await user.click(screen.getByRole('button', { name: 'Set new password' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('This link does not work any more.');
    expect(screen.getByRole('link', { name: 'Ask for a new one' })).toHaveAttribute('href', '/forgot-password');
  });

  it('explains a link without its token', async () => {
    stubApi({ 'GET /api/auth/me': [signedOut] });
    openLink('/reset-password');
    expect(await screen.findByRole('alert')).toHaveTextContent('This link is incomplete.');
  });
});
