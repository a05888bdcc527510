import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, PASSWORD, signIn, type TestUser } from '../auth-helpers.js';
import { openLiveStream, sessionIdOf } from '../live-stream.js';
import { enrolTotp, totpCode } from '../mfa-helpers.js';
import { addPasskey } from '../passkey-helpers.js';
import { liveSessions } from '../races.js';
import { SoftAuthenticator } from '../soft-authenticator.js';
import { startTestApp, type TestApp } from '../test-app.js';
import type { TestClient } from '../test-client.js';
import { until } from '../waiting.js';
import * as held from '../held-locks.js';
import * as passkeys from '../passkey-helpers.js';

const FAILURES_PER_ACCOUNT = 3;
const FAILURES_PER_IP = 6;
const DEADLINE_MS = 10_000;
const AT_MOST = { statusCode: 400, code: 'VALIDATION_FAILED', message: 'An account can hold at most 20 passkeys. Remove one to add another.' };

/**
 * A hostile review of the hardening of 2 December [M-STEPUP, A-EVENTS, L-FINAL, I-OUTAGE,
 * M-PASSKEY, A-RACE, A-BRUTE, M-SIGNIN]: step-ups racing each other and every kind of end, the
 * request deadline against late answers and streams, the passkey cap from two sessions at once,
 * and failed passkeys of a pending sign-in against the second-factor throttle. These held.
 */
