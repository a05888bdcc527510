import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../../test/auth-helpers.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';

type ShownEvent = { type: string; ip: string | null; location: string | null };

describe('security events carry the location of LOCATION_HEADER [D-LOCATION]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOCATION_HEADER: 'X-Client-Location' });
  });
  afterAll(() => t.close());

  it('shows the location of the request that caused each event in /api/account/events and in the admins’ feed', async () => {
    const admin = await signIn(t.client({ 'X-Client-Location': 'Lisbon, Portugal' }), await createUser(t, { role: 'admin' }));
    const user = await createUser(t);
    const device = await signIn(t.client({ 'X-Client-Location': 'Oslo, Norway' }), user);
    const timeline: ShownEvent[] = (await device.get('/api/account/events')).body.events;
    expect(timeline.map(({ type, location }) => ({ type, location }))).toEqual([{ type: 'sign_in', location: 'Oslo, Norway' }]);

    expect((await admin.patch(`/api/admin/users/${user.id}/role`, { role: 'admin' })).status).toBe(200);
    const feed: ShownEvent[] = (await admin.get('/api/admin/security-events?type=role_changed')).body.events;
    expect(feed.map(({ type, location }) => ({ type, location }))).toEqual([{ type: 'role_changed', location: 'Lisbon, Portugal' }]);
  });
});

describe('security events carry the GeoIP location without LOCATION_HEADER [D-LOCATION]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'loopback' });
  });
  afterAll(() => t.close());

  it('places a public address by the GeoIP database and a private one nowhere', async () => {
    const user = await createUser(t);
    await signIn(t.client({ 'X-Forwarded-For': '81.2.69.142' }), user);
    const home = await signIn(t.client({ 'X-Forwarded-For': '192.168.1.20' }), user);
    const timeline: ShownEvent[] = (await home.get('/api/account/events')).body.events;
    expect(timeline.filter((event) => event.type === 'sign_in').map(({ ip, location }) => ({ ip, location }))).toEqual([
      { ip: '192.168.1.20', location: null },
      { ip: '81.2.69.142', location: 'London, United Kingdom' },
    ]);
  });
});
