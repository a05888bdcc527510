import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, type TestUser } from '../../test/auth-helpers.js';
import { addPasskey, passkeySignIn } from '../../test/passkey-helpers.js';
import { sameBrowser } from '../../test/races.js';
import type { SoftAuthenticator } from '../../test/soft-authenticator.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';
import type { TestClient } from '../../test/test-client.js';

const ANONYMOUS_LIMIT = 40;

describe('signing in with a passkey [M-PASSKEY, M-SIGNIN]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'loopback', ANONYMOUS_REQUESTS_PER_IP: String(ANONYMOUS_LIMIT) });
  });
  afterAll(() => t.close());

  /** A device at an address of its own, so that the per-IP limits of one test never touch another's. */
  const newDevice = (): TestClient => t.client({ 'X-Forwarded-For': `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}` });

  /** A user with one passkey, signed out signed out. */
  async function userWithPasskey(): Promise<TestUser & { passkey: SoftAuthenticator }> {
    const user = await createUser(t);
    const device = await signIn(newDevice(), user);
    const passkey = await addPasskey(t, device);
    await device.post('/api/auth/logout');
    return { ...user, passkey };
  }

  async function signInOptions(device: TestClient): Promise<Record<string, unknown>> {
    const res = await device.post('/api/auth/passkey/options');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.options as Record<string, unknown>;
  }

  it('signs in on its own under a new session ID, remembered when asked, shown as a passkey sign-in, with a sign_in event', async () => {
    const user = await userWithPasskey();
    const device = newDevice();
    // A session ID planted before sign-in is not the one signed in [S-FIXATION].
    device.setCookie('__Host-sid', 's:planted.signature');
    const res = await passkeySignIn(device, user.passkey, { rememberMe: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.user).toMatchObject({ id: user.id, email: user.email });
    expect(device.cookie('__Host-sid')).not.toBe('s:planted.signature');
    expect(device.cookie('__Host-remember')).toBeDefined();
    const me = await device.get('/api/auth/me');
    expect(me.body.session.remembered).toBe(true);
    const sessions = (await device.get('/api/sessions')).body.sessions as { current: boolean; signInMethod: string }[];
    expect(sessions.find((s) => s.current)?.signInMethod).toBe('passkey');
    const event = await t.prisma.securityEvent.findFirst({ where: { userId: user.id, type: 'sign_in', details: { path: ['method'], equals: 'passkey' } } });
    expect(event).not.toBeNull();
    const passkey = await t.prisma.passkey.findFirstOrThrow({ where: { userId: user.id } });
    expect(passkey.lastUsedAt).not.toBeNull();
  });

  it('refuses an assertion without user verification', async () => {
    const user = await userWithPasskey();
    const device = newDevice();
    const options = await signInOptions(device);
    const res = await device.post('/api/auth/passkey', { credential: user.passkey.assert(options, { uv: false }) });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('PASSKEY_INVALID');
    expect(device.cookie('__Host-sid')).toBeUndefined();
  });

  it('accepts a challenge once: a replayed assertion, and a second answer to the same options, are refused', async () => {
    const user = await userWithPasskey();
    const device = newDevice();
    const options = await signInOptions(device);
    const thief = sameBrowser(t, device);
    const assertion = user.passkey.assert(options);
    expect((await device.post('/api/auth/passkey', { credential: assertion })).status).toBe(200);
    const replayed = await thief.post('/api/auth/passkey', { credential: assertion });
    expect(replayed.body.code).toBe('PASSKEY_INVALID');
    const again = await thief.post('/api/auth/passkey', { credential: user.passkey.assert(options) });
    expect(again.body.code).toBe('PASSKEY_INVALID');
  });

  it('binds the challenge to the browser that asked for it: options fetched in one browser fail from another', async () => {
    const user = await userWithPasskey();
    const asked = newDevice();
    const options = await signInOptions(asked);
    const other = newDevice();
    await signInOptions(other); // A challenge of its own does not make another browser's one valid here.
    const res = await other.post('/api/auth/passkey', { credential: user.passkey.assert(options) });
    expect(res.body.code).toBe('PASSKEY_INVALID');
    const noCookie = newDevice();
    expect((await noCookie.post('/api/auth/passkey', { credential: user.passkey.assert(options) })).body.code).toBe('PASSKEY_INVALID');
  });

  it('lets a challenge expire', async () => {
    const user = await userWithPasskey();
    const device = newDevice();
    const options = await signInOptions(device);
    await t.prisma.$executeRaw`UPDATE passkey_challenges SET expires_at = now() - interval '1 second' WHERE challenge = ${options.challenge as string}`;
    expect((await device.post('/api/auth/passkey', { credential: user.passkey.assert(options) })).body.code).toBe('PASSKEY_INVALID');
  });

  it('refuses a signature counter that goes backwards (a cloned key) and records it on the admins\' feed too', async () => {
    const user = await userWithPasskey();
    expect((await passkeySignIn(newDevice(), user.passkey, {})).status).toBe(200);
    const seen = user.passkey.counter;
    const clone = newDevice();
    const options = await signInOptions(clone);
    const res = await clone.post('/api/auth/passkey', { credential: user.passkey.assert(options, { counter: seen }) });
    expect(res.body.code).toBe('PASSKEY_INVALID');
    expect(clone.cookie('__Host-sid')).toBeUndefined();
    const event = await t.prisma.securityEvent.findFirstOrThrow({ where: { userId: user.id, type: 'passkey_counter_regressed' } });
    expect(event.details).toMatchObject({ stored: seen, presented: seen });
    expect(event.adminFeed, 'a cloned authenticator is a signal for the admins').toBe(true);
    // The real authenticator, a step ahead, still works.
    expect((await passkeySignIn(newDevice(), user.passkey)).status).toBe(200);
  });

  it('never signs in user B with user A\'s passkey: a user handle that is not the owner\'s is refused', async () => {
    const a = await userWithPasskey();
    const b = await userWithPasskey();
    const device = newDevice();
    const options = await signInOptions(device);
    const bHandle = Buffer.from(b.id, 'utf8').toString('base64url');
    const res = await device.post('/api/auth/passkey', { credential: a.passkey.assert(options, { userHandle: bHandle }) });
    expect(res.body.code).toBe('PASSKEY_INVALID');
    const noHandle = await device.post('/api/auth/passkey', { credential: a.passkey.assert(await signInOptions(device), { userHandle: null }) });
    expect(noHandle.body.code).toBe('PASSKEY_INVALID');
  });

  it('completes a pending sign-in with the user\'s own passkey under a new ID, and refuses another user\'s passkey there', async () => {
    const a = await userWithPasskey();
    const b = await userWithPasskey();
    const device = newDevice();
    const login = await device.post('/api/auth/login', { email: b.email, password: b.password, rememberMe: true });
    expect(login.body).toEqual({ mfaRequired: true, methods: ['passkey', 'recovery_code'] });
    const options = await device.post('/api/auth/login/mfa/passkey/options');
    expect(options.status, JSON.stringify(options.body)).toBe(200);
    expect((options.body.options.allowCredentials as { id: string }[]).map((c) => c.id)).toEqual([b.passkey.id]);
    const withA = await device.post('/api/auth/login/mfa/passkey', { credential: a.passkey.assert(options.body.options) });
    expect(withA.body.code).toBe('PASSKEY_INVALID');
    expect(device.cookie('__Host-sid')).toBeUndefined();
    const again = await device.post('/api/auth/login/mfa/passkey/options');
    const res = await device.post('/api/auth/login/mfa/passkey', { credential: b.passkey.assert(again.body.options) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.user).toMatchObject({ id: b.id });
    expect(device.cookie('__Host-pending')).toBeUndefined();
    expect(device.cookie('__Host-remember')).toBeDefined();
    const sessions = (await device.get('/api/sessions')).body.sessions as { current: boolean; signInMethod: string }[];
    expect(sessions.find((s) => s.current)?.signInMethod).toBe('password_passkey');
  });

  it('gives exactly one success to parallel completions with one challenge [A-RACE]', async () => {
    const user = await userWithPasskey();
    const device = newDevice();
    const options = await signInOptions(device);
    const tabs = Array.from({ length: 6 }, () => sameBrowser(t, device));
    const results = await Promise.all(tabs.map((tab, i) => tab.post('/api/auth/passkey', { credential: user.passkey.assert(options, { counter: 100 + i }) })));
    expect(results.filter((res) => res.status === 200)).toHaveLength(1);
    expect(results.filter((res) => res.body.code === 'PASSKEY_INVALID')).toHaveLength(5);
    const pending = newDevice();
    await pending.post('/api/auth/login', { email: user.email, password: user.password });
    const second = (await pending.post('/api/auth/login/mfa/passkey/options')).body.options as Record<string, unknown>;
    const pendingTabs = Array.from({ length: 6 }, () => sameBrowser(t, pending));
    const completed = await Promise.all(pendingTabs.map((tab, i) => tab.post('/api/auth/login/mfa/passkey', { credential: user.passkey.assert(second, { counter: 200 + i }) })));
    expect(completed.filter((res) => res.status === 200)).toHaveLength(1);
  });

  it('limits passkey challenges per IP, under parallel requests too [A-ANON, A-RACE]', async () => {
    const device = newDevice();
    const csrf = await device.fetchCsrfToken();
    const results = await Promise.all(Array.from({ length: ANONYMOUS_LIMIT + 10 }, () => device.post('/api/auth/passkey/options', undefined, { csrf })));
    expect(results.filter((res) => res.status === 200)).toHaveLength(ANONYMOUS_LIMIT);
    expect(results.filter((res) => res.status === 429)).toHaveLength(10);
  });
});
