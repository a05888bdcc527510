import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../../test/auth-helpers.js';
import { startTestApp } from '../../test/test-app.js';

const ADMIN_CLI = fileURLToPath(new URL('../../dist/admin/admin-cli.js', import.meta.url));

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
    expect(res.body.users.find((u: { id: string }) => u.id === admin.id)).toEqual({ id: admin.id, email: admin.email, name: admin.name, role: 'admin', emailVerified: false, activeSessions: 1 });
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

  it('grants admin only through `npm run admin -- grant`, recorded, with a new session ID on the next request [A-ADMIN, U-PRIVILEGE]', async () => {
    const existing = await createUser(t, { email: 'cli-admin@example.com' });
    const device = await signIn(t.client(), existing);
    const before = device.cookie('__Host-sid');
    const cli = spawnSync(process.execPath, [ADMIN_CLI, 'grant', 'CLI-Admin@example.com'], {
      env: { PATH: process.env.PATH, DATABASE_URL: t.databaseUrl, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('cli-admin@example.com now has the admin role');
    expect((await device.get('/api/admin/users')).status).toBe(200);
    expect(device.cookie('__Host-sid')).not.toBe(before);
    expect(await t.prisma.securityEvent.count({ where: { userId: existing.id, type: 'role_changed' } })).toBe(1);

    const unknown = spawnSync(process.execPath, [ADMIN_CLI, 'grant', 'nobody@example.com'], { env: { PATH: process.env.PATH, DATABASE_URL: t.databaseUrl }, encoding: 'utf8' });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('No account with the email nobody@example.com');
  });

  // Last: passport-local registers its strategy process-wide, so after this second app closes,
  // sign-ins on the first would go through the closed one.
  it('at boot, ADMIN_EMAILS promotes a listed account only if its address is verified, recorded once [A-ADMIN]', async () => {
    // Attack: sign up with a listed address before the owner does and wait for a restart.
    const unverified = await createUser(t, { email: 'promote-me@example.com' });
    const verified = await createUser(t, { email: 'verified-boss@example.com' });
    await t.prisma.user.update({ where: { id: verified.id }, data: { emailVerified: true } });
    const unlisted = await createUser(t, { email: 'verified-nobody@example.com' });
    await t.prisma.user.update({ where: { id: unlisted.id }, data: { emailVerified: true } });
    const env = { ADMIN_EMAILS: 'Promote-Me@example.com, verified-boss@example.com' };
    await (await startTestApp(env, t.database)).close();
    // A second start (or a second instance) finds the role already set and records nothing more.
    await (await startTestApp(env, t.database)).close();
    const roleOf = async (id: string) => (await t.prisma.user.findUniqueOrThrow({ where: { id } })).role;
    expect([await roleOf(unverified.id), await roleOf(verified.id), await roleOf(unlisted.id)]).toEqual(['user', 'admin', 'user']);
    const grants = await t.prisma.securityEvent.findMany({ where: { userId: { in: [unverified.id, verified.id] }, type: 'role_changed' } });
    expect(grants.map((event) => [event.userId, event.details])).toEqual([[verified.id, { role: 'admin', by: 'ADMIN_EMAILS' }]]);
  });
});
