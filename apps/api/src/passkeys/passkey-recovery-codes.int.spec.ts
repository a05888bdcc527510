import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../../test/auth-helpers.js';
import { enrolTotp } from '../../test/mfa-helpers.js';
import { SoftAuthenticator } from '../../test/soft-authenticator.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';
import type { TestClient } from '../../test/test-client.js';

describe('recovery codes for a passkey-only account [M-RECOVERY, M-PASSKEY]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** Registers a passkey through the real routes and returns the whole 201 body. */
  async function register(device: TestClient, name = 'Laptop') {
    const authenticator = new SoftAuthenticator(t.config.mail.appUrl);
    const options = await device.post('/api/account/passkeys/options');
    expect(options.status, JSON.stringify(options.body)).toBe(200);
    const added = await device.post('/api/account/passkeys', { name, credential: authenticator.register(options.body.options) });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    return { authenticator, body: added.body as { id: string; name: string; recoveryCodes?: string[] } };
  }

  const codesOf = (userId: string) => t.prisma.recoveryCode.count({ where: { userId } });

  it('issues ten codes with the first passkey, in the register response only, and none with the second', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user);
    const first = await register(device, 'First');
    expect(first.body.recoveryCodes).toHaveLength(10);
    expect(new Set(first.body.recoveryCodes).size).toBe(10);
    expect(await codesOf(user.id)).toBe(10);
    const second = await register(device, 'Second');
    expect(second.body.name).toBe('Second');
    expect(second.body).not.toHaveProperty('recoveryCodes');
    expect(await codesOf(user.id)).toBe(10);
    const list = (await device.get('/api/account/passkeys')).body.passkeys as Record<string, unknown>[];
    expect(list.every((p) => !('recoveryCodes' in p))).toBe(true);
  });

  it('does not replace the codes of a user who already has the authenticator app on', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user);
    const { recoveryCodes } = await enrolTotp(t, device, user.id);
    const added = await register(device);
    expect(added.body).not.toHaveProperty('recoveryCodes');
    expect(recoveryCodes).toHaveLength(10);
    expect(await codesOf(user.id)).toBe(10);
  });

  it('lets a passkey-only user complete a pending sign-in with a recovery code, once', async () => {
    const user = await createUser(t);
    const { body } = await register(await signIn(t.client(), user));
    const [code] = body.recoveryCodes!;
    const device = t.client();
    const login = await device.post('/api/auth/login', { email: user.email, password: user.password });
    expect(login.body.methods).toEqual(['passkey', 'recovery_code']);
    const res = await device.post('/api/auth/login/mfa', { recoveryCode: code });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await device.get('/api/auth/me')).status).toBe(200);
    expect(await t.prisma.securityEvent.count({ where: { userId: user.id, type: 'recovery_code_used' } })).toBe(1);

    const again = t.client();
    await again.post('/api/auth/login', { email: user.email, password: user.password });
    const reused = await again.post('/api/auth/login/mfa', { recoveryCode: code });
    expect(reused.status).toBe(401);
    expect((await again.get('/api/auth/me')).status).toBe(401);
  });

  it('regenerates the codes of a passkey-only user', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user);
    const { body } = await register(device);
    const res = await device.post('/api/account/mfa/recovery-codes');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const fresh = res.body.recoveryCodes as string[];
    expect(fresh).toHaveLength(10);
    expect(fresh.some((c) => body.recoveryCodes!.includes(c))).toBe(false);
    expect(await codesOf(user.id)).toBe(10);
  });

  it('still refuses to regenerate codes for a user with no second factor', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user);
    expect((await device.post('/api/account/mfa/recovery-codes')).status).toBe(404);
    expect(await codesOf(user.id)).toBe(0);
  });

  it('deletes the codes with the last passkey when the authenticator app is off, and keeps them while one remains', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user);
    const first = await register(device, 'First');
    const second = await register(device, 'Second');
    expect((await device.delete(`/api/account/passkeys/${first.body.id}`)).status).toBe(204);
    expect(await codesOf(user.id)).toBe(10);
    expect((await device.delete(`/api/account/passkeys/${second.body.id}`)).status).toBe(204);
    expect(await codesOf(user.id)).toBe(0);
    expect((await device.get('/api/account/mfa')).body.recoveryCodesLeft).toBe(0);
  });

  it('keeps the codes when the last passkey goes but the authenticator app stays on', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user);
    await enrolTotp(t, device, user.id);
    const added = await register(device);
    expect((await device.delete(`/api/account/passkeys/${added.body.id}`)).status).toBe(204);
    expect(await codesOf(user.id)).toBe(10);
  });

  it('keeps the codes when the authenticator app is turned off while a passkey remains, and deletes them when it goes with none left', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user);
    await register(device);
    await enrolTotp(t, device, user.id);
    expect((await device.delete('/api/account/mfa/totp')).status).toBe(204);
    expect(await codesOf(user.id)).toBe(10);

    const other = await createUser(t);
    const otherDevice = await signIn(t.client(), other);
    await enrolTotp(t, otherDevice, other.id);
    expect((await otherDevice.delete('/api/account/mfa/totp')).status).toBe(204);
    expect(await codesOf(other.id)).toBe(0);
  });
});
