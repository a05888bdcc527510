import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime } from '../common/format-time';
import { deviceSession, me, renderApp } from '../test/render-app';
import { errorReply, reply, requestsMade, stubApi, type Reply } from '../test/stub-api';

const thisDevice = deviceSession({ id: 'current', current: true, browser: 'Chrome', os: 'Linux' });
const phone = deviceSession({
  id: 'phone',
  browser: 'Safari',
  os: 'iOS',
  deviceType: 'mobile',
  ip: '203.0.113.9',
  location: 'Lisbon, Portugal',
  remembered: true,
  rememberedUntil: '2026-04-09T09:00:00Z',
});
// A remembered device with no live session: its id is the remember-me series id.
const tablet = deviceSession({
  id: 'series-7',
  browser: 'Firefox',
  os: 'Android',
  deviceType: 'tablet',
  active: false,
  remembered: true,
  rememberedUntil: '2026-05-01T12:00:00Z',
  lastActiveAt: '2026-03-08T10:00:00Z',
});

function deferred() {
  let settle!: (reply: Reply) => void;
  const promise = new Promise<Reply>((resolve) => (settle = resolve));
  return { promise, settle };
}

function stubSessions(routes: Parameters<typeof stubApi>[0] = {}) {
  return stubApi({
    'GET /api/auth/me': [reply(200, me)],
    'GET /api/auth/csrf': [reply(200, { csrfToken: 't' })],
    'GET /api/sessions': [reply(200, { sessions: [phone, thisDevice] })],
    ...routes,
  });
}

