import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, type TestUser } from '../../test/auth-helpers.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';
import type { TestClient } from '../../test/test-client.js';
import { lapseStepUp } from '../../test/races.js';


describe('step-up re-authentication [U-STEPUP]', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await startTestApp({ STEP_UP_WINDOW: '600', LOGIN_MAX_FAILURES_PER_ACCOUNT: '3' });
    admin = await createUser(t, { role: 'admin' });
  });
  afterAll(() => t.close());

  /** A signed-in device whose step-up window has lapsed (its sign-in made to look 11 minutes old). */
  async function staleDevice(user: TestUser): Promise<TestClient> {
    const device = await signIn(t.client(), user);
    await lapseStepUp(t, device);
    return device;
  }

  const criticalRoutes: [string, (d: TestClient, target: TestUser) => ReturnType<TestClient['post']>][] = [
    ['POST /api/account/password', (d) => d.post('/api/account/password', { newPassword: 'a brand new passphrase' })],
    ['PATCH /api/account/email', (d) => d.patch('/api/account/email', { email: `moved-${Math.random()}@example.com` })],
    ['DELETE /api/account', (d) => d.delete('/api/account')],
    ['POST /api/admin/users/:id/revoke-sessions', (d, target) => d.post(`/api/admin/users/${target.id}/revoke-sessions`)],
    ['PATCH /api/admin/users/:id/role', (d, target) => d.patch(`/api/admin/users/${target.id}/role`, { role: 'user' })],
  ];

  for (const [route, call] of criticalRoutes) {
    it(`${route} refuses without a recent password, and accepts after reauth`, async () => {
      const actor = await createUser(t, { role: 'admin' });
      const target = await createUser(t);
      const device = await staleDevice(actor);
      const refused = await call(device, target);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ statusCode: 403, code: 'REAUTH_REQUIRED' });
      expect((await device.post('/api/auth/reauth', { password: actor.password })).status).toBe(200);
      expect((await call(device, target)).status).toBeLessThan(300);
    });
  }

  it('counts a fresh password sign-in as recent', async () => {
    const device = await signIn(t.client(), await createUser(t));
    expect((await device.patch('/api/account/email', { email: 'fresh-signin@example.com' })).status).toBe(200);
  });

  it('rotates the session ID and CSRF token on reauth; the old ID is dead [S-FIXATION]', async () => {
    const device = await staleDevice(admin);
    const before = device.cookieHeader();
    const csrfBefore = await device.fetchCsrfToken();
    const res = await device.post('/api/auth/reauth', { password: admin.password });
    expect(res.status).toBe(200);
    expect(res.body.session.stepUpExpiresAt).toEqual(expect.any(String));
    expect(device.cookieHeader()).not.toBe(before);
    const old = t.client();
    old.setCookie('__Host-sid', before.split('=').slice(1).join('='));
    expect((await old.get('/api/auth/me')).status).toBe(401);
    expect((await device.post('/api/auth/logout', undefined, { csrf: csrfBefore })).body.code).toBe('CSRF_INVALID');
    const me = await device.get('/api/auth/me');
    expect(me.body.session.reauthenticatedAt).toEqual(expect.any(String));
    expect(await t.prisma.securityEvent.count({ where: { userId: admin.id, type: 'step_up' } })).toBeGreaterThan(0);
  });

  it('throttles wrong passwords on reauth like sign-in', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user);
    for (let i = 0; i < 3; i++) expect((await device.post('/api/auth/reauth', { password: 'not my password' })).body.code).toBe('INVALID_CREDENTIALS');
    expect((await device.post('/api/auth/reauth', { password: user.password })).status).toBe(429);
  });
});
