import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../../test/auth-helpers.js';
import { enrolTotp, totpCode } from '../../test/mfa-helpers.js';
import { lapseStepUp } from '../../test/races.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';
import type { TestClient } from '../../test/test-client.js';

describe('changing second factors [M-CHANGE]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const changes: [string, (device: TestClient) => ReturnType<TestClient['post']>][] = [
    ['POST /api/account/mfa/totp', (d) => d.post('/api/account/mfa/totp')],
    ['POST /api/account/mfa/totp/confirm', (d) => d.post('/api/account/mfa/totp/confirm', { code: '123456' })],
    ['DELETE /api/account/mfa/totp', (d) => d.delete('/api/account/mfa/totp')],
    ['POST /api/account/mfa/recovery-codes', (d) => d.post('/api/account/mfa/recovery-codes')],
  ];
  for (const [route, call] of changes) {
    it(`${route} needs step-up`, async () => {
      const user = await createUser(t);
      const device = await signIn(t.client(), user);
      await enrolTotp(t, device, user.id);
      await lapseStepUp(t, device);
      const res = await call(device);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('REAUTH_REQUIRED');
    });
  }

  it('is on only after a first code; turning it on ends every other session, rotates this one and records it', async () => {
    const user = await createUser(t);
    const other = await signIn(t.client(), user, { rememberMe: true });
    const device = await signIn(t.client(), user);
    const started = await device.post('/api/account/mfa/totp');
    expect(started.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\/Sessionkeep:.+\?issuer=Sessionkeep&secret=[A-Z2-7]+&algorithm=SHA1&digits=6&period=30$/);
    expect((await device.get('/api/account/mfa')).body).toEqual({ totp: false, recoveryCodesLeft: 0 });
    expect((await device.post('/api/account/mfa/totp/confirm', { code: totpCode(started.body.secret, 3) })).body.code).toBe('INVALID_CODE');
    const before = device.cookie('__Host-sid');
    const confirmed = await device.post('/api/account/mfa/totp/confirm', { code: totpCode(started.body.secret) });
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    expect(device.cookie('__Host-sid')).not.toBe(before);
    expect((await device.get('/api/account/mfa')).body).toEqual({ totp: true, recoveryCodesLeft: 10 });
    expect((await other.get('/api/auth/me')).status).toBe(401);
    expect(await t.prisma.rememberToken.count({ where: { userId: user.id, endedAt: null } })).toBe(0);
    expect(await t.prisma.securityEvent.count({ where: { userId: user.id, type: 'mfa_enabled' } })).toBe(1);
    expect((await device.post('/api/account/mfa/totp')).body.code).toBe('MFA_ALREADY_ENABLED');
  });

  it('regenerating recovery codes kills the old ones; turning the app off lets the password alone sign in again', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user);
    const { recoveryCodes } = await enrolTotp(t, device, user.id);
    const other = t.client();
    const fresh = await device.post('/api/account/mfa/recovery-codes');
    expect(fresh.body.recoveryCodes).toHaveLength(10);
    expect(fresh.body.recoveryCodes).not.toContain(recoveryCodes[0]);
    const oldCode = await other.post('/api/auth/login', { email: user.email, password: user.password });
    expect(oldCode.body.mfaRequired).toBe(true);
    expect((await other.post('/api/auth/login/mfa', { recoveryCode: recoveryCodes[0] })).body.code).toBe('INVALID_CODE');
    expect((await device.delete('/api/account/mfa/totp')).status).toBe(204);
    expect((await t.client().post('/api/auth/login', { email: user.email, password: user.password })).body.user).toMatchObject({ id: user.id });
    const types = (await t.prisma.securityEvent.findMany({ where: { userId: user.id }, select: { type: true } })).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['mfa_enabled', 'recovery_codes_regenerated', 'mfa_disabled', 'mfa_failed']));
  });
});
