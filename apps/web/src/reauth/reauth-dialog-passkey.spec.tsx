import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { me, renderApp } from '../test/render-app';
import { bodySentTo, errorReply, reply, requestsMade, stubApi } from '../test/stub-api';

const assertion = {
  id: 'cred',
  rawId: 'cred',
  type: 'public-key',
  response: { clientDataJSON: 'cd', authenticatorData: 'ad', signature: 'sig' },
  clientExtensionResults: {},
};
const startAuthentication = vi.hoisted(() => vi.fn());
vi.mock('@simplewebauthn/browser', () => ({ startAuthentication, startRegistration: vi.fn() }));

describe('ReauthDialog with a passkey [M-STEPUP]', () => {
  it('offers the passkey first, steps up with it, and retries the request', async () => {
    startAuthentication.mockResolvedValue(assertion);
    const user = userEvent.setup();
    const fetchMock = stubApi({
      'GET /api/auth/me': [reply(200, me)],
      'GET /api/auth/csrf': [reply(200, { csrfToken: 't' })],
      'GET /api/account/mfa': [reply(200, { totp: false, recoveryCodesLeft: 0 })],
      'GET /api/account/passkeys': [reply(200, { passkeys: [{ id: 'p1', name: 'Laptop', createdAt: '2026-11-01T00:00:00Z', lastUsedAt: null, backedUp: false }] })],
      'PATCH /api/account/email': [errorReply(403, 'REAUTH_REQUIRED'), reply(200, { user: me.user, pendingEmail: 'new@example.com' })],
      'POST /api/auth/reauth/passkey/options': [reply(200, { options: { challenge: 'abc', rpId: 'localhost' } })],
      'POST /api/auth/reauth/passkey': [reply(200, { session: me.session })],
    });
    renderApp('/account');
    await user.type(await screen.findByLabelText('New email'), 'new@example.com');
    await user.click(screen.getByRole('button', { name: 'Change email' }));

    const dialog = await screen.findByRole('dialog', { name: 'Confirm it is you' });
    const usePasskey = within(dialog).getByRole('button', { name: 'Use a passkey' });
    await waitFor(() => expect(usePasskey).toHaveFocus());
    expect(within(dialog).getByLabelText('Password')).toBeInTheDocument();
    await user.click(usePasskey);

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(startAuthentication).toHaveBeenCalledWith({ optionsJSON: { challenge: 'abc', rpId: 'localhost' } });
    expect(await bodySentTo(fetchMock, 'POST /api/auth/reauth/passkey')).toEqual({ credential: assertion });
    await waitFor(() => expect(requestsMade(fetchMock).filter((r) => r === 'PATCH /api/account/email')).toHaveLength(2));
  });

  it('says so when the passkey is cancelled in the browser, and keeps the password as another way', async () => {
    startAuthentication.mockRejectedValue(Object.assign(new Error('cancelled'), { name: 'NotAllowedError' }));
    const user = userEvent.setup();
    stubApi({
      'GET /api/auth/me': [reply(200, me)],
      'GET /api/auth/csrf': [reply(200, { csrfToken: 't' })],
      'GET /api/account/mfa': [reply(200, { totp: false, recoveryCodesLeft: 0 })],
      'GET /api/account/passkeys': [reply(200, { passkeys: [{ id: 'p1', name: 'Laptop', createdAt: '2026-11-01T00:00:00Z', lastUsedAt: null, backedUp: false }] })],
      'PATCH /api/account/email': [errorReply(403, 'REAUTH_REQUIRED')],
      'POST /api/auth/reauth/passkey/options': [reply(200, { options: { challenge: 'abc' } })],
    });
    renderApp('/account');
    await user.type(await screen.findByLabelText('New email'), 'new@example.com');
    await user.click(screen.getByRole('button', { name: 'Change email' }));
    const dialog = await screen.findByRole('dialog', { name: 'Confirm it is you' });
    await user.click(within(dialog).getByRole('button', { name: 'Use a passkey' }));
    expect(await within(dialog).findByText('No passkey was used. Try again, or use another way.')).toBeVisible();
    expect(within(dialog).getByLabelText('Password')).toBeInTheDocument();
  });
});
