import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { me, renderApp } from '../test/render-app';
import { errorReply, reply, requestsMade, stubApi } from '../test/stub-api';

const EVENTS = 'GET /api/account/events';
const event = (type: string, at: string, location: string | null = null) => ({ type, at, ip: '198.51.100.7', location, browser: 'Firefox', os: 'Linux' });

describe('ActivityPage', () => {
  it('shows where each event came from, with the DB-IP credit the location data asks for [D-LOCATION]', async () => {
    stubApi({
      'GET /api/auth/me': [reply(200, me)],
      [EVENTS]: [reply(200, { events: [event('sign_in', '2026-03-10T12:00:00Z', 'Lisbon, Portugal'), event('password_changed', '2026-03-09T12:00:00Z')], nextCursor: null })],
    });
    renderApp('/activity');
    const [signIn, passwordChange] = within(await screen.findByRole('list', { name: 'Security events' })).getAllByRole('listitem') as [HTMLElement, HTMLElement];
    expect(within(signIn).getByText('Location: Lisbon, Portugal (approximate)')).toBeInTheDocument();
    expect(passwordChange).not.toHaveTextContent('Location');
    expect(screen.getByRole('link', { name: 'IP geolocation by DB-IP' })).toHaveAttribute('href', 'https://db-ip.com');
  });

  it('loads the next page on the cursor, after the events shown, until there is none', async () => {
    const user = userEvent.setup();
    const fetchMock = stubApi({
      'GET /api/auth/me': [reply(200, me)],
      [EVENTS]: [reply(200, { events: [event('sign_in', '2026-03-10T12:00:00Z')], nextCursor: 'c1' })],
      [`${EVENTS}?cursor=c1`]: [reply(200, { events: [event('password_changed', '2026-03-09T12:00:00Z')], nextCursor: null })],
    });
    renderApp('/activity');
    const timeline = await screen.findByRole('list', { name: 'Security events' });
    expect(within(timeline).getAllByRole('listitem')).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'Load more' }));

    expect(await screen.findByText('Changed password')).toBeInTheDocument();
    const texts = within(timeline).getAllByRole('listitem').map((item) => item.querySelector('.timeline-text')?.textContent);
    expect(texts).toEqual(['Signed in from Firefox on Linux, 198.51.100.7', 'Changed password']);
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
    expect(requestsMade(fetchMock)).toEqual(['GET /api/auth/me', EVENTS, `${EVENTS}?cursor=c1`]);
  });

  it('keeps the events shown when the next page fails, and says so', async () => {
    const user = userEvent.setup();
    stubApi({
      'GET /api/auth/me': [reply(200, me)],
      [EVENTS]: [reply(200, { events: [event('sign_in', '2026-03-10T12:00:00Z')], nextCursor: 'c1' })],
      [`${EVENTS}?cursor=c1`]: [errorReply(503, 'SERVICE_UNAVAILABLE')],
    });
    renderApp('/activity');
    await screen.findByRole('list', { name: 'Security events' });

    await user.click(screen.getByRole('button', { name: 'Load more' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load your activity. Sessionkeep is unavailable');
    expect(within(screen.getByRole('list', { name: 'Security events' })).getAllByRole('listitem')).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'Load more' })).toBeInTheDocument();
  });
});
