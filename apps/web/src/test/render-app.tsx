import { render } from '@testing-library/react';
import { MemoryRouter, useLocation } from 'react-router';
import { App } from '../app';
import type { Schemas } from '../api/client';

function CurrentLocation() {
  const location = useLocation();
  return <div data-testid="location">{location.pathname + location.search}</div>;
}

/** The whole app at `route`, as a browser would show it, with the current URL in #location. */
export function renderApp(route: string) {
  return render(
    <MemoryRouter initialEntries={[route]}>
      <App />
      <CurrentLocation />
    </MemoryRouter>,
  );
}

export const me: Schemas['MeResponse'] = {
  user: { id: 'u1', email: 'ada@example.com', name: 'Ada Lovelace', role: 'user', emailVerified: true },
  session: {
    id: 'h1',
    authenticatedAt: '2026-03-10T09:00:00Z',
    reauthenticatedAt: null,
    stepUpExpiresAt: null,
    idleExpiresAt: '2026-03-10T09:30:00Z',
    absoluteExpiresAt: '2026-03-10T21:00:00Z',
    remembered: false,
  },
};

export const deviceSession = (overrides: Partial<Schemas['Device']>): Schemas['Device'] => ({
  id: 's1',
  current: false,
  browser: 'Chrome',
  os: 'Linux',
  deviceType: 'desktop',
  ip: '198.51.100.7',
  location: null,
  createdAt: '2026-03-10T09:00:00Z',
  lastActiveAt: '2026-03-10T09:05:00Z',
  remembered: false,
  active: true,
  rememberedUntil: null,
  signInMethod: 'password',
  ...overrides,
});
