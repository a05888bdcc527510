import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../auth-helpers.js';
import { enrolTotp, nextTimeStep, totpCode } from '../mfa-helpers.js';
import { addPasskey } from '../passkey-helpers.js';
import { startTestApp, type TestApp } from '../test-app.js';
import type { TestClient } from '../test-client.js';

const TRIES = 20;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Sign-in time with and without a second factor, p50 over 20 tries, through the real app in process
 * (each try a fresh device whose CSRF token is fetched before the clock starts). A measurement, not
 * a check: it runs only with MEASURE_SIGN_IN=1 and prints its figures.
 */
describe.runIf(process.env.MEASURE_SIGN_IN === '1')('sign-in time by factor', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'loopback' });
  });
  afterAll(() => t.close());

  async function timed(attempt: (device: TestClient) => Promise<void>, between?: () => Promise<void>): Promise<number> {
    const times: number[] = [];
    for (let i = 0; i < TRIES; i++) {
      const device = t.client({ 'X-Forwarded-For': `10.9.${i}.1` });
      await device.fetchCsrfToken();
      const start = performance.now();
      await attempt(device);
      times.push(performance.now() - start);
      await between?.();
    }
    return median(times);
  }

  it(`prints p50 over ${TRIES} sign-ins: password, password + TOTP, passkey`, { timeout: 300_000 }, async () => {
    const plain = await createUser(t);
    const withTotp = await createUser(t);
    const { secret } = await enrolTotp(t, await signIn(t.client(), withTotp), withTotp.id);
    const withPasskey = await createUser(t);
    const passkey = await addPasskey(t, await signIn(t.client(), withPasskey));

    const password = await timed(async (device) => {
      expect((await device.post('/api/auth/login', { email: plain.email, password: plain.password })).status).toBe(200);
    });
    const passwordTotp = await timed(
      async (device) => {
        expect((await device.post('/api/auth/login', { email: withTotp.email, password: withTotp.password })).body.mfaRequired).toBe(true);
        expect((await device.post('/api/auth/login/mfa', { code: totpCode(secret) })).status).toBe(200);
      },
      () => nextTimeStep(t, withTotp.id),
    );
    const passkeyOnly = await timed(async (device) => {
      const options = await device.post('/api/auth/passkey/options');
      expect((await device.post('/api/auth/passkey', { credential: passkey.assert(options.body.options) })).status).toBe(200);
    });
    console.log(`sign-in p50 over ${TRIES} tries: password ${password.toFixed(1)} ms; password + TOTP ${passwordTotp.toFixed(1)} ms; passkey ${passkeyOnly.toFixed(1)} ms`);
  });
});
