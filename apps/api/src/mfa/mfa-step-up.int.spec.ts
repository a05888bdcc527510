import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../../test/auth-helpers.js';
import { enrolTotp, nextTimeStep, totpCode } from '../../test/mfa-helpers.js';
import { lapseStepUp, sameBrowser } from '../../test/races.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';

describe('step-up and admin routes with a second factor [M-STEPUP, M-CHANGE]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ REQUIRE_MFA_FOR_ADMINS: 'true', LOGIN_MAX_FAILURES_PER_ACCOUNT: '3' });
  });
  afterAll(() => t.close());

  it('accepts a code of the authenticator app instead of the password, once, under a new session ID', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user);
    const { secret } = await enrolTotp(t, device, user.id);
    await lapseStepUp(t, device);
    expect((await device.post('/api/account/mfa/recovery-codes')).body.code).toBe('REAUTH_REQUIRED');
    const before = device.cookie('__Host-sid');
    const code = totpCode(secret);
    const res = await device.post('/api/auth/reauth', { code });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(device.cookie('__Host-sid')).not.toBe(before);
    expect((await device.post('/api/account/mfa/recovery-codes')).status).toBe(200);
    await lapseStepUp(t, device);
    expect((await device.post('/api/auth/reauth', { code })).body.code).toBe('INVALID_CODE');
  });

  it('refuses a code from a user with no authenticator app, and throttles wrong codes', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user);
    expect((await device.post('/api/auth/reauth', { code: '123456' })).body.code).toBe('INVALID_CODE');
    const withApp = await createUser(t);
    const other = await signIn(t.client(), withApp);
    const { secret } = await enrolTotp(t, other, withApp.id);
    const tab = sameBrowser(t, other);
    const guesses = await Promise.all(Array.from({ length: 8 }, (_, i) => tab.post('/api/auth/reauth', { code: String(200000 + i) })));
    expect(guesses.filter((res) => res.status === 401).length).toBeLessThanOrEqual(3);
    await nextTimeStep(t, withApp.id);
    expect((await other.post('/api/auth/reauth', { code: totpCode(secret) })).status).toBe(429);
  });

  it('keeps an admin without a second factor out of every admin route until they enrol one', async () => {
    const admin = await createUser(t, { role: 'admin' });
    const device = await signIn(t.client(), admin);
    const refused = await device.get('/api/admin/users');
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('MFA_ENROLMENT_REQUIRED');
    expect((await device.get('/api/admin/security-events')).body.code).toBe('MFA_ENROLMENT_REQUIRED');
    await enrolTotp(t, device, admin.id);
    expect((await device.get('/api/admin/users')).status).toBe(200);
  });

  it('shows on the devices page how each session signed in', async () => {
    const user = await createUser(t);
    const first = await signIn(t.client(), user, { rememberMe: true });
    const { secret } = await enrolTotp(t, first, user.id);
    const second = t.client();
    await second.post('/api/auth/login', { email: user.email, password: user.password });
    expect((await second.post('/api/auth/login/mfa', { code: totpCode(secret) })).status).toBe(200);
    const methods = ((await second.get('/api/sessions')).body.sessions as { current: boolean; signInMethod: string }[]).map((s) => [s.current, s.signInMethod]);
    expect(methods).toEqual(expect.arrayContaining([[true, 'password_totp'], [false, 'password']]));
  });
});
