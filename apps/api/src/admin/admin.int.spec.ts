import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../../test/auth-helpers.js';
import { startTestApp } from '../../test/test-app.js';

describe('admin and privilege changes [U-PRIVILEGE]', () => {
  let t: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('gives a non-admin 403 FORBIDDEN on every admin route', async () => {
    const device = await signIn(t.client(), await createUser(t));
    const target = await createUser(t);
    for (const res of [
      await device.get('/api/admin/users'),
      await device.post(`/api/admin/users/${target.id}/revoke-sessions`),
      await device.patch(`/api/admin/users/${target.id}/role`, { role: 'admin' }),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
  });

  it('lists users with their live session counts', async () => {
    const admin = await createUser(t, { role: 'admin' });
    const device = await signIn(t.client(), admin);
    const res = await device.get('/api/admin/users');
    expect(res.status).toBe(200);
    expect(res.body.users.find((u: { id: string }) => u.id === admin.id)).toEqual({ id: admin.id, email: admin.email, name: admin.name, role: 'admin', activeSessions: 1 });
  });

  it("revokes all of a user's sessions with reason revoked", async () => {
    const admin = await signIn(t.client(), await createUser(t, { role: 'admin' }));
    const target = await createUser(t);
    const targetDevices = [await signIn(t.client(), target), await signIn(t.client(), target)];
    const res = await admin.post(`/api/admin/users/${target.id}/revoke-sessions`);
    expect(res.body).toEqual({ revoked: 2 });
    for (const device of targetDevices) expect((await device.get('/api/auth/me')).body.reason).toBe('revoked');
  });

  it("rotates the target's session ID on their next request after a role change", async () => {
    const admin = await signIn(t.client(), await createUser(t, { role: 'admin' }));
    const target = await createUser(t);
    const targetDevice = await signIn(t.client(), target);
    const before = targetDevice.cookie('__Host-sid');
    expect((await admin.patch(`/api/admin/users/${target.id}/role`, { role: 'admin' })).body.user.role).toBe('admin');
    const me = await targetDevice.get('/api/auth/me');
    expect(me.body.user.role).toBe('admin');
    expect(targetDevice.cookie('__Host-sid')).not.toBe(before);
    const old = t.client();
    old.setCookie('__Host-sid', before);
    expect((await old.get('/api/auth/me')).status).toBe(401);
  });

  it("removes a demoted admin's access on their very next request", async () => {
    const boss = await signIn(t.client(), await createUser(t, { role: 'admin' }));
    const demoted = await createUser(t, { role: 'admin' });
    const demotedDevice = await signIn(t.client(), demoted);
    expect((await demotedDevice.get('/api/admin/users')).status).toBe(200);
    await boss.patch(`/api/admin/users/${demoted.id}/role`, { role: 'user' });
    expect((await demotedDevice.get('/api/admin/users')).status).toBe(403);
  });

  it('answers 404 for an unknown user and 400 for a malformed id', async () => {
    const admin = await signIn(t.client(), await createUser(t, { role: 'admin' }));
    expect((await admin.post('/api/admin/users/00000000-0000-4000-8000-000000000000/revoke-sessions')).status).toBe(404);
    expect((await admin.patch('/api/admin/users/not-a-uuid/role', { role: 'admin' })).body.code).toBe('VALIDATION_FAILED');
    const target = await createUser(t);
    expect((await admin.patch(`/api/admin/users/${target.id}/role`, { role: 'root' })).body.code).toBe('VALIDATION_FAILED');
  });

  it('grants admin at boot to existing accounts listed in ADMIN_EMAILS', async () => {
    const existing = await createUser(t, { email: 'promote-me@example.com' });
    const device = await signIn(t.client(), existing);
    const restarted = await startTestApp({ ADMIN_EMAILS: 'Promote-Me@example.com' }, t.database);
    try {
      expect((await t.prisma.user.findUniqueOrThrow({ where: { id: existing.id } })).role).toBe('admin');
      expect((await device.get('/api/admin/users')).status).toBe(200);
    } finally {
      await restarted.close();
    }
  });
});
