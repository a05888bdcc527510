import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, type TestUser } from '../../test/auth-helpers.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';

describe('CSRF [I-CSRF]', () => {
  let t: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    user = await createUser(t);
  });
  afterAll(() => t.close());

  it('refuses a state-changing request without the token', async () => {
    const device = await signIn(t.client(), user);
    const res = await device.post('/api/auth/logout', undefined, { csrf: false });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ statusCode: 403, code: 'CSRF_INVALID' });
    expect((await device.get('/api/auth/me')).status).toBe(200);
  });

  it('refuses a forged token', async () => {
    const device = await signIn(t.client(), user);
    const res = await device.post('/api/auth/logout', undefined, { csrf: 'A'.repeat(43) });
    expect(res.body.code).toBe('CSRF_INVALID');
  });

  it("refuses another session's token (tokens are bound to their session)", async () => {
    const attacker = await signIn(t.client(), await createUser(t));
    const victim = await signIn(t.client(), user);
    const res = await victim.post('/api/auth/logout', undefined, { csrf: await attacker.fetchCsrfToken() });
    expect(res.body.code).toBe('CSRF_INVALID');
  });

  it('protects sign-in itself (login CSRF)', async () => {
    const res = await t.client().post('/api/auth/login', { email: user.email, password: user.password }, { csrf: false });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('CSRF_INVALID');
  });

  it('rotates the token at sign-in: the pre-login token no longer works', async () => {
    const device = t.client();
    const preLogin = await device.fetchCsrfToken();
    await signIn(device, user);
    expect((await device.post('/api/auth/logout', undefined, { csrf: preLogin })).body.code).toBe('CSRF_INVALID');
    const fresh = await device.fetchCsrfToken();
    expect(fresh).not.toBe(preLogin);
    expect((await device.post('/api/auth/logout', undefined, { csrf: fresh })).status).toBe(204);
  });
});
