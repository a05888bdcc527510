import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { me, renderApp } from '../test/render-app';
import { bodySentTo, reply, stubApi } from '../test/stub-api';

const unverified = { ...me, user: { ...me.user, emailVerified: false } };

describe('email verification', () => {
  afterEach(() => window.history.replaceState(null, '', '/'));

  it('shows a banner until the address is confirmed', async () => {
    stubApi({ 'GET /api/auth/me': [reply(200, unverified)] });
    renderApp('/');
    expect(await screen.findByText(/Confirm your email address: open the link we sent to/)).toBeInTheDocument();
  });

  it('confirms the address with the link’s token on a press, not on load', async () => {
    const user = userEvent.setup();
    const fetchMock = stubApi({
      'GET /api/auth/me': [reply(200, unverified), reply(200, me)],
      'GET /api/auth/csrf': [reply(200, { csrfToken: 't' })],
      'POST /api/auth/verify-email': [reply(200, { user: me.user })],
    });
    window.history.replaceState(null, '', '/verify-email#token=sel.val');
    renderApp('/verify-email');
    const button = await screen.findByRole('button', { name: 'Confirm my email address' });
    expect(fetchMock.mock.calls.some(([request]) => request.url.endsWith('/verify-email'))).toBe(false);
    await user.click(button);

    expect(await screen.findByRole('status')).toHaveTextContent('ada@example.com is confirmed.');
    expect(await bodySentTo(fetchMock, 'POST /api/auth/verify-email')).toEqual({ token: 'sel.val' });
  });
});