describe('SessionsPage', () => {
  it('credits DB-IP (CC BY 4.0) under the list when a device shows a location', async () => {
    stubSessions();
    renderApp('/sessions');
    expect(await screen.findByText(/Lisbon, Portugal/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'IP geolocation by DB-IP' })).toHaveAttribute('href', 'https://db-ip.com');
  });

  it('shows no location credit when no device has a location', async () => {
    stubSessions({ 'GET /api/sessions': [reply(200, { sessions: [thisDevice] })] });
    renderApp('/sessions');
    await screen.findByRole('list', { name: 'Signed-in devices' });
    expect(screen.queryByRole('link', { name: 'IP geolocation by DB-IP' })).not.toBeInTheDocument();
  });

  it('shows one card per device, marking this device and remembered ones', async () => {
    stubSessions();
    renderApp('/sessions');

    const list = await screen.findByRole('list', { name: 'Signed-in devices' });
    const cards = within(list).getAllByRole('listitem');
    expect(cards).toHaveLength(2);

    const current = screen.getByRole('listitem', { name: /Chrome on Linux/ });
    expect(current).toBe(cards[0]);
    expect(within(current).getByText('This device')).toBeInTheDocument();
    expect(within(current).queryByRole('button', { name: 'Revoke' })).not.toBeInTheDocument();

    const other = screen.getByRole('listitem', { name: 'Safari on iOS' });
    expect(within(other).getByText('Remembered')).toBeInTheDocument();
    expect(within(other).getByText('203.0.113.9 · Lisbon, Portugal')).toBeInTheDocument();
    expect(within(other).getByRole('button', { name: 'Revoke' })).toBeInTheDocument();
  });

  it('says until when a remembered device stays remembered, as a date people read', async () => {
    stubSessions();
    renderApp('/sessions');

    const other = await screen.findByRole('listitem', { name: 'Safari on iOS' });
    expect(within(other).getByText(/^Remembered until/)).toHaveTextContent(`Remembered until ${formatDate(phone.rememberedUntil!)}`);
    const until = within(other).getByText(formatDate(phone.rememberedUntil!));
    expect(until).toHaveAttribute('dateTime', phone.rememberedUntil);
    expect(until).toHaveAttribute('title', formatDateTime(phone.rememberedUntil!));
    expect(within(other).getByText(/Last active/)).toBeInTheDocument();

    const current = screen.getByRole('listitem', { name: /Chrome on Linux/ });
    expect(within(current).queryByText(/Remembered/)).not.toBeInTheDocument();
  });

  it('lists a remembered device with no session now, with when it was last used, and revokes it', async () => {
    const user = userEvent.setup();
    const fetchMock = stubSessions({
      'GET /api/sessions': [reply(200, { sessions: [thisDevice, tablet] })],
      'DELETE /api/sessions/series-7': [reply(204)],
    });
    renderApp('/sessions');

    const card = await screen.findByRole('listitem', { name: 'Firefox on Android' });
    expect(within(card).getByText('Remembered · not active now')).toBeInTheDocument();
    expect(within(card).queryByText('Remembered')).not.toBeInTheDocument();
    expect(within(card).getByText(/Last used/)).toBeInTheDocument();
    expect(within(card).queryByText(/Last active/)).not.toBeInTheDocument();
    expect(within(card).getByText(formatDate(tablet.rememberedUntil!))).toBeInTheDocument();
    const lastUsed = card.querySelector(`time[datetime="${tablet.lastActiveAt}"]`);
    expect(lastUsed).toHaveAttribute('title', formatDateTime(tablet.lastActiveAt));
    expect(screen.queryByText('Only this device is signed in.')).not.toBeInTheDocument();

    await user.click(within(card).getByRole('button', { name: 'Revoke' }));

    expect(await screen.findByText('Firefox on Android is no longer remembered.')).toBeInTheDocument();
    expect(screen.queryByRole('listitem', { name: 'Firefox on Android' })).not.toBeInTheDocument();
    expect(requestsMade(fetchMock)).toContain('DELETE /api/sessions/series-7');
  });

  it('says "this computer (local)" for a loopback address and shows IPv4-mapped addresses as plain IPv4', async () => {
    const local = deviceSession({ id: 'current', current: true, ip: '::1' });
    const laptop = deviceSession({ id: 'laptop', browser: 'Firefox', os: 'Windows', ip: '::ffff:203.0.113.20' });
    stubSessions({ 'GET /api/sessions': [reply(200, { sessions: [local, laptop] })] });
    renderApp('/sessions');

    const current = await screen.findByRole('listitem', { name: /Chrome on Linux/ });
    expect(within(current).getByText('this computer (local)')).toBeInTheDocument();
    expect(within(current).queryByText(/::1/)).not.toBeInTheDocument();
    const other = screen.getByRole('listitem', { name: 'Firefox on Windows' });
    expect(within(other).getByText('203.0.113.20')).toBeInTheDocument();
  });

  it('says so when only this device is signed in', async () => {
    stubSessions({ 'GET /api/sessions': [reply(200, { sessions: [thisDevice] })] });
    renderApp('/sessions');

    expect(await screen.findByText('Only this device is signed in.')).toBeInTheDocument();
  });

  it('removes a revoked card at once and puts it back when revoking fails', async () => {
    const user = userEvent.setup();
    const revoke = deferred();
    stubSessions({ 'DELETE /api/sessions/phone': [revoke.promise] });
    renderApp('/sessions');

    const card = await screen.findByRole('listitem', { name: 'Safari on iOS' });
    await user.click(within(card).getByRole('button', { name: 'Revoke' }));
    expect(screen.queryByRole('listitem', { name: 'Safari on iOS' })).not.toBeInTheDocument();

    revoke.settle(errorReply(503, 'SERVICE_UNAVAILABLE'));

    expect(await screen.findByRole('listitem', { name: 'Safari on iOS' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('Could not sign out Safari on iOS.');
    const names = screen.getAllByRole('listitem').map((item) => within(item).getByRole('heading').textContent);
    expect(names).toEqual(['Chrome on Linux', 'Safari on iOS']);
  });

  it('rolls back only the revoke that failed, keeping a card revoked meanwhile', async () => {
    const user = userEvent.setup();
    const laptop = deviceSession({ id: 'laptop', browser: 'Firefox', os: 'Windows' });
    const phoneRevoke = deferred();
    stubSessions({
      'GET /api/sessions': [reply(200, { sessions: [thisDevice, phone, laptop] })],
      'DELETE /api/sessions/phone': [phoneRevoke.promise],
      'DELETE /api/sessions/laptop': [reply(204)],
    });
    renderApp('/sessions');

    await user.click(within(await screen.findByRole('listitem', { name: 'Safari on iOS' })).getByRole('button', { name: 'Revoke' }));
    await user.click(within(screen.getByRole('listitem', { name: 'Firefox on Windows' })).getByRole('button', { name: 'Revoke' }));
    await screen.findByText('Signed out Firefox on Windows.');
    phoneRevoke.settle(errorReply(503, 'SERVICE_UNAVAILABLE'));

    expect(await screen.findByRole('listitem', { name: 'Safari on iOS' })).toBeInTheDocument();
    expect(screen.queryByRole('listitem', { name: 'Firefox on Windows' })).not.toBeInTheDocument();
    expect(screen.getAllByRole('listitem')).toHaveLength(2);
  });

  it('keeps a card removed once the server confirms', async () => {
    const user = userEvent.setup();
    stubSessions({ 'DELETE /api/sessions/phone': [reply(204)] });
    renderApp('/sessions');

    const card = await screen.findByRole('listitem', { name: 'Safari on iOS' });
    await user.click(within(card).getByRole('button', { name: 'Revoke' }));

    expect(await screen.findByText('Signed out Safari on iOS.')).toBeInTheDocument();
    expect(screen.queryByRole('listitem', { name: 'Safari on iOS' })).not.toBeInTheDocument();
  });

  it('logs out other devices and announces how many', async () => {
    const user = userEvent.setup();
    stubSessions({ 'POST /api/sessions/revoke-others': [reply(200, { revoked: 1 })] });
    renderApp('/sessions');

    await screen.findByRole('listitem', { name: 'Safari on iOS' });
    await user.click(screen.getByRole('button', { name: 'Log out other devices' }));

    expect(await screen.findByText('Signed out 1 other device.')).toBeInTheDocument();
    expect(screen.getAllByRole('listitem')).toHaveLength(1);
  });

  it('loads the list again when the user comes back to the tab', async () => {
    stubSessions({
      'GET /api/sessions': [reply(200, { sessions: [phone, thisDevice] }), reply(200, { sessions: [thisDevice] })],
    });
    renderApp('/sessions');
    await screen.findByRole('listitem', { name: 'Safari on iOS' });

    // What a browser fires when the tab is shown again; TanStack Query listens for it.
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));

    expect(await screen.findByText('Only this device is signed in.')).toBeInTheDocument();
  });
});
