import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { me, renderApp } from '../test/render-app';
import { errorReply, reply, stubApi } from '../test/stub-api';

const location = () => screen.getByTestId('location');

describe('auth state', () => {
  it('sends signed-out visitors of a protected screen to sign in, keeping where they were going', async () => {
    stubApi({ 'GET /api/auth/me': [errorReply(401, 'UNAUTHENTICATED')] });
    renderApp('/activity?page=2');

    await waitFor(() => expect(location()).toHaveTextContent('/sign-in?returnTo=%2Factivity%3Fpage%3D2'));
  });

  it('goes to the sign-in page with the reason when the server ends the session', async () => {
    const user = userEvent.setup();
    stubApi({
      'GET /api/auth/me': [reply(200, me)],
      'GET /api/account/events': [errorReply(401, 'UNAUTHENTICATED', { reason: 'idle_timeout' })],
    });
    renderApp('/');

    await user.click(await screen.findByRole('link', { name: /Security activity/ }));

    await waitFor(() => expect(location()).toHaveTextContent('/sign-in?reason=idle_timeout'));
    expect(screen.getByRole('status')).toHaveTextContent('You were signed out after a period of inactivity.');
  });

  it('signs out, and tells the other tabs', async () => {
    const user = userEvent.setup();
    const otherTab = new BroadcastChannel('sessionkeep-auth');
    const messages: unknown[] = [];
    otherTab.onmessage = (event: MessageEvent) => messages.push(event.data);
    stubApi({
      'GET /api/auth/me': [reply(200, me)],
      'GET /api/auth/csrf': [reply(200, { csrfToken: 't' })],
      'POST /api/auth/logout': [reply(204)],
    });
    renderApp('/');

    await user.click(await screen.findByRole('button', { name: 'Sign out' }));

    await waitFor(() => expect(location()).toHaveTextContent('/sign-in?reason=signed_out'));
    await waitFor(() => expect(messages).toEqual([{ type: 'signed-out' }]));
    otherTab.close();
  });

  it('follows a sign-out in another tab at once', async () => {
    stubApi({ 'GET /api/auth/me': [reply(200, me)] });
    renderApp('/');
    await screen.findByRole('heading', { name: 'Welcome, Ada Lovelace' });

    const otherTab = new BroadcastChannel('sessionkeep-auth');
    otherTab.postMessage({ type: 'signed-out' });
    otherTab.close();

    await waitFor(() => expect(location()).toHaveTextContent('/sign-in?reason=signed_out'));
    expect(screen.getByRole('status')).toHaveTextContent('You signed out.');
  });
});
