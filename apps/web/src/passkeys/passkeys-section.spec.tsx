import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { me, renderApp } from '../test/render-app';
import { bodySentTo, reply, requestsMade, stubApi } from '../test/stub-api';

const registration = {
  id: 'cred',
  rawId: 'cred',
  type: 'public-key',
  response: { clientDataJSON: 'cd', attestationObject: 'ao', transports: ['internal'] },
  clientExtensionResults: {},
};
const startRegistration = vi.hoisted(() => vi.fn());
vi.mock('@simplewebauthn/browser', () => ({ startRegistration, startAuthentication: vi.fn() }));

const laptop = { id: '6f1c0b1e-0000-4000-8000-000000000001', name: 'Laptop', createdAt: '2026-11-01T10:00:00Z', lastUsedAt: '2026-11-20T10:00:00Z', backedUp: false };
const phone = { id: '6f1c0b1e-0000-4000-8000-000000000002', name: 'Phone', createdAt: '2026-12-01T10:00:00Z', lastUsedAt: null, backedUp: true };

describe('PasskeysSection [M-PASSKEY]', () => {
  it('lists passkeys with their dates, adds one with a name through the browser, and removes one', async () => {
    startRegistration.mockResolvedValue(registration);
    const user = userEvent.setup();
    const fetchMock = stubApi({
      'GET /api/auth/me': [reply(200, me)],
      'GET /api/auth/csrf': [reply(200, { csrfToken: 't' })],
      'GET /api/account/mfa': [reply(200, { totp: false, recoveryCodesLeft: 0 })],
      'GET /api/account/passkeys': [reply(200, { passkeys: [laptop] }), reply(200, { passkeys: [laptop, phone] })],
      'POST /api/account/passkeys/options': [reply(200, { options: { challenge: 'abc', user: { id: 'u1' } } })],
      'POST /api/account/passkeys': [reply(201, phone)],
      [`DELETE /api/account/passkeys/${laptop.id}`]: [reply(204)],
    });
    renderApp('/security');

    const section = await screen.findByRole('region', { name: 'Passkeys' });
    expect(await within(section).findByText('Laptop', { selector: 'strong' })).toBeVisible();
    expect(within(section).getByText(/Added .*2026 · last used .*2026/)).toBeVisible();

    await user.type(within(section).getByLabelText('Passkey name'), 'Phone');
    await user.click(within(section).getByRole('button', { name: 'Add a passkey' }));
    expect(await within(section).findByText('Passkey added. Your other devices were signed out.')).toBeVisible();
    expect(startRegistration).toHaveBeenCalledWith({ optionsJSON: { challenge: 'abc', user: { id: 'u1' } } });
    expect(await bodySentTo(fetchMock, 'POST /api/account/passkeys')).toEqual({ name: 'Phone', credential: registration });
    expect(await within(section).findByText(/never used/)).toBeVisible();
    // A passkey that brought no codes shows none.
    expect(within(section).queryByRole('list', { name: 'Recovery codes' })).toBeNull();

    await user.click(within(section).getByRole('button', { name: 'Remove Laptop' }));
    expect(await within(section).findByText('Passkey “Laptop” removed. Your other devices were signed out.')).toBeVisible();
    expect(requestsMade(fetchMock)).toContain(`DELETE /api/account/passkeys/${laptop.id}`);
  });

  it('shows the recovery codes a first passkey brings, once, with copy and download [M-RECOVERY]', async () => {
    startRegistration.mockResolvedValue(registration);
    const recoveryCodes = Array.from({ length: 10 }, (_, i) => `wxyz${i}-abcd${i}`);
    const user = userEvent.setup();
    stubApi({
      'GET /api/auth/me': [reply(200, me)],
      'GET /api/auth/csrf': [reply(200, { csrfToken: 't' })],
      'GET /api/account/mfa': [reply(200, { totp: false, recoveryCodesLeft: 0 }), reply(200, { totp: false, recoveryCodesLeft: 10 })],
      'GET /api/account/passkeys': [reply(200, { passkeys: [] }), reply(200, { passkeys: [phone] })],
      'POST /api/account/passkeys/options': [reply(200, { options: { challenge: 'abc', user: { id: 'u1' } } })],
      'POST /api/account/passkeys': [reply(201, { ...phone, recoveryCodes })],
    });
    renderApp('/security');

    const section = await screen.findByRole('region', { name: 'Passkeys' });
    await user.type(within(section).getByLabelText('Passkey name'), 'Phone');
    await user.click(within(section).getByRole('button', { name: 'Add a passkey' }));
    expect(await within(section).findByText('Passkey added. Your other devices were signed out.')).toBeVisible();
    const list = within(section).getByRole('list', { name: 'Recovery codes' });
    expect(within(list).getAllByRole('listitem').map((item) => item.textContent)).toEqual(recoveryCodes);
    expect(within(section).getByText(/they will not be shown again/)).toBeVisible();
    expect(within(section).getByRole('button', { name: 'Copy codes' })).toBeVisible();
    expect(within(section).getByRole('link', { name: 'Download codes' })).toHaveAttribute('download', 'sessionkeep-recovery-codes.txt');
    // With a passkey as the only factor, the codes can be made anew.
    const codes = await screen.findByRole('region', { name: 'Recovery codes' });
    expect(await within(codes).findByRole('button', { name: 'Make new recovery codes' })).toBeVisible();
  });

  it('says so when the browser cancels the passkey, and sends nothing to register', async () => {
    startRegistration.mockRejectedValue(Object.assign(new Error('cancelled'), { name: 'NotAllowedError' }));
    const user = userEvent.setup();
    const fetchMock = stubApi({
      'GET /api/auth/me': [reply(200, me)],
      'GET /api/auth/csrf': [reply(200, { csrfToken: 't' })],
      'GET /api/account/mfa': [reply(200, { totp: false, recoveryCodesLeft: 0 })],
      'GET /api/account/passkeys': [reply(200, { passkeys: [] })],
      'POST /api/account/passkeys/options': [reply(200, { options: { challenge: 'abc' } })],
    });
    renderApp('/security');
    const section = await screen.findByRole('region', { name: 'Passkeys' });
    await user.type(within(section).getByLabelText('Passkey name'), 'Phone');
    await user.click(within(section).getByRole('button', { name: 'Add a passkey' }));
    expect(await within(section).findByText('No passkey was used. Try again, or use another way.')).toBeVisible();
    expect(requestsMade(fetchMock)).not.toContain('POST /api/account/passkeys');
  });
});
