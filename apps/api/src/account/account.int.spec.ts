import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../../test/auth-helpers.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';
import { setCookieHeaders } from '../../test/test-client.js';

describe('account actions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('a password change ends the other sessions with reason password_changed and keeps this one under a new ID [U-INVALIDATE]', async () => {
    const user = await createUser(t);
    const laptop = await signIn(t.client(), user);
    const phone = await signIn(t.client(), user);
    const laptopCookie = laptop.cookieHeader();
    const res = await laptop.post('/api/account/password', { newPassword: 'a much better passphrase' });
    expect(res.status).toBe(204);
    expect(laptop.cookieHeader()).not.toBe(laptopCookie);
    expect((await laptop.get('/api/auth/me')).status).toBe(200);
    const kicked = await phone.get('/api/auth/me');
    expect(kicked.status).toBe(401);
    expect(kicked.body.reason).toBe('password_changed');
    expect((await t.client().post('/api/auth/login', { email: user.email, password: user.password })).status).toBe(401);
    await signIn(t.client(), { email: user.email, password: 'a much better passphrase' });
    expect(await t.prisma.securityEvent.count({ where: { userId: user.id, type: 'password_changed' } })).toBe(1);
  });

  it('refuses a weak new password with the rules', async () => {
    const user = await createUser(t, { email: 'rules@example.com' });
    const device = await signIn(t.client(), user);
    expect((await device.post('/api/account/password', { newPassword: 'short' })).body.errors[0].field).toBe('newPassword');
    expect((await device.post('/api/account/password', { newPassword: 'Rules@Example.com' })).body.errors).toEqual([
      { field: 'newPassword', message: 'password must not be your email address' },
    ]);
  });

  it('asks for an email change, lower-cased, refusing one that is taken; nothing changes yet [E-VERIFY]', async () => {
    await createUser(t, { email: 'occupied@example.com' });
    const user = await createUser(t);
    const device = await signIn(t.client(), user);
    expect((await device.patch('/api/account/email', { email: 'OCCUPIED@example.com' })).status).toBe(409);
    const res = await device.patch('/api/account/email', { email: ' New.Address@Example.com ' });
    expect(res.body).toMatchObject({ user: { email: user.email }, pendingEmail: 'new.address@example.com' });
    expect(await t.prisma.securityEvent.count({ where: { userId: user.id, type: 'email_change_requested' } })).toBe(1);
  });

  it('deletes the account with its sessions and events, and clears the cookie', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user);
    const other = await signIn(t.client(), user);
    const res = await device.delete('/api/account');
    expect(res.status).toBe(204);
    expect(setCookieHeaders(res).some((c) => c.startsWith('__Host-sid=;'))).toBe(true);
    expect(await t.prisma.user.count({ where: { id: user.id } })).toBe(0);
    expect(await t.prisma.session.count({ where: { userId: user.id } })).toBe(0);
    expect(await t.prisma.securityEvent.count({ where: { userId: user.id } })).toBe(0);
    expect((await other.get('/api/auth/me')).body.reason).toBe('revoked');
  });

  it('limits email changes to 5 an hour: EMAIL_TAKEN must not become an unlimited oracle [A-BRUTE]', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user);
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push((await device.patch('/api/account/email', { email: `probe-${i}-${user.id.slice(0, 8)}@example.com` })).status);
    expect(answers).toEqual([200, 200, 200, 200, 200, 429]);
  });
});
