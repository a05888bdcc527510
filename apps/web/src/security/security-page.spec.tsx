import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { me, renderApp } from '../test/render-app';
import { bodySentTo, errorReply, reply, stubApi } from '../test/stub-api';

const otpauthUrl = 'otpauth://totp/Sessionkeep:ada%40example.com?issuer=Sessionkeep&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30';
const recoveryCodes = Array.from({ length: 10 }, (_, i) => `abcd${i}-efgh${i}`);

describe('SecurityPage [M-TOTP, M-RECOVERY]', () => {
  it('sets up the authenticator app from a QR code and the key, then shows the recovery codes once', async () => {
    const user = userEvent.setup();
    const fetchMock = stubApi({
      'GET /api/auth/me': [reply(200, me)],
      'GET /api/auth/csrf': [reply(200, { csrfToken: 't' })],
      'GET /api/account/mfa': [reply(200, { totp: false, recoveryCodesLeft: 0 }), reply(200, { totp: true, recoveryCodesLeft: 10 })],
      'POST /api/account/mfa/totp': [reply(201, { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', otpauthUrl })],
      'POST /api/account/mfa/totp/confirm': [errorReply(401, 'INVALID_CODE'), reply(200, { recoveryCodes })],
    });
    renderApp('/security');

    await user.click(await screen.findByRole('button', { name: 'Set up an authenticator app' }));
    const qr = await screen.findByRole('img', { name: 'QR code for the authenticator app' });
    expect(qr.querySelector('svg')).not.toBeNull();
    expect(screen.getByText('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toBeVisible();

    await user.type(screen.getByLabelText('Code from the app'), '123 456');
    await user.click(screen.getByRole('button', { name: 'Turn on' }));
    expect(await screen.findByRole('alert')).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Turn on' }));

    const list = await screen.findByRole('list', { name: 'Recovery codes' });
    expect(within(list).getAllByRole('listitem').map((item) => item.textContent)).toEqual(recoveryCodes);
    expect(screen.getByRole('link', { name: 'Download codes' })).toHaveAttribute('download', 'sessionkeep-recovery-codes.txt');
    expect(await bodySentTo(fetchMock, 'POST /api/account/mfa/totp/confirm')).toEqual({ code: '123456' });
    expect(await screen.findByText('On: signing in asks for a code from your authenticator app.')).toBeVisible();
  });

  it('sends an admin without a second factor from the admin page to set one up [M-CHANGE]', async () => {
    stubApi({
      'GET /api/auth/me': [reply(200, { ...me, user: { ...me.user, role: 'admin' } })],
      'GET /api/admin/users': [errorReply(403, 'MFA_ENROLMENT_REQUIRED')],
      'GET /api/admin/security-events': [errorReply(403, 'MFA_ENROLMENT_REQUIRED')],
      'GET /api/account/mfa': [reply(200, { totp: false, recoveryCodesLeft: 0 })],
    });
    renderApp('/admin');

    expect(await screen.findByText('Admin pages need a second factor: add a passkey or set up an authenticator app to use them.')).toBeVisible();
    expect(screen.getByTestId('location')).toHaveTextContent('/security?required=admin');
  });
});
