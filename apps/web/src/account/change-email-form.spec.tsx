import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { me, renderApp } from '../test/render-app';
import { reply, requestsMade, stubApi, type Reply } from '../test/stub-api';

function deferred() {
  let settle!: (reply: Reply) => void;
  const promise = new Promise<Reply>((resolve) => (settle = resolve));
  return { promise, settle };
}

const changed = (email: string) => ({ user: me.user, pendingEmail: email });

async function openChangeEmail(save: Promise<Reply>) {
  const user = userEvent.setup();
  const fetchMock = stubApi({
    'GET /api/auth/me': [reply(200, me)],
    'GET /api/auth/csrf': [reply(200, { csrfToken: 't' })],
    'PATCH /api/account/email': [save],
  });
  renderApp('/account');
  const section = await screen.findByRole('region', { name: 'Change email' });
  return { user, fetchMock, section, field: within(section).getByLabelText('New email') };
}

describe('ChangeEmailForm while a save is pending', () => {
  it('says "Saving…" on a busy form and sends a second press nowhere, visibly', async () => {
    const save = deferred();
    const { user, fetchMock, section, field } = await openChangeEmail(save.promise);
    await user.type(field, 'new@example.com');

    await user.click(within(section).getByRole('button', { name: 'Change email' }));

    const button = within(section).getByRole('button', { name: 'Saving…' });
    expect(button).toHaveAttribute('aria-disabled', 'true');
    expect(section.querySelector('form')).toHaveAttribute('aria-busy', 'true');
    await user.click(button);
    expect(requestsMade(fetchMock).filter((request) => request === 'PATCH /api/account/email')).toHaveLength(1);

    save.settle(reply(200, changed('new@example.com')));

    expect(await within(section).findByRole('button', { name: 'Change email' })).not.toHaveAttribute('aria-disabled', 'true');
    expect(section.querySelector('form')).toHaveAttribute('aria-busy', 'false');
  });

  it('keeps what the user typed during the save, and clears the field when they did not touch it', async () => {
    const save = deferred();
    const { user, section, field } = await openChangeEmail(save.promise);
    await user.type(field, 'new@example.com');
    await user.click(within(section).getByRole('button', { name: 'Change email' }));

    await user.clear(field);
    await user.type(field, 'second@example.com');
    save.settle(reply(200, changed('new@example.com')));

    expect(await within(section).findByText(/Check your new inbox: we sent a link to new@example.com\. Your email stays ada@example.com/)).toBeInTheDocument();
    expect(field).toHaveValue('second@example.com');
  });

  it('clears the field after a save when nothing was typed meanwhile', async () => {
    const { user, section, field } = await openChangeEmail(Promise.resolve(reply(200, changed('new@example.com'))));
    await user.type(field, 'new@example.com');

    await user.click(within(section).getByRole('button', { name: 'Change email' }));

    expect(await within(section).findByText(/Check your new inbox/)).toBeInTheDocument();
    expect(field).toHaveValue('');
  });
});
