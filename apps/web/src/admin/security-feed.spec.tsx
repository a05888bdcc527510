import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Schemas } from '../api/client';
import { formatDateTime } from '../common/format-time';
import { me, renderApp } from '../test/render-app';
import { errorReply, reply, requestsMade, stubApi, type Reply } from '../test/stub-api';

const FEED = 'GET /api/admin/security-events';
const adminMe: Schemas['MeResponse'] = { ...me, user: { ...me.user, role: 'admin' } };
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

const feedEvent = (overrides: Partial<Schemas['AdminFeedEvent']>): Schemas['AdminFeedEvent'] => ({
  id: 'e1',
  type: 'suspicious_session_ended',
  at: minutesAgo(5),
  user: { id: 'u2', email: 'grace@example.com', name: 'Grace Hopper' },
  ip: '::ffff:203.0.113.9',
  location: null,
  browser: 'Firefox',
  os: 'Linux',
  deviceType: 'desktop',
  details: null,
  ...overrides,
});

const suspicious = feedEvent({ id: 'e1' });
const roleChange = feedEvent({
  id: 'e2',
  type: 'role_changed',
  at: minutesAgo(60),
  user: { id: 'u3', email: 'alan@example.com', name: 'Alan Turing' },
  ip: null,
  browser: null,
  os: null,
  details: { role: 'admin', by: 'u1' },
});
const throttled = feedEvent({ id: 'e3', type: 'sign_in_throttled', at: minutesAgo(120), ip: '::1', browser: 'Chrome', os: 'macOS' });

function deferred() {
  let settle!: (reply: Reply) => void;
  const promise = new Promise<Reply>((resolve) => (settle = resolve));
  return { promise, settle };
}

const page = (events: Schemas['AdminFeedEvent'][], nextCursor: string | null = null) => reply(200, { events, nextCursor });

function stubAdmin(routes: Parameters<typeof stubApi>[0] = {}) {
  return stubApi({
    'GET /api/auth/me': [reply(200, adminMe)],
    'GET /api/admin/users': [reply(200, { users: [{ ...adminMe.user, activeSessions: 1 }] })],
    [FEED]: [page([suspicious, roleChange])],
    ...routes,
  });
}

async function findFeed() {
  return screen.findByRole('list', { name: 'Security feed' });
}

