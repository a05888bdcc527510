import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../../test/auth-helpers.js';
import { enrolTotp, totpCode } from '../../test/mfa-helpers.js';
import { addPasskey } from '../../test/passkey-helpers.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';
import type { TestClient } from '../../test/test-client.js';
import { until } from '../../test/waiting.js';

const FAILURES_PER_ACCOUNT = 3;

/**
 * [A-BRUTE, M-SIGNIN] A pending sign-in's passkey and its code are one second factor with one
 * failure limit: failing by passkey must not leave the code's guesses untouched, or the other way.
 */
describe('a failed passkey in a pending sign-in counts as a failed second factor', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: String(FAILURES_PER_ACCOUNT), LOGIN_MAX_FAILURES_PER_IP: '1000' });
  });
  afterAll(() => t?.close());

  /** The password step: a device holding a pending sign-in. */
  async function pending(user: { email: string; password: string }): Promise<TestClient> {
    const device = t.client();
    const res = await device.post('/api/auth/login', { email: user.email, password: user.password });
    expect(res.body).toEqual({ mfaRequired: true, methods: ['passkey', 'totp', 'recovery_code'] });
    return device;
  }

  it('after the limit of failed passkeys even the right code, and the right passkey, are refused', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user);
    const { secret } = await enrolTotp(t, device, user.id);
    const passkey = await addPasskey(t, device);
    await device.post('/api/auth/logout');
    const attacker = await pending(user);
    for (let i = 0; i < FAILURES_PER_ACCOUNT; i++) {
      const options = (await attacker.post('/api/auth/login/mfa/passkey/options')).body.options as Record<string, unknown>;
      // Without user verification: a passkey held by someone who cannot unlock it.
      const failed = await attacker.post('/api/auth/login/mfa/passkey', { credential: passkey.assert(options, { uv: false }) });
      expect(failed.body.code).toBe('PASSKEY_INVALID');
    }
    // Each failure is on the user's timeline, as a wrong code is [A-EVENTS].
    const failures = () => t.prisma.securityEvent.count({ where: { userId: user.id, type: 'mfa_failed' } });
    await until(async () => (await failures()) === FAILURES_PER_ACCOUNT, `${FAILURES_PER_ACCOUNT} mfa_failed events`, 5_000);
    const owner = await pending(user);
    expect((await owner.post('/api/auth/login/mfa', { code: totpCode(secret) })).body.code).toBe('TOO_MANY_REQUESTS');
    const options = (await owner.post('/api/auth/login/mfa/passkey/options')).body.options as Record<string, unknown>;
    expect((await owner.post('/api/auth/login/mfa/passkey', { credential: passkey.assert(options) })).body.code).toBe('TOO_MANY_REQUESTS');
  });
});
