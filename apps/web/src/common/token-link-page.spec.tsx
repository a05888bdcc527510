import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp } from '../test/render-app';
import { errorReply, reply, stubApi } from '../test/stub-api';

// Both emailed-link pages are TokenLinkPage: "This wasn't me" and "Confirm your email address".
describe('TokenLinkPage', () => {
  afterEach(() => window.history.replaceState(null, '', '/'));

  it.each(['/not-me', '/verify-email'])('%s without its token says the link is incomplete and offers no button', async (path) => {
    stubApi({ 'GET /api/auth/me': [errorReply(401, 'UNAUTHENTICATED')] });
    window.history.replaceState(null, '', path);
    renderApp(path);
    expect(await screen.findByRole('alert')).toHaveTextContent('This link is incomplete. Open the link from the email again.');
    expect(screen.queryByRole('button', { name: /Sign that device out|Confirm my email address/ })).not.toBeInTheDocument();
  });

  it('takes the token out of the address bar, and shows a used link’s error beside the button', async () => {
    const user = userEvent.setup();
    stubApi({
      'GET /api/auth/me': [errorReply(401, 'UNAUTHENTICATED')],
      'GET /api/auth/csrf': [reply(200, { csrfToken: 't' })],
      'POST /api/auth/not-me': [errorReply(400, 'LINK_INVALID', { message: 'This link is invalid or has expired.' })],
    });
    window.history.replaceState(null, '', '/not-me#token=sel.val');
    renderApp('/not-me');
    await user.click(await screen.findByRole('button', { name: 'Sign that device out' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('This link is invalid or has expired.');
    expect(window.location.hash).toBe('');
    expect(screen.getByRole('button', { name: 'Sign that device out' })).toBeInTheDocument();
  });
});
