import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp } from '../test/render-app';
import { bodySentTo, errorReply, reply, stubApi } from '../test/stub-api';

describe('NotMePage', () => {
  afterEach(() => window.history.replaceState(null, '', '/'));

  it('signs the device out without a sign-in, then leads to a password reset', async () => {
    const user = userEvent.setup();
    const fetchMock = stubApi({
      'GET /api/auth/me': [errorReply(401, 'UNAUTHENTICATED')],
      'GET /api/auth/csrf': [reply(200, { csrfToken: 't' })],
      'POST /api/auth/not-me': [reply(204)],
    });
    window.history.replaceState(null, '', '/not-me#token=sel.val');
    renderApp('/not-me');
    await user.click(await screen.findByRole('button', { name: 'Sign that device out' }));

    expect(await screen.findByRole('status')).toHaveTextContent('That device is signed out.');
    expect(screen.getByRole('link', { name: 'Reset my password' })).toHaveAttribute('href', '/forgot-password');
    expect(await bodySentTo(fetchMock, 'POST /api/auth/not-me')).toEqual({ token: 'sel.val' });
  });
});