describe('Security feed', () => {
  it('lists events newest first, in words, with who, when, where from and which browser', async () => {
    stubAdmin();
    renderApp('/admin');

    const items = within(await findFeed()).getAllByRole('listitem');
    expect(items.map((item) => item.querySelector('strong')?.textContent)).toEqual(['Suspicious session ended', 'Role changed']);

    const [first, second] = items as [HTMLElement, HTMLElement];
    expect(within(first).getByText('Grace Hopper')).toBeInTheDocument();
    expect(within(first).getByText('grace@example.com')).toBeInTheDocument();
    expect(within(first).getByText('203.0.113.9 · Firefox on Linux')).toBeInTheDocument();
    const time = within(first).getByText('5 minutes ago');
    expect(time).toHaveAttribute('dateTime', suspicious.at);
    expect(time).toHaveAttribute('title', formatDateTime(suspicious.at));

    // Changed from the command line: no address or browser to show, but the new role.
    expect(within(second).getByText('New role: admin')).toBeInTheDocument();
    expect(within(second).getByText('1 hour ago')).toBeInTheDocument();
    expect(screen.getByText('Showing 2 events, newest first.')).toHaveAttribute('aria-live', 'polite');
    // The page's one role="status" stays for what an admin's action did.
    expect(screen.getAllByRole('status')).toHaveLength(1);
  });

  it('shows where an event came from, with the DB-IP credit the location data asks for [D-LOCATION]', async () => {
    stubAdmin({ [FEED]: [page([feedEvent({ location: 'Lisbon, Portugal' })])] });
    renderApp('/admin');
    const feed = await findFeed();
    expect(within(feed).getByText('203.0.113.9 · Lisbon, Portugal · Firefox on Linux')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'IP geolocation by DB-IP' })).toHaveAttribute('href', 'https://db-ip.com');
  });

  it('says when a role came from ADMIN_EMAILS or the command line rather than an admin [A-ADMIN]', async () => {
    stubAdmin({
      [FEED]: [page([feedEvent({ ...roleChange, id: 'e6', details: { role: 'admin', by: 'ADMIN_EMAILS' } }), feedEvent({ ...roleChange, id: 'e7', details: { role: 'admin', by: 'cli' } })])],
    });
    renderApp('/admin');
    const feed = await findFeed();
    expect(within(feed).getByText('New role: admin (listed in ADMIN_EMAILS, address verified)')).toBeInTheDocument();
    expect(within(feed).getByText("New role: admin (from the server's command line)")).toBeInTheDocument();
  });

  it('says a guessing attack, theft and an admin revocation in words, and a local address as this computer', async () => {
    stubAdmin({
      [FEED]: [
        page([
          throttled,
          feedEvent({ id: 'e4', type: 'remember_me_theft' }),
          feedEvent({ id: 'e5', type: 'session_revoked', details: { by: 'u1', count: 3 } }),
        ]),
      ],
    });
    renderApp('/admin');

    const feed = await findFeed();
    expect(within(feed).getByText('Sign-in limit reached (account under a guessing attack)')).toBeInTheDocument();
    expect(within(feed).getByText('this computer (local) · Chrome on macOS')).toBeInTheDocument();
    expect(within(feed).getByText('Remember-me token theft suspected')).toBeInTheDocument();
    expect(within(feed).getByText('Sessions revoked by an admin')).toBeInTheDocument();
    expect(within(feed).getByText('3 sessions ended')).toBeInTheDocument();
  });

  it('announces loading, then shows an empty state', async () => {
    const first = deferred();
    stubAdmin({ [FEED]: [first.promise] });
    renderApp('/admin');

    const section = await screen.findByRole('region', { name: 'Security feed' });
    expect(within(section).getByText('Loading security events…')).toHaveAttribute('aria-live', 'polite');

    first.settle(page([]));

    expect(await within(section).findByText('No security events yet.')).toHaveAttribute('aria-live', 'polite');
    expect(within(section).queryByRole('list')).not.toBeInTheDocument();
    expect(within(section).queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });

  it('filters by type, "All" by default', async () => {
    const user = userEvent.setup();
    const fetchMock = stubAdmin({ [`${FEED}?type=role_changed`]: [page([roleChange])] });
    renderApp('/admin');
    await findFeed();

    const filter = screen.getByLabelText('Event type');
    expect(filter).toHaveDisplayValue('All');
    await user.selectOptions(filter, 'Role changed');

    await screen.findByText('Showing 1 event, newest first.');
    const items = within(await findFeed()).getAllByRole('listitem');
    expect(items).toHaveLength(1);
    expect(items[0]).toHaveTextContent('Alan Turing');
    expect(requestsMade(fetchMock)).toContain(`${FEED}?type=role_changed`);
  });

  it('drops a page of the previous filter that arrives late', async () => {
    const user = userEvent.setup();
    const all = deferred();
    stubAdmin({ [FEED]: [all.promise], [`${FEED}?type=role_changed`]: [page([roleChange])] });
    renderApp('/admin');

    await user.selectOptions(await screen.findByLabelText('Event type'), 'Role changed');
    await screen.findByText('Alan Turing');
    all.settle(page([suspicious, roleChange]));
    await new Promise((resolve) => setTimeout(resolve, 0));

    expect(screen.queryByText('Grace Hopper')).not.toBeInTheDocument();
    expect(within(await findFeed()).getAllByRole('listitem')).toHaveLength(1);
  });

  it('loads the next page with the cursor, keeping the filter, until there is none', async () => {
    const user = userEvent.setup();
    stubAdmin({
      [`${FEED}?type=suspicious_session_ended`]: [page([suspicious], 'e1')],
      [`${FEED}?type=suspicious_session_ended&cursor=e1`]: [page([feedEvent({ id: 'e9', at: minutesAgo(300) })])],
    });
    renderApp('/admin');
    await user.selectOptions(await screen.findByLabelText('Event type'), 'Suspicious session ended');
    await screen.findByText('Showing 1 event, newest first.');

    await user.click(screen.getByRole('button', { name: 'Load more' }));

    await screen.findByText('Showing 2 events, newest first.');
    expect(within(await findFeed()).getAllByRole('listitem')).toHaveLength(2);
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });

  it('keeps the events shown when the next page fails, and says so', async () => {
    const user = userEvent.setup();
    stubAdmin({
      [FEED]: [page([suspicious], 'e1')],
      [`${FEED}?cursor=e1`]: [errorReply(503, 'SERVICE_UNAVAILABLE'), page([roleChange])],
    });
    renderApp('/admin');
    await findFeed();

    await user.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load more events. Sessionkeep is unavailable');
    expect(within(await findFeed()).getAllByRole('listitem')).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByText('Alan Turing');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('announces a failed load and tries again', async () => {
    const user = userEvent.setup();
    stubAdmin({ [FEED]: [errorReply(503, 'SERVICE_UNAVAILABLE'), page([suspicious])] });
    renderApp('/admin');

    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load the security feed. Sessionkeep is unavailable');
    await user.click(screen.getByRole('button', { name: 'Try again' }));

    expect(await screen.findByText('Grace Hopper')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('is not shown to a non-admin, who is told once', async () => {
    stubApi({
      'GET /api/auth/me': [reply(200, me)],
      'GET /api/admin/users': [errorReply(403, 'FORBIDDEN')],
      [FEED]: [errorReply(403, 'FORBIDDEN')],
    });
    renderApp('/admin');

    expect(await screen.findByRole('alert')).toHaveTextContent('You need admin rights for this page.');
    expect(screen.queryByRole('heading', { name: 'Security feed' })).not.toBeInTheDocument();
    expect(screen.getAllByRole('alert')).toHaveLength(1);
  });
});
