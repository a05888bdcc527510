import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../../test/auth-helpers.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';

describe('concurrent session cap [D-LIMIT]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ MAX_SESSIONS_PER_USER: '3', LOGIN_MAX_FAILURES_PER_ACCOUNT: '20' });
  });
  afterAll(() => t.close());

  it('ends the least recently active session beyond the cap, with reason evicted and an event', async () => {
    const user = await createUser(t);
    const oldest = await signIn(t.client(), user);
    const devices = [await signIn(t.client(), user), await signIn(t.client(), user)];
    await devices[0]!.get('/api/auth/me');
    const newest = await signIn(t.client(), user);
    expect((await oldest.get('/api/auth/me')).body.reason).toBe('evicted');
    for (const device of [...devices, newest]) expect((await device.get('/api/auth/me')).status).toBe(200);
    expect(await t.prisma.securityEvent.count({ where: { userId: user.id, type: 'session_limit_evicted' } })).toBe(1);
  });

  it('never overshoots the cap under parallel sign-ins', async () => {
    const user = await createUser(t);
    const devices = Array.from({ length: 8 }, () => t.client());
    await Promise.all(devices.map((device) => device.fetchCsrfToken()));
    const results = await Promise.all(devices.map((device) => device.post('/api/auth/login', { email: user.email, password: user.password })));
    expect(results.map((res) => res.status)).toEqual(Array(8).fill(200));
    expect(await t.prisma.session.count({ where: { userId: user.id } })).toBe(3);
  });
});