describe('attacking the hardening follow-ups', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      TRUST_PROXY: 'loopback',
      ANONYMOUS_REQUESTS_PER_IP: '1000',
      LOGIN_MAX_FAILURES_PER_ACCOUNT: String(FAILURES_PER_ACCOUNT),
      LOGIN_MAX_FAILURES_PER_IP: String(FAILURES_PER_IP),
    });
  });
  afterAll(() => t?.close());

  const newIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
  const newDevice = (ip = newIp()): TestClient => t.client({ 'X-Forwarded-For': ip });
  const stepUps = (userId: string) => t.prisma.securityEvent.count({ where: { userId, type: 'step_up' } });

  const holdUserLock = (userId: string) => held.holdUserLock(t, userId);
  const holdTable = (table: 'session') => held.holdTable(t, table);
  const lockWaiters = (count: number) => held.lockWaiters(t, count);

  describe('step-up racing ends', () => {
    it('step-up racing logout of the same session: the session stays ended, under either ID', async () => {
      const user = await createUser(t);
      const device = await signIn(newDevice(), user);
      await device.fetchCsrfToken();
      const before = device.cookie('__Host-sid');
      const release = await holdUserLock(user.id);
      const answers = Promise.all([device.post('/api/auth/reauth', { password: PASSWORD }), device.post('/api/auth/logout')]);
      await lockWaiters(2);
      await release();
      const [stepUp] = await answers;
      expect(await liveSessions(t, user.id)).toBe(0);
      const old = newDevice();
      old.setCookie('__Host-sid', before);
      expect((await old.get('/api/auth/me')).status).toBe(401);
      expect((await device.get('/api/auth/me')).status).toBe(401);
      expect(await stepUps(user.id)).toBe(stepUp.status === 200 ? 1 : 0);
    });

    it('step-up racing "log out other devices" from another device: it stays ended', async () => {
      const user = await createUser(t);
      const victim = await signIn(newDevice(), user);
      const other = await signIn(newDevice(), user);
      await Promise.all([victim.fetchCsrfToken(), other.fetchCsrfToken()]);
      const release = await holdUserLock(user.id);
      const answers = Promise.all([victim.post('/api/auth/reauth', { password: PASSWORD }), other.post('/api/sessions/revoke-others')]);
      await lockWaiters(2);
      await release();
      const [stepUp, revoked] = await answers;
      expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
      expect(await liveSessions(t, user.id)).toBe(1);
      expect((await victim.get('/api/auth/me')).status).toBe(401);
      expect((await other.get('/api/auth/me')).status).toBe(200);
      expect(await stepUps(user.id)).toBe(stepUp.status === 200 ? 1 : 0);
    });

    it('step-up racing a revoke of that session by its public id: it stays ended', async () => {
      const user = await createUser(t);
      const victim = await signIn(newDevice(), user);
      const other = await signIn(newDevice(), user);
      const victimId = await sessionIdOf(victim);
      await Promise.all([victim.fetchCsrfToken(), other.fetchCsrfToken()]);
      const release = await holdUserLock(user.id);
      const answers = Promise.all([victim.post('/api/auth/reauth', { password: PASSWORD }), other.delete(`/api/sessions/${victimId}`)]);
      await lockWaiters(2);
      await release();
      const [, revoked] = await answers;
      expect(revoked.status, JSON.stringify(revoked.body)).toBe(204);
      expect(await liveSessions(t, user.id)).toBe(1);
      expect((await victim.get('/api/auth/me')).status).toBe(401);
    });
  });

  describe('request deadline', () => {
    it('a logout held past the deadline: 503 in the error shape, no cookie set, and the end still holds', { timeout: 40_000 }, async () => {
      const user = await createUser(t);
      const device = await signIn(newDevice(), user);
      await device.fetchCsrfToken();
      const before = device.cookie('__Host-sid');
      const release = await holdTable('session');
      const started = Date.now();
      const res = await device.post('/api/auth/logout');
      expect(Date.now() - started).toBeGreaterThanOrEqual(DEADLINE_MS - 100);
      await release();
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
      expect(typeof res.body.message).toBe('string');
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['set-cookie'], 'a late answer leaked a cookie').toBeUndefined();
      await until(async () => (await liveSessions(t, user.id)) === 0, 'the late logout to end the session');
      const old = newDevice();
      old.setCookie('__Host-sid', before);
      expect((await old.get('/api/auth/me')).status).toBe(401);
    });

    it('the live stream stays open past the deadline and still reports the end', { timeout: 40_000 }, async () => {
      const user = await createUser(t);
      const device = await signIn(newDevice(), user);
      const stream = await openLiveStream(t, device);
      try {
        expect(stream.status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, DEADLINE_MS + 1_500));
        expect(stream.isClosed(), 'the deadline cut the stream').toBe(false);
        expect((await device.post('/api/auth/logout')).status).toBe(204);
        const ended = await stream.next('ended');
        expect(ended.data.reason).toBeDefined();
        await stream.closed;
        expect(await stream.body).not.toContain('SERVICE_UNAVAILABLE');
      } finally {
        stream.close();
      }
    });
  });

  describe('passkey cap', () => {
    const passkeysOf = (userId: string) => t.prisma.passkey.count({ where: { userId } });
    const givePasskeys = (userId: string, count: number) => passkeys.givePasskeys(t, userId, count);
    const newPasskey = (device: TestClient) => passkeys.newPasskeyRegistration(t, device);

    it('parallel registrations from two sessions of one account at 19 passkeys: one gets through', async () => {
      const user = await createUser(t);
      const [a, b] = [await signIn(newDevice(), user), await signIn(newDevice(), user)];
      await givePasskeys(user.id, 19);
      const bodies: [TestClient, Record<string, unknown>][] = [
        [a, await newPasskey(a)],
        [b, await newPasskey(b)],
        [a, await newPasskey(a)],
        [b, await newPasskey(b)],
      ];
      await Promise.all([a.fetchCsrfToken(), b.fetchCsrfToken()]);
      const release = await holdUserLock(user.id);
      const answers = Promise.all(bodies.map(([device, body]) => device.post('/api/account/passkeys', body)));
      await lockWaiters(bodies.length);
      await release();
      const settled = await answers;
      expect(settled.filter((res) => res.status === 201)).toHaveLength(1);
      expect(await passkeysOf(user.id)).toBe(20);
    });

    it('at 20 passkeys every session of the account is refused; removing one frees exactly one slot', async () => {
      const user = await createUser(t);
      const [device, other] = [await signIn(newDevice(), user), await signIn(newDevice(), user)];
      await givePasskeys(user.id, 20);
      expect((await other.post('/api/account/passkeys/options')).body, 'the cap is per account, not per session').toEqual(AT_MOST);
      expect((await device.post('/api/account/passkeys/options')).body).toEqual(AT_MOST);
      const listed = (await device.get('/api/account/passkeys')).body.passkeys as { id: string }[];
      const removed = await device.delete(`/api/account/passkeys/${listed[0]!.id}`);
      expect(removed.status, JSON.stringify(removed.body)).toBe(204);
      expect(await passkeysOf(user.id)).toBe(19);
      await addPasskey(t, device, 'In the freed slot');
      expect(await passkeysOf(user.id)).toBe(20);
      expect((await device.post('/api/account/passkeys/options')).body).toEqual(AT_MOST);
    });
  });

  describe('failed passkeys in a pending sign-in', () => {
    async function userWithFactors(): Promise<TestUser & { secret: string; passkey: SoftAuthenticator }> {
      const user = await createUser(t);
      const device = await signIn(newDevice(), user);
      const { secret } = await enrolTotp(t, device, user.id);
      const passkey = await addPasskey(t, device);
      await device.post('/api/auth/logout');
      return { ...user, secret, passkey };
    }
    /** The password step, from an address of its own; `at` moves the device to another address afterwards. */
    async function pending(user: TestUser, at?: string): Promise<TestClient> {
      const device = newDevice();
      const res = await device.post('/api/auth/login', { email: user.email, password: user.password });
      expect(res.body).toEqual({ mfaRequired: true, methods: ['passkey', 'totp', 'recovery_code'] });
      if (!at) return device;
      const moved = newDevice(at);
      for (const [name, value] of device.cookies) moved.setCookie(name, value);
      return moved;
    }
    async function passkeyOptions(device: TestClient): Promise<Record<string, unknown>> {
      const res = await device.post('/api/auth/login/mfa/passkey/options');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.options as Record<string, unknown>;
    }
    const failPasskey = async (device: TestClient, passkey: SoftAuthenticator) =>
      device.post('/api/auth/login/mfa/passkey', { credential: passkey.assert(await passkeyOptions(device), { uv: false }) });
    const rightPasskey = async (device: TestClient, passkey: SoftAuthenticator) =>
      device.post('/api/auth/login/mfa/passkey', { credential: passkey.assert(await passkeyOptions(device)) });

    it('alternating failed passkeys and wrong codes share one limit', async () => {
      const user = await userWithFactors();
      const attacker = await pending(user);
      expect((await failPasskey(attacker, user.passkey)).body.code).toBe('PASSKEY_INVALID');
      expect((await attacker.post('/api/auth/login/mfa', { code: '000000' })).body.code).toBe('INVALID_CODE');
      expect((await failPasskey(attacker, user.passkey)).body.code).toBe('PASSKEY_INVALID');
      expect((await attacker.post('/api/auth/login/mfa', { code: totpCode(user.secret) })).body.code).toBe('TOO_MANY_REQUESTS');
      expect((await rightPasskey(attacker, user.passkey)).body.code).toBe('TOO_MANY_REQUESTS');
    });

    it('fresh pending sign-ins from other addresses do not reset or dodge the account limit', async () => {
      const user = await userWithFactors();
      for (let i = 0; i < FAILURES_PER_ACCOUNT; i++) {
        expect((await failPasskey(await pending(user), user.passkey)).body.code).toBe('PASSKEY_INVALID');
      }
      const owner = await pending(user);
      expect((await rightPasskey(owner, user.passkey)).body.code).toBe('TOO_MANY_REQUESTS');
      expect((await owner.post('/api/auth/login/mfa', { code: totpCode(user.secret) })).body.code).toBe('TOO_MANY_REQUESTS');
    });

    it('parallel failed passkeys: at most the limit (+1) are checked, the rest 429', async () => {
      const user = await userWithFactors();
      const attacker = await pending(user);
      const credentials = [];
      for (let i = 0; i < 10; i++) credentials.push(user.passkey.assert(await passkeyOptions(attacker), { uv: false }));
      await attacker.fetchCsrfToken();
      const answers = await Promise.all(credentials.map((credential) => attacker.post('/api/auth/login/mfa/passkey', { credential })));
      const codes = answers.map((res) => res.body.code as string);
      expect(codes.filter((code) => code === 'PASSKEY_INVALID').length).toBeLessThanOrEqual(FAILURES_PER_ACCOUNT + 1);
      expect(codes.filter((code) => code !== 'PASSKEY_INVALID').every((code) => code === 'TOO_MANY_REQUESTS')).toBe(true);
    });

    it('failed passkeys count on the per-IP budget across accounts', async () => {
      const ip = newIp();
      const [first, second, third] = [await userWithFactors(), await userWithFactors(), await userWithFactors()];
      for (const user of [first, second]) {
        for (let i = 0; i < FAILURES_PER_IP / 2; i++) {
          expect((await failPasskey(await pending(user, ip), user.passkey)).body.code).toBe('PASSKEY_INVALID');
        }
      }
      expect((await failPasskey(await pending(third, ip), third.passkey)).body.code, 'the address has spent its budget').toBe('TOO_MANY_REQUESTS');
      expect((await failPasskey(await pending(third), third.passkey)).body.code, 'another address still may').toBe('PASSKEY_INVALID');
    });

    it("a failed passkey's challenge cannot be answered again; a right passkey still completes below the limit", async () => {
      const user = await userWithFactors();
      const device = await pending(user);
      const options = await passkeyOptions(device);
      expect((await device.post('/api/auth/login/mfa/passkey', { credential: user.passkey.assert(options, { uv: false }) })).body.code).toBe('PASSKEY_INVALID');
      const replay = await device.post('/api/auth/login/mfa/passkey', { credential: user.passkey.assert(options) });
      expect(replay.body.code).toBe('PASSKEY_INVALID');
      const completed = await rightPasskey(device, user.passkey);
      expect(completed.status, JSON.stringify(completed.body)).toBe(200);
      expect((await device.get('/api/auth/me')).status).toBe(200);
    });
  });
});
