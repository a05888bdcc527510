import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, type TestUser } from '../auth-helpers.js';
import { addPasskey } from '../passkey-helpers.js';
import { lapseStepUp, sameBrowser } from '../races.js';
import { SoftAuthenticator } from '../soft-authenticator.js';
import { startTestApp, type TestApp } from '../test-app.js';
import type { TestClient } from '../test-client.js';

const ANONYMOUS_LIMIT = 40;

/**
 * A hostile review of passkeys [M-PASSKEY, M-SIGNIN, M-STEPUP, M-CHANGE, A-RACE, A-ANON,
 * S-FIXATION]: challenges answered for the wrong purpose, session, browser or user; authenticator
 * data that lies about presence, verification, RP or counter; removal racing a sign-in; the same
 * credential registered twice; hostile bodies; and anonymous clients filling the challenge table.
 */
describe('attacking passkeys', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'loopback', ANONYMOUS_REQUESTS_PER_IP: String(ANONYMOUS_LIMIT), REQUIRE_MFA_FOR_ADMINS: 'true' });
  });
  afterAll(() => t?.close());

  /** A device at an address of its own, so that the per-IP limits of one test never touch another's. */
  const newDevice = (): TestClient => t.client({ 'X-Forwarded-For': `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}` });

  async function userWithPasskey(fields: Partial<TestUser> = {}): Promise<TestUser & { passkey: SoftAuthenticator; device: TestClient }> {
    const user = await createUser(t, fields);
    const device = await signIn(newDevice(), user);
    const passkey = await addPasskey(t, device);
    return { ...user, passkey, device };
  }

  async function options(device: TestClient, path: string): Promise<Record<string, unknown>> {
    const res = await device.post(path);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.options as Record<string, unknown>;
  }

  const signInOptions = (device: TestClient) => options(device, '/api/auth/passkey/options');
  const stepUpOptions = (device: TestClient) => options(device, '/api/auth/reauth/passkey/options');

  describe('challenges answered for something else', () => {
    it('refuses a registration challenge answered as a step-up assertion from the same session', async () => {
      const user = await userWithPasskey();
      const registration = await options(user.device, '/api/account/passkeys/options');
      await lapseStepUp(t, user.device);
      const res = await user.device.post('/api/auth/reauth/passkey', { credential: user.passkey.assert(registration) });
      expect(res.body.code).toBe('PASSKEY_INVALID');
      expect((await user.device.post('/api/account/passkeys/options')).body.code).toBe('REAUTH_REQUIRED');
    });

    it('refuses a step-up challenge answered as a registration from the same session', async () => {
      const user = await userWithPasskey();
      const stepUp = await stepUpOptions(user.device);
      const registration = { ...stepUp, user: { id: Buffer.from(user.id).toString('base64url'), name: user.email, displayName: user.name } };
      const res = await user.device.post('/api/account/passkeys', { name: 'Smuggled', credential: new SoftAuthenticator(t.config.mail.appUrl).register(registration) });
      expect(res.body.code).toBe('PASSKEY_INVALID');
      expect(await t.prisma.passkey.count({ where: { userId: user.id } })).toBe(1);
    });

    it('refuses a pending sign-in\'s challenge answered as a passwordless sign-in, and a sign-in challenge answered for the pending sign-in', async () => {
      const user = await userWithPasskey();
      const device = newDevice();
      const login = await device.post('/api/auth/login', { email: user.email, password: user.password });
      expect(login.body.mfaRequired).toBe(true);
      const secondFactor = await options(device, '/api/auth/login/mfa/passkey/options');
      await signInOptions(device); // This browser has a passwordless challenge and cookie of its own.
      const asPasswordless = await device.post('/api/auth/passkey', { credential: user.passkey.assert(secondFactor) });
      expect(asPasswordless.body.code).toBe('PASSKEY_INVALID');
      const passwordless = await signInOptions(device);
      const asSecondFactor = await device.post('/api/auth/login/mfa/passkey', { credential: user.passkey.assert(passwordless) });
      expect(asSecondFactor.body.code).toBe('PASSKEY_INVALID');
      expect(device.cookie('__Host-sid')).toBeUndefined();
      expect((await device.get('/api/auth/me')).status).toBe(401);
    });

    it('refuses a passwordless sign-in challenge answered as a step-up, and a step-up challenge from another session of the same user', async () => {
      const user = await userWithPasskey();
      const other = newDevice();
      expect((await other.post('/api/auth/passkey', { credential: user.passkey.assert(await signInOptions(other)) })).status).toBe(200);
      await lapseStepUp(t, user.device);
      const anonymous = await signInOptions(user.device);
      expect((await user.device.post('/api/auth/reauth/passkey', { credential: user.passkey.assert(anonymous) })).body.code).toBe('PASSKEY_INVALID');
      const othersChallenge = await stepUpOptions(other);
      expect((await user.device.post('/api/auth/reauth/passkey', { credential: user.passkey.assert(othersChallenge) })).body.code).toBe('PASSKEY_INVALID');
      expect((await user.device.post('/api/account/passkeys/options')).body.code).toBe('REAUTH_REQUIRED');
    });

    it('kills a step-up challenge when the session moves to a new ID before it is answered', async () => {
      const user = await userWithPasskey();
      await lapseStepUp(t, user.device);
      const stale = await stepUpOptions(user.device);
      // The password step-up moves the session; the challenge was bound to the old ID.
      expect((await user.device.post('/api/auth/reauth', { password: user.password })).status).toBe(200);
      await lapseStepUp(t, user.device);
      expect((await user.device.post('/api/auth/reauth/passkey', { credential: user.passkey.assert(stale) })).body.code).toBe('PASSKEY_INVALID');
    });
  });

  describe('authenticator data and client data that lie', () => {
    it.each([
      ['no user presence (UP off)', { up: false }],
      ['no user verification (UV off)', { uv: false }],
      ['another RP ID hash', { rpId: 'evil.example' }],
      ['a phishing origin', { origin: 'http://evil.example' }],
      ['the right host on another port', { origin: 'http://localhost:1' }],
      ['https instead of the app\'s scheme', { origin: '' }],
      ['a registration\'s client data type', { type: 'webauthn.create' }],
      ['a made-up client data type', { type: 'payment.get' }],
    ])('refuses a passwordless assertion with %s, and signs nobody in', async (_, lie) => {
      const user = await userWithPasskey();
      const device = newDevice();
      const origin = 'origin' in lie && lie.origin === '' ? t.config.mail.appUrl.replace(/^http:/, 'https:') : (lie as { origin?: string }).origin;
      const res = await device.post('/api/auth/passkey', { credential: user.passkey.assert(await signInOptions(device), { ...lie, origin }) });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('PASSKEY_INVALID');
      expect(device.cookie('__Host-sid')).toBeUndefined();
      expect(await t.prisma.securityEvent.count({ where: { userId: user.id, type: 'sign_in', details: { path: ['method'], equals: 'passkey' } } })).toBe(0);
    });

    it('refuses a signature made by another key for this credential ID', async () => {
      const user = await userWithPasskey();
      const forger = new SoftAuthenticator(t.config.mail.appUrl);
      Object.assign(forger, { credentialId: user.passkey.credentialId });
      const device = newDevice();
      const forged = forger.assert(await signInOptions(device), { userHandle: Buffer.from(user.id).toString('base64url') });
      expect((await device.post('/api/auth/passkey', { credential: forged })).body.code).toBe('PASSKEY_INVALID');
    });

    it('refuses an id that is not the rawId, and a user handle that is not the owner\'s in a pending sign-in', async () => {
      const user = await userWithPasskey();
      const stranger = await createUser(t);
      const device = newDevice();
      const assertion = user.passkey.assert(await signInOptions(device));
      expect((await device.post('/api/auth/passkey', { credential: { ...assertion, id: `${assertion.id}A` } })).body.code).toBe('PASSKEY_INVALID');
      const pending = newDevice();
      expect((await pending.post('/api/auth/login', { email: user.email, password: user.password })).body.mfaRequired).toBe(true);
      const challenge = await options(pending, '/api/auth/login/mfa/passkey/options');
      const wrongHandle = user.passkey.assert(challenge, { userHandle: Buffer.from(stranger.id).toString('base64url') });
      expect((await pending.post('/api/auth/login/mfa/passkey', { credential: wrongHandle })).body.code).toBe('PASSKEY_INVALID');
    });
  });

  describe('signature counters', () => {
    it('keeps signing in an authenticator that always reports 0, and refuses 0 once a counter above 0 was seen, with an event', async () => {
      const user = await userWithPasskey();
      for (let i = 0; i < 3; i++) {
        const device = newDevice();
        const res = await device.post('/api/auth/passkey', { credential: user.passkey.assert(await signInOptions(device), { counter: 0 }) });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
      }
      const ahead = newDevice();
      expect((await ahead.post('/api/auth/passkey', { credential: user.passkey.assert(await signInOptions(ahead), { counter: 7 }) })).status).toBe(200);
      const clone = newDevice();
      const res = await clone.post('/api/auth/passkey', { credential: user.passkey.assert(await signInOptions(clone), { counter: 0 }) });
      expect(res.body.code).toBe('PASSKEY_INVALID');
      expect(clone.cookie('__Host-sid')).toBeUndefined();
      const event = await t.prisma.securityEvent.findFirstOrThrow({ where: { userId: user.id, type: 'passkey_counter_regressed' } });
      expect(event.details).toMatchObject({ stored: 7, presented: 0 });
      expect((await t.prisma.passkey.findFirstOrThrow({ where: { userId: user.id } })).counter).toBe(7n);
    });

    it('lets one of two parallel sign-ins presenting the same counter through, from two browsers: a clone racing the original [A-RACE]', async () => {
      const user = await userWithPasskey();
      const devices = [newDevice(), newDevice()];
      const challenges = await Promise.all(devices.map(signInOptions));
      const assertions = challenges.map((challenge) => user.passkey.assert(challenge, { counter: 10 }));
      const results = await Promise.all(devices.map((device, i) => device.post('/api/auth/passkey', { credential: assertions[i] })));
      expect(results.map((res) => res.status).sort()).toEqual([200, 401]);
      expect(await t.prisma.securityEvent.count({ where: { userId: user.id, type: 'passkey_counter_regressed' } })).toBe(1);
    });

    it('refuses a regressed counter in step-up and in a pending sign-in too', async () => {
      const user = await userWithPasskey();
      await lapseStepUp(t, user.device);
      expect((await user.device.post('/api/auth/reauth/passkey', { credential: user.passkey.assert(await stepUpOptions(user.device), { counter: 50 }) })).status).toBe(200);
      await lapseStepUp(t, user.device);
      const stepUp = await user.device.post('/api/auth/reauth/passkey', { credential: user.passkey.assert(await stepUpOptions(user.device), { counter: 49 }) });
      expect(stepUp.body.code).toBe('PASSKEY_INVALID');
      const pending = newDevice();
      await pending.post('/api/auth/login', { email: user.email, password: user.password });
      const second = await pending.post('/api/auth/login/mfa/passkey', { credential: user.passkey.assert(await options(pending, '/api/auth/login/mfa/passkey/options'), { counter: 50 }) });
      expect(second.body.code).toBe('PASSKEY_INVALID');
      expect(await t.prisma.securityEvent.count({ where: { userId: user.id, type: 'passkey_counter_regressed' } })).toBe(2);
    });
  });

  describe('removal racing a sign-in [L-FINAL]', () => {
    /**
     * Holds the passkey's row lock in a transaction of the test's own, sends the sign-in, waits
     * until it is blocked on that lock (its signature already checked), deletes the passkey as a
     * removal would, and commits: the sign-in then finds its passkey gone mid-way.
     */
    async function signInWhileRemoved(user: { id: string; passkey: SoftAuthenticator }, counter: number) {
      const { id } = await t.prisma.passkey.findFirstOrThrow({ where: { userId: user.id } });
      const device = newDevice();
      const challenge = await signInOptions(device);
      let signingIn: Promise<Awaited<ReturnType<TestClient['post']>>> | undefined;
      await t.prisma.$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT 1 FROM passkeys WHERE id = ${id}::uuid FOR UPDATE`;
          signingIn = device.post('/api/auth/passkey', { credential: user.passkey.assert(challenge, { counter }) });
          for (let tries = 0; ; tries++) {
            const [row] = await t.prisma.$queryRaw<{ waiting: number }[]>`
              SELECT count(*)::int AS waiting FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%passkeys%'`;
            if ((row?.waiting ?? 0) > 0) break;
            if (tries > 200) throw new Error('the sign-in never reached the passkey update');
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
          await tx.$executeRaw`DELETE FROM passkeys WHERE id = ${id}::uuid`;
        },
        { timeout: 10_000 },
      );
      return { res: await signingIn!, device };
    }

    it.each([
      ['an authenticator that keeps no counter (always 0)', 0],
      ['an authenticator with a counter', 5],
    ])('a sign-in with a passkey removed mid-way is a clean 401 with no clone alarm: %s', async (_, counter) => {
      const user = await userWithPasskey();
      const { res, device } = await signInWhileRemoved(user, counter);
      expect(res.status, JSON.stringify(res.body)).toBe(401);
      expect(res.body.code).toBe('PASSKEY_INVALID');
      expect(device.cookie('__Host-sid')).toBeUndefined();
      // Removing a passkey is not a cloned authenticator: no false passkey_counter_regressed.
      expect(await t.prisma.securityEvent.count({ where: { userId: user.id, type: 'passkey_counter_regressed' } })).toBe(0);
      expect((await device.get('/api/auth/me')).status).toBe(401);
    });

    it('a removed passkey signs in nowhere: passwordless, pending sign-in or step-up', async () => {
      const user = await userWithPasskey();
      const second = await addPasskey(t, user.device, 'Second');
      const { id } = await t.prisma.passkey.findFirstOrThrow({ where: { userId: user.id, name: 'Laptop' } });
      const asked = newDevice();
      const early = await signInOptions(asked); // Options fetched before the removal.
      expect((await user.device.delete(`/api/account/passkeys/${id}`)).status).toBe(204);
      expect((await asked.post('/api/auth/passkey', { credential: user.passkey.assert(early) })).body.code).toBe('PASSKEY_INVALID');
      const pending = newDevice();
      await pending.post('/api/auth/login', { email: user.email, password: user.password });
      const pendingOptions = await options(pending, '/api/auth/login/mfa/passkey/options');
      expect((pendingOptions.allowCredentials as { id: string }[]).map((c) => c.id)).toEqual([second.id]);
      expect((await pending.post('/api/auth/login/mfa/passkey', { credential: user.passkey.assert(pendingOptions) })).body.code).toBe('PASSKEY_INVALID');
      await lapseStepUp(t, user.device);
      expect((await user.device.post('/api/auth/reauth/passkey', { credential: user.passkey.assert(await stepUpOptions(user.device)) })).body.code).toBe('PASSKEY_INVALID');
    });
  });

  describe('registration', () => {
    it('refuses one credential ID for a second user, and again for its owner; the owner\'s passkey is untouched and nothing is recorded', async () => {
      const owner = await userWithPasskey();
      const attacker = await createUser(t);
      const attackerDevice = await signIn(newDevice(), attacker);
      const other = await signIn(newDevice(), attacker);
      const stolen = await attackerDevice.post('/api/account/passkeys', { name: 'Stolen', credential: owner.passkey.register(await options(attackerDevice, '/api/account/passkeys/options')) });
      expect(stolen.status).toBe(401);
      expect(stolen.body.code).toBe('PASSKEY_INVALID');
      expect(await t.prisma.passkey.count({ where: { userId: attacker.id } })).toBe(0);
      expect(await t.prisma.securityEvent.count({ where: { userId: attacker.id, type: 'passkey_added' } })).toBe(0);
      // A refused change ends nobody's session.
      expect((await other.get('/api/auth/me')).status).toBe(200);
      const registration = await options(owner.device, '/api/account/passkeys/options');
      expect((registration.excludeCredentials as { id: string }[]).map((c) => c.id)).toEqual([owner.passkey.id]);
      const twice = await owner.device.post('/api/account/passkeys', { name: 'Again', credential: owner.passkey.register(registration) });
      expect(twice.body.code).toBe('PASSKEY_INVALID');
      const stored = await t.prisma.passkey.findMany({ where: { credentialId: owner.passkey.credentialId } });
      expect(stored.map((p) => [p.userId, p.name])).toEqual([[owner.id, 'Laptop']]);
    });

    it('refuses a registration made for a phishing origin and RP ID, or on another port', async () => {
      const user = await createUser(t);
      const device = await signIn(newDevice(), user);
      for (const origin of ['http://evil.example', 'http://localhost:1']) {
        const registration = await options(device, '/api/account/passkeys/options');
        const res = await device.post('/api/account/passkeys', { name: 'Phished', credential: new SoftAuthenticator(origin).register(registration) });
        expect(res.body.code).toBe('PASSKEY_INVALID');
      }
      expect(await t.prisma.passkey.count({ where: { userId: user.id } })).toBe(0);
    });

    it('never removes another user\'s passkey, in parallel with its owner\'s use of it', async () => {
      const owner = await userWithPasskey();
      const attacker = await signIn(newDevice(), await createUser(t));
      const { id } = await t.prisma.passkey.findFirstOrThrow({ where: { userId: owner.id } });
      const device = newDevice();
      const [removed, signedIn] = await Promise.all([
        attacker.delete(`/api/account/passkeys/${id}`),
        device.post('/api/auth/passkey', { credential: owner.passkey.assert(await signInOptions(device)) }),
      ]);
      expect(removed.status).toBe(404);
      expect(signedIn.status).toBe(200);
      expect(await t.prisma.passkey.count({ where: { id } })).toBe(1);
    });
  });

  describe('sessions and fixation [S-FIXATION, M-SIGNIN]', () => {
    it('a pending sign-in completed by passkey runs under a new ID, the pending one is dead, and "remember me" off means no remember cookie', async () => {
      const user = await userWithPasskey();
      const device = newDevice();
      await device.post('/api/auth/login', { email: user.email, password: user.password, rememberMe: false });
      const pendingSid = device.cookie('__Host-sid');
      const pendingCookie = device.cookie('__Host-pending');
      expect(pendingCookie).toBeDefined();
      const before = sameBrowser(t, device);
      const res = await device.post('/api/auth/login/mfa/passkey', { credential: user.passkey.assert(await options(device, '/api/auth/login/mfa/passkey/options')) });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(device.cookie('__Host-sid')).toBeDefined();
      expect(device.cookie('__Host-sid')).not.toBe(pendingSid);
      expect(device.cookie('__Host-remember')).toBeUndefined();
      expect((await device.get('/api/auth/me')).status).toBe(200);
      // The cookies from before the passkey: no session, and the pending sign-in cannot be completed again.
      expect((await before.get('/api/auth/me')).status).toBe(401);
      const again = await before.post('/api/auth/login/mfa/passkey/options');
      expect(again.body.code).toBe('UNAUTHENTICATED');
    });

    it('a passwordless sign-in replaces the browser\'s earlier session: the old ID is dead', async () => {
      const user = await userWithPasskey();
      const stranger = await createUser(t);
      const device = await signIn(newDevice(), stranger);
      const earlier = sameBrowser(t, device);
      const res = await device.post('/api/auth/passkey', { credential: user.passkey.assert(await signInOptions(device)) });
      expect(res.status).toBe(200);
      expect(device.cookie('__Host-sid')).not.toBe(earlier.cookie('__Host-sid'));
      expect((await device.get('/api/auth/me')).body.user.id).toBe(user.id);
      expect((await earlier.get('/api/auth/me')).status).toBe(401);
    });

    it('a passkey step-up moves the session to a new ID; the old ID opens nothing', async () => {
      const user = await userWithPasskey();
      await lapseStepUp(t, user.device);
      const before = sameBrowser(t, user.device);
      const res = await user.device.post('/api/auth/reauth/passkey', { credential: user.passkey.assert(await stepUpOptions(user.device)) });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(user.device.cookie('__Host-sid')).not.toBe(before.cookie('__Host-sid'));
      expect((await user.device.post('/api/account/passkeys/options')).status).toBe(200);
      // The ID from before the step-up neither carries the fresh window nor any session at all.
      const stale = await before.post('/api/account/passkeys/options');
      expect(stale.status).toBe(401);
      expect((await before.get('/api/auth/me')).status).toBe(401);
      const event = await t.prisma.securityEvent.findFirst({ where: { userId: user.id, type: 'step_up', details: { path: ['method'], equals: 'passkey' } } });
      expect(event).not.toBeNull();
    });

    it('a pending sign-in proved before "log out other devices" cannot be completed by passkey after it [L-FINAL]', async () => {
      const user = await userWithPasskey();
      const device = newDevice();
      await device.post('/api/auth/login', { email: user.email, password: user.password, rememberMe: true });
      const challenge = await options(device, '/api/auth/login/mfa/passkey/options');
      expect((await user.device.post('/api/sessions/revoke-others')).status).toBe(200);
      const res = await device.post('/api/auth/login/mfa/passkey', { credential: user.passkey.assert(challenge) });
      expect(res.status).toBe(401);
      expect(device.cookie('__Host-remember')).toBeUndefined();
      expect((await device.get('/api/auth/me')).status).toBe(401);
      expect(await t.prisma.rememberToken.count({ where: { userId: user.id, endedAt: null } })).toBe(0);
    });

    it('needs the CSRF token on every passkey route, anonymous ones too [I-CSRF]', async () => {
      const user = await userWithPasskey();
      const device = newDevice();
      const challenge = await signInOptions(device);
      expect((await device.post('/api/auth/passkey/options', undefined, { csrf: false })).status).toBe(403);
      expect((await device.post('/api/auth/passkey', { credential: user.passkey.assert(challenge) }, { csrf: false })).status).toBe(403);
      expect(device.cookie('__Host-sid')).toBeUndefined();
      await lapseStepUp(t, user.device);
      const stepUp = await stepUpOptions(user.device);
      expect((await user.device.post('/api/auth/reauth/passkey', { credential: user.passkey.assert(stepUp) }, { csrf: false })).status).toBe(403);
      expect((await user.device.post('/api/auth/reauth/passkey/options', undefined, { csrf: false })).status).toBe(403);
    });

    it('exactly one of parallel step-ups with one challenge succeeds [A-RACE]', async () => {
      const user = await userWithPasskey();
      await lapseStepUp(t, user.device);
      const challenge = await stepUpOptions(user.device);
      const tabs = Array.from({ length: 6 }, () => sameBrowser(t, user.device));
      const results = await Promise.all(tabs.map((tab, i) => tab.post('/api/auth/reauth/passkey', { credential: user.passkey.assert(challenge, { counter: 300 + i }) })));
      expect(results.filter((res) => res.status === 200)).toHaveLength(1);
      expect(await t.prisma.securityEvent.count({ where: { userId: user.id, type: 'step_up' } })).toBe(1);
    });

    it('an admin whose only factor is a passkey signs in with it and reaches admin routes under REQUIRE_MFA_FOR_ADMINS; by password alone, never', async () => {
      const admin = await userWithPasskey({ role: 'admin' });
      const byPassword = newDevice();
      const login = await byPassword.post('/api/auth/login', { email: admin.email, password: admin.password });
      expect(login.body).toEqual({ mfaRequired: true, methods: ['passkey', 'recovery_code'] });
      expect((await byPassword.get('/api/admin/users')).status).toBe(401);
      const device = newDevice();
      expect((await device.post('/api/auth/passkey', { credential: admin.passkey.assert(await signInOptions(device)) })).status).toBe(200);
      expect((await device.get('/api/admin/users')).status).toBe(200);
    });
  });

  describe('hostile bodies [I-BAD]', () => {
    it('answers malformed passkey responses with a 400 and never a 500', async () => {
      const user = await userWithPasskey();
      const device = newDevice();
      const good = user.passkey.assert(await signInOptions(device));
      const bodies: unknown[] = [
        {},
        { credential: 'x' },
        { credential: [good] },
        { credential: { ...good, id: ['a'] } },
        { credential: { ...good, rawId: 12 } },
        { credential: { ...good, id: 'x'.repeat(5000), rawId: 'x'.repeat(5000) } },
        { credential: { ...good, id: 'not base64url!', rawId: 'not base64url!' } },
        { credential: { ...good, type: 'password' } },
        { credential: { ...good, response: null } },
        { credential: { ...good, response: [] } },
        { credential: { ...good, response: { ...good.response, clientDataJSON: 'A'.repeat(100_000) } } },
        { credential: { ...good, response: { ...good.response, signature: { $gt: '' } } } },
        { credential: { ...good, response: { ...good.response, userHandle: 42 } } },
        { credential: { ...good, response: { ...good.response, authenticatorData: undefined } } },
        { credential: { ...good, clientExtensionResults: 'none' } },
        { credential: good, rememberMe: 'yes' },
        JSON.parse(`{"credential": ${JSON.stringify(good)}, "__proto__": {"admin": true}}`),
        JSON.parse(`{"credential": {"constructor": {"prototype": {"admin": true}}}}`),
      ];
      for (const body of bodies) {
        const res = await device.post('/api/auth/passkey', body as object);
        // 413 for the body over the size limit, 400 for everything else.
        expect([400, 413], JSON.stringify(body).slice(0, 200)).toContain(res.status);
        expect(res.body).toMatchObject({ statusCode: res.status, code: expect.any(String), message: expect.any(String) });
      }
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
    });

    it('answers a well-formed response carrying garbage with PASSKEY_INVALID, never a 500', async () => {
      const user = await userWithPasskey();
      const device = newDevice();
      const good = user.passkey.assert(await signInOptions(device));
      const garbage = [
        { ...good.response, clientDataJSON: Buffer.from('null').toString('base64url') },
        { ...good.response, clientDataJSON: Buffer.from('{"challenge": {"$ne": 1}}').toString('base64url') },
        { ...good.response, clientDataJSON: 'AAAA' },
        { ...good.response, authenticatorData: 'AAAA' },
        { ...good.response, signature: '' },
        { ...good.response, userHandle: '' },
      ];
      for (const response of garbage) {
        const res = await device.post('/api/auth/passkey', { credential: { ...good, response } });
        expect(res.status, JSON.stringify(response)).toBe(401);
        expect(res.body.code).toBe('PASSKEY_INVALID');
      }
      const empty = await device.post('/api/auth/passkey', { credential: { ...good, id: '', rawId: '' } });
      expect([400, 401]).toContain(empty.status);
    });
  });

  describe('anonymous state [A-ANON]', () => {
    it('passwordless options say nothing about any account: no allowCredentials, the same shape for everyone', async () => {
      await userWithPasskey();
      const a = await signInOptions(newDevice());
      const b = await signInOptions(newDevice());
      expect(a.allowCredentials ?? []).toEqual([]);
      expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
      expect(a.challenge).not.toBe(b.challenge);
      expect(a.userVerification).toBe('required');
    });

    it('limits anonymous passkey challenges per network too: a /48 of IPv6 /64s cannot fill the table', async () => {
      const before = await t.prisma.passkeyChallenge.count();
      const results: number[] = [];
      // Each request from a /64 of its own, all in one /48: the per-address limit alone never trips.
      for (let i = 0; i < ANONYMOUS_LIMIT * 4; i++) {
        const device = t.client({ 'X-Forwarded-For': `2001:db8:77:${i.toString(16)}::1` });
        results.push((await device.post('/api/auth/passkey/options')).status);
      }
      expect(results.filter((status) => status === 429).length).toBeGreaterThanOrEqual(ANONYMOUS_LIMIT);
      expect((await t.prisma.passkeyChallenge.count()) - before).toBeLessThanOrEqual(ANONYMOUS_LIMIT * 3);
    });

    it('limits registration challenges too: a signed-in account cannot store challenge rows without limit [A-RACE]', async () => {
      const user = await createUser(t);
      const device = await signIn(newDevice(), user);
      const before = await t.prisma.passkeyChallenge.count({ where: { userId: user.id } });
      const csrf = await device.fetchCsrfToken();
      const results = await Promise.all(Array.from({ length: ANONYMOUS_LIMIT + 10 }, () => device.post('/api/account/passkeys/options', undefined, { csrf })));
      expect(results.filter((res) => res.status === 429).length).toBeGreaterThanOrEqual(10);
      expect((await t.prisma.passkeyChallenge.count({ where: { userId: user.id } })) - before).toBeLessThanOrEqual(ANONYMOUS_LIMIT);
    });

    it('a passkey-only account\'s pending sign-in refuses a TOTP code it never had and a wrong recovery code (401), and completes with a right one', async () => {
      const user = await createUser(t);
      const enrolling = await signIn(newDevice(), user);
      const authenticator = new SoftAuthenticator(t.config.mail.appUrl);
      const registration = await options(enrolling, '/api/account/passkeys/options');
      const added = await enrolling.post('/api/account/passkeys', { name: 'Laptop', credential: authenticator.register(registration) });
      const recoveryCodes = added.body.recoveryCodes as string[];
      expect(recoveryCodes).toHaveLength(10);
      const device = newDevice();
      expect((await device.post('/api/auth/login', { email: user.email, password: user.password })).body.methods).toEqual(['passkey', 'recovery_code']);
      for (const proof of [{ code: '123456' }, { recoveryCode: 'aaaa-bbbb-cccc' }]) {
        const res = await device.post('/api/auth/login/mfa', proof);
        expect(res.status, JSON.stringify(res.body)).toBe(401);
      }
      expect((await device.get('/api/auth/me')).status).toBe(401);
      const res = await device.post('/api/auth/login/mfa', { recoveryCode: recoveryCodes[0] });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect((await device.get('/api/auth/me')).status).toBe(200);
    });

    it('one address past its own limit does not spend its network\'s budget for its neighbours', async () => {
      const noisy = t.client({ 'X-Forwarded-For': '198.51.100.1' });
      const csrf = await noisy.fetchCsrfToken();
      const results = await Promise.all(Array.from({ length: ANONYMOUS_LIMIT * 4 }, () => noisy.post('/api/auth/passkey/options', undefined, { csrf })));
      expect(results.filter((res) => res.status === 200)).toHaveLength(ANONYMOUS_LIMIT);
      const neighbour = t.client({ 'X-Forwarded-For': '198.51.100.2' });
      expect((await neighbour.post('/api/auth/passkey/options')).status).toBe(200);
    });

    it('limits anonymous passkey challenges per IPv4 /24 too', async () => {
      const results: number[] = [];
      for (let i = 0; i < ANONYMOUS_LIMIT * 4; i++) {
        const device = t.client({ 'X-Forwarded-For': `192.0.2.${(i % 250) + 1}` });
        results.push((await device.post('/api/auth/passkey/options')).status);
      }
      expect(results.filter((status) => status === 429).length).toBeGreaterThanOrEqual(ANONYMOUS_LIMIT);
    });
  });
});
