import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../auth-helpers.js';
import { whileEventsFail } from '../failing-events.js';
import { liveSessions } from '../races.js';
import { startTestApp, type TestApp } from '../test-app.js';

/**
 * A session end and its security event commit in one transaction: a database that fails between
 * the two must not leave a signed-out device, a revoked session or a spent link that the user's
 * timeline and the admin feed never show. Each route is attacked with the event insert failing.
 */
describe('every end commits with its event', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  const events = (userId: string, type: 'sign_out' | 'session_revoked') => t.prisma.securityEvent.count({ where: { userId, type } });

  it('sign-out: with its event failing the session stays, and no sign_out is lost when it works [L-LOGOUT]', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user);
    await device.fetchCsrfToken();
    const res = await whileEventsFail(t, user.id, 'sign_out', () => device.post('/api/auth/logout'));
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(await liveSessions(t, user.id), 'signed out with no event on record').toBe(1);
    expect((await device.post('/api/auth/logout')).status).toBe(204);
    expect(await events(user.id, 'sign_out')).toBe(1);
    expect(await liveSessions(t, user.id)).toBe(0);
  });

  it('revoking one device: with its event failing the device stays signed in [D-REVOKE]', async () => {
    const user = await createUser(t);
    const laptop = await signIn(t.client(), user);
    const phone = await signIn(t.client(), user);
    await laptop.fetchCsrfToken();
    const { sessions } = (await laptop.get('/api/sessions')).body as { sessions: { id: string; current: boolean }[] };
    const other = sessions.find((session) => !session.current)!;
    const res = await whileEventsFail(t, user.id, 'session_revoked', () => laptop.delete(`/api/sessions/${other.id}`));
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect((await phone.get('/api/auth/me')).status, 'revoked with no event on record').toBe(200);
    expect((await laptop.delete(`/api/sessions/${other.id}`)).status).toBe(204);
    expect((await phone.get('/api/auth/me')).status).toBe(401);
    expect(await events(user.id, 'session_revoked')).toBe(1);
  });

  it('log out other devices: with its event failing every other device stays signed in [D-REVOKE]', async () => {
    const user = await createUser(t);
    const laptop = await signIn(t.client(), user);
    const others = [await signIn(t.client(), user), await signIn(t.client(), user)];
    await laptop.fetchCsrfToken();
    const res = await whileEventsFail(t, user.id, 'session_revoked', () => laptop.post('/api/sessions/revoke-others'));
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(await liveSessions(t, user.id), 'signed out with no event on record').toBe(3);
    expect((await laptop.post('/api/sessions/revoke-others')).body).toEqual({ revoked: 2 });
    for (const other of others) expect((await other.get('/api/auth/me')).status).toBe(401);
    expect(await events(user.id, 'session_revoked')).toBe(1);
  });

  it("an admin's revoke-all: with its event failing the user's sessions stay [A-ADMIN]", async () => {
    const admin = await signIn(t.client(), await createUser(t, { role: 'admin' }));
    const target = await createUser(t);
    const device = await signIn(t.client(), target);
    await admin.fetchCsrfToken();
    const res = await whileEventsFail(t, target.id, 'session_revoked', () => admin.post(`/api/admin/users/${target.id}/revoke-sessions`));
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect((await device.get('/api/auth/me')).status, 'revoked by an admin with no event on record').toBe(200);
    expect((await admin.post(`/api/admin/users/${target.id}/revoke-sessions`)).body).toEqual({ revoked: 1 });
    expect((await device.get('/api/auth/me')).status).toBe(401);
    expect(await events(target.id, 'session_revoked')).toBe(1);
  });
});
