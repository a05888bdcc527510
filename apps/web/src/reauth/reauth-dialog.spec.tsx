import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { me, renderApp } from '../test/render-app';
import { bodySentTo, errorReply, reply, requestsMade, stubApi } from '../test/stub-api';

const newEmail = { user: me.user, pendingEmail: 'new@example.com' };

// The dialog is exercised the way users meet it: a step-up protected form answers REAUTH_REQUIRED.
async function changeEmailNeedingReauth(extraRoutes: Parameters<typeof stubApi>[0] = {}) {
  const user = userEvent.setup();
  const fetchMock = stubApi({
    'GET /api/auth/me': [reply(200, me)],
    'GET /api/auth/csrf': [reply(200, { csrfToken: 't' })],
    'PATCH /api/account/email': [errorReply(403, 'REAUTH_REQUIRED'), reply(200, newEmail)],
    ...extraRoutes,
  });
  renderApp('/account');
  await user.type(await screen.findByLabelText('New email'), 'new@example.com');
  const submit = screen.getByRole('button', { name: 'Change email' });
  await user.click(submit);
  const dialog = await screen.findByRole('dialog', { name: 'Confirm your password' });
  return { user, fetchMock, dialog, submit };
}

describe('ReauthDialog', () => {
  it('opens as a modal and moves focus to the password field', async () => {
    const { dialog } = await changeEmailNeedingReauth();

    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(dialog).toHaveTextContent('For your security, confirm your password to continue.');
    expect(within(dialog).getByLabelText('Password')).toHaveFocus();
  });

  it('keeps Tab inside the dialog', async () => {
    const { user, dialog } = await changeEmailNeedingReauth();
    await user.type(within(dialog).getByLabelText('Password'), 'x');

    await user.tab();
    await user.tab();
    expect(within(dialog).getByRole('button', { name: 'Confirm' })).toHaveFocus();
    await user.tab();
    expect(within(dialog).getByLabelText('Password')).toHaveFocus();
    await user.tab({ shift: true });
    expect(within(dialog).getByRole('button', { name: 'Confirm' })).toHaveFocus();
  });

  it('cancels on Escape, returns focus, and does not retry the request', async () => {
    const { user, fetchMock, submit } = await changeEmailNeedingReauth();

    await user.keyboard('{Escape}');

    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await waitFor(() => expect(submit).toHaveFocus());
    expect(await screen.findByText('Your password was not confirmed, so nothing was changed.')).toBeInTheDocument();
    expect(requestsMade(fetchMock).filter((r) => r === 'PATCH /api/account/email')).toHaveLength(1);
  });

  it('says when the password is wrong and stays open', async () => {
    const { user, dialog } = await changeEmailNeedingReauth({
      'POST /api/auth/reauth': [errorReply(401, 'INVALID_CREDENTIALS')],
    });

    await user.type(within(dialog).getByLabelText('Password'), 'wrong');
    await user.click(within(dialog).getByRole('button', { name: 'Confirm' }));

    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Incorrect password.');
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('confirms the password, then retries the original request once', async () => {
    const { user, fetchMock, dialog } = await changeEmailNeedingReauth({
      'POST /api/auth/reauth': [reply(200, {})],
    });

    await user.type(within(dialog).getByLabelText('Password'), 'correct horse battery');
    await user.click(within(dialog).getByRole('button', { name: 'Confirm' }));

    expect(await screen.findByText(/Check your new inbox: we sent a link to new@example.com/)).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(await bodySentTo(fetchMock, 'POST /api/auth/reauth')).toEqual({ password: 'correct horse battery' });
    expect(requestsMade(fetchMock).filter((r) => r === 'PATCH /api/account/email')).toHaveLength(2);
  });
});
