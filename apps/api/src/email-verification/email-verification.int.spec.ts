import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, PASSWORD, signIn } from '../../test/auth-helpers.js';
import { mailTo, tokenIn } from '../../test/mail-links.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';

const VERIFY_SUBJECT = 'Confirm your email address';

describe('email verification and email change [E-VERIFY]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('sign-up sends a link; using it verifies the address, once', async () => {
    const device = t.client();
    const res = await device.post('/api/auth/register', { email: 'new.member@example.com', password: PASSWORD, name: 'New Member' });
    expect(res.status).toBe(201);
    expect(res.body.user.emailVerified).toBe(false);
    const [mail] = await mailTo(t.inboxUrl!, 'new.member@example.com', VERIFY_SUBJECT);
    const token = tokenIn(mail!);

    const verified = await t.client().post('/api/auth/verify-email', { token });
    expect([verified.status, verified.body.user]).toEqual([200, expect.objectContaining({ email: 'new.member@example.com', emailVerified: true })]);
    expect((await device.get('/api/auth/me')).body.user.emailVerified).toBe(true);
    const again = await t.client().post('/api/auth/verify-email', { token });
    expect([again.status, again.body.code]).toEqual([400, 'LINK_INVALID']);
  });

  it('an email change changes nothing until the new address’s link is used; the old address is told', async () => {
    const user = await createUser(t, { email: 'before@example.com' });
    const device = await signIn(t.client(), user);
    const res = await device.patch('/api/account/email', { email: 'after@example.com' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user: { email: 'before@example.com' }, pendingEmail: 'after@example.com' });

    const [notice] = await mailTo(t.inboxUrl!, 'before@example.com', 'Your email address is being changed');
    expect(notice!.text).toContain('after@example.com');
    const [link] = await mailTo(t.inboxUrl!, 'after@example.com', VERIFY_SUBJECT);
    expect((await device.get('/api/auth/me')).body.user.email).toBe('before@example.com');
    expect(await t.prisma.user.count({ where: { email: 'after@example.com' } })).toBe(0);
    expect((await t.client().post('/api/auth/login', { email: 'after@example.com', password: user.password })).status).toBe(401);

    const verified = await t.client().post('/api/auth/verify-email', { token: tokenIn(link!) });
    expect(verified.body.user).toMatchObject({ email: 'after@example.com', emailVerified: true });
    expect((await device.get('/api/auth/me')).body.user.email).toBe('after@example.com');
    await signIn(t.client(), { email: 'after@example.com', password: user.password });
    expect(await t.prisma.securityEvent.count({ where: { userId: user.id, type: 'email_changed' } })).toBe(1);
  });

  it('a newer change request kills the older link', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user);
    await device.patch('/api/account/email', { email: 'first-choice@example.com' });
    const [first] = await mailTo(t.inboxUrl!, 'first-choice@example.com', VERIFY_SUBJECT);
    await device.patch('/api/account/email', { email: 'second-choice@example.com' });
    expect((await t.client().post('/api/auth/verify-email', { token: tokenIn(first!) })).body.code).toBe('LINK_INVALID');
    expect((await device.get('/api/auth/me')).body.user.email).toBe(user.email);
  });
});
