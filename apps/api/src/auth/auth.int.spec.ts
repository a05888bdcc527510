import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, eventStored, PASSWORD, signIn } from '../../test/auth-helpers.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';

describe('register, login, me, logout', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ADMIN_EMAILS: 'boss@example.com' });
  });
  afterAll(() => t.close());

  it('registers a user, stores the email lower-cased, and signs them in', async () => {
    const device = t.client();
    const res = await device.post('/api/auth/register', { email: ' New.Person@Example.COM ', password: PASSWORD, name: 'New Person' });
    expect(res.status).toBe(201);
    expect(res.body.user).toEqual({ id: expect.any(String), email: 'new.person@example.com', name: 'New Person', role: 'user', emailVerified: false });
    const me = await device.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe('new.person@example.com');
  });

  it('answers 409 EMAIL_TAKEN for an email that exists in another case', async () => {
    await createUser(t, { email: 'taken@example.com' });
    const res = await t.client().post('/api/auth/register', { email: 'TAKEN@example.com', password: PASSWORD, name: 'X' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ statusCode: 409, code: 'EMAIL_TAKEN' });
  });

  it('refuses weak registrations with field errors', async () => {
    const res = await t.client().post('/api/auth/register', { email: 'not-an-email', password: 'short', name: '' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'name', 'password']);
  });

  it('refuses a password equal to the email', async () => {
    const res = await t.client().post('/api/auth/register', { email: 'same-as-password@example.com', password: 'Same-As-Password@example.com', name: 'X' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'password', message: 'password must not be your email address' }]);
  });

  it('refuses unknown fields and wrong types with 400, never 500', async () => {
    const device = t.client();
    expect((await device.post('/api/auth/register', { email: 'x@example.com', password: PASSWORD, name: 'X', role: 'admin' })).status).toBe(400);
    expect((await device.post('/api/auth/login', { email: 42, password: ['x'] })).body.code).toBe('VALIDATION_FAILED');
    expect((await device.post('/api/auth/login', { email: 'x@example.com', password: 'y', rememberMe: 'yes' })).status).toBe(400);
  });

  it('never makes anyone admin by signing up, not even an address in ADMIN_EMAILS [A-ADMIN]', async () => {
    const res = await t.client().post('/api/auth/register', { email: 'Boss@example.com', password: PASSWORD, name: 'Boss' });
    expect(res.status).toBe(201);
    expect(res.body.user.role).toBe('user');
  });

  it('signs in and describes the session without revealing its ID', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user);
    const me = await device.get('/api/auth/me');
    expect(me.body.user).toEqual({ id: user.id, email: user.email, name: user.name, role: 'user', emailVerified: false });
    expect(me.body.session).toMatchObject({ remembered: false, authenticatedAt: expect.any(String), stepUpExpiresAt: expect.any(String) });
    const cookieId = decodeURIComponent(device.cookie('__Host-sid')!).slice(2).split('.')[0];
    expect(me.body.session.id).toMatch(/^[0-9a-f]{64}$/);
    expect(me.body.session.id).not.toContain(cookieId);
  });

  it('answers 401 UNAUTHENTICATED without a session', async () => {
    const res = await t.client().get('/api/auth/me');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ statusCode: 401, code: 'UNAUTHENTICATED', message: 'Sign in to continue.' });
  });

  it('records sign_in, sign_in_failed and sign_out events [A-EVENTS]', async () => {
    const user = await createUser(t);
    await t.client().post('/api/auth/login', { email: user.email, password: 'wrong password!' });
    await eventStored(t, user.id, 'sign_in_failed');
    const device = await signIn(t.client({ 'User-Agent': 'EventTest/1.0' }), user);
    expect((await device.post('/api/auth/logout')).status).toBe(204);
    const events = await t.prisma.securityEvent.findMany({ where: { userId: user.id }, orderBy: { createdAt: 'asc' } });
    expect(events.map((e) => e.type)).toEqual(['sign_in_failed', 'sign_in', 'sign_out']);
    expect(events[1]).toMatchObject({ userAgent: 'EventTest/1.0', ip: expect.stringMatching(/127\.0\.0\.1/) });
  });
});
