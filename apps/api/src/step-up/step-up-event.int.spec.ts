import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Response } from 'supertest';
import { createUser, PASSWORD, signIn } from '../../test/auth-helpers.js';
import { whileEventsFail } from '../../test/failing-events.js';
import { enrolTotp, nextTimeStep, totpCode } from '../../test/mfa-helpers.js';
import { addPasskey } from '../../test/passkey-helpers.js';
import { lapseStepUp, sameBrowser } from '../../test/races.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';
import type { TestClient } from '../../test/test-client.js';

/**
 * A step-up window and its `step_up` event commit in one transaction [M-STEPUP, A-EVENTS]: a
 * database that fails between the two must not open a window, under a new session ID, that the
 * user's timeline never shows. Each step-up path is attacked with the event insert failing.
 */
describe('step-up commits with its event', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  /** A route behind step-up: REAUTH_REQUIRED without a window, NOT_FOUND (no such passkey) within one. */
  const critical = (device: TestClient) => device.delete('/api/account/passkeys/00000000-0000-4000-8000-000000000000');

  /** Sets up one step-up path for a freshly signed-in device; the step-up it returns can be repeated. */
  const paths: Record<string, (device: TestClient, userId: string) => Promise<() => Promise<Response>>> = {
    password: async (device) => () => device.post('/api/auth/reauth', { password: PASSWORD }),
    'an authenticator code': async (device, userId) => {
      const { secret } = await enrolTotp(t, device, userId);
      return async () => {
        await nextTimeStep(t, userId);
        return device.post('/api/auth/reauth', { code: totpCode(secret) });
      };
    },
    'a passkey': async (device) => {
      const passkey = await addPasskey(t, device);
      return async () => {
        const options = (await device.post('/api/auth/reauth/passkey/options')).body.options as Record<string, unknown>;
        return device.post('/api/auth/reauth/passkey', { credential: passkey.assert(options) });
      };
    },
  };

  for (const [name, prepare] of Object.entries(paths)) {
    it(`step-up by ${name}: with its event failing the old ID stays and no window opens; a retry records one event`, async () => {
      const user = await createUser(t);
      const device = await signIn(t.client(), user);
      const stepUp = await prepare(device, user.id);
      await lapseStepUp(t, device);
      const before = device.cookie('__Host-sid');
      const res = await whileEventsFail(t, user.id, 'step_up', stepUp);
      expect(res.status).toBeGreaterThanOrEqual(500);
      const old = t.client();
      old.setCookie('__Host-sid', before);
      expect((await old.get('/api/auth/me')).status, 'session moved with no event on record').toBe(200);
      expect((await critical(old)).body.code, 'window opened with no event on record').toBe('REAUTH_REQUIRED');
      expect((await critical(device)).body.code).toBe('REAUTH_REQUIRED');
      const retried = await stepUp();
      expect(retried.status, JSON.stringify(retried.body)).toBe(200);
      expect(await t.prisma.securityEvent.count({ where: { userId: user.id, type: 'step_up' } })).toBe(1);
    });
  }

  it('parallel step-ups from tabs of one browser open one window and record one event [A-RACE]', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user);
    await lapseStepUp(t, device);
    const tabs = Array.from({ length: 5 }, () => sameBrowser(t, device));
    const answers = await Promise.all(tabs.map((tab) => tab.post('/api/auth/reauth', { password: PASSWORD })));
    expect(answers.map((res) => res.status)).toEqual([200, 200, 200, 200, 200]);
    // The tabs that found the session already moved by another tab's step-up opened nothing of their own.
    expect(await t.prisma.securityEvent.count({ where: { userId: user.id, type: 'step_up' } })).toBe(1);
  });
});
