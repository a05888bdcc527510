import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../../test/auth-helpers.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';

describe('session location [D-LOCATION]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'loopback' });
  });
  afterAll(() => t.close());

  it("shows each device's city and country from the packaged GeoIP database, and none for a private address", async () => {
    const user = await createUser(t);
    const london = await signIn(t.client({ 'X-Forwarded-For': '81.2.69.142' }), user);
    await signIn(t.client({ 'X-Forwarded-For': '192.168.1.20' }), user);
    const sessions: Array<{ ip: string; location: string | null }> = (await london.get('/api/sessions')).body.sessions;
    expect(sessions.map(({ ip, location }) => ({ ip, location })).sort((a, b) => a.ip.localeCompare(b.ip))).toEqual([
      { ip: '192.168.1.20', location: null },
      { ip: '81.2.69.142', location: 'London, United Kingdom' },
    ]);
  });
});
