import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, PASSWORD, signIn, type TestUser } from '../auth-helpers.js';
import { lapseStepUp, liveSessions, ROUNDS, sameBrowser } from '../races.js';
import { failEvents, stopFailingEvents } from '../failing-events.js';
import { startTestApp, type TestApp } from '../test-app.js';
import { setCookieHeaders, type TestClient } from '../test-client.js';

/**
 * Attacks on the "services free of HTTP" refactor (65d6639): the client context is read once at
 * the edge, the presented session is a snapshot (@CurrentSession), and controllers adopt, detach
 * and forget sessions after the services return. Real PostgreSQL, real HTTP, no mocks.
 */

const SID = '__Host-sid';
const REMEMBER = '__Host-remember';
const DEVICE = '__Host-device';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** The stored hash of the session a cookie jar holds (its public id), or undefined. */
function heldSid(client: TestClient): string | undefined {
  const raw = client.cookie(SID);
  if (!raw) return undefined;
  const value = decodeURIComponent(raw);
  if (!value.startsWith('s:')) return undefined;
  const signed = value.slice(2);
  return sha256(signed.slice(0, signed.lastIndexOf('.')));
}

const me = async (client: TestClient) => (await client.get('/api/auth/me')).status;

/** A browser that has just restarted: only its remember-me cookie (and device cookie) survive. */
function restarted(t: TestApp, device: TestClient): TestClient {
  return sameBrowser(t, device, [REMEMBER, DEVICE]);
}

describe('services free of HTTP: attacks on the edge glue', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      TRUST_PROXY: 'loopback',
      REMEMBER_ME_GRACE: '1',
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '5',
      LOGIN_MAX_FAILURES_PER_IP: '1000',
      SIGN_UPS_PER_IP: '1000',
      ANONYMOUS_REQUESTS_PER_IP: '100000',
    });
  });
  afterAll(() => t?.close());

  describe('public routes: the client context is read before @Public(), nothing else runs', () => {
    it('anonymous csrf, failed logins and garbage cookies store no session or series row [A-ANON]', async () => {
      const victim = await createUser(t);
      const victimDevice = await signIn(t.client(), victim, { rememberMe: true });
      const [sessionsBefore, seriesBefore] = await Promise.all([t.prisma.session.count(), t.prisma.rememberToken.count()]);
      const victimSelector = victimDevice.cookie(REMEMBER)!.split('.')[0]!;
      const garbage: [string, string][][] = [
        [[SID, 's%3Agarbage.garbage'], [REMEMBER, `${'A'.repeat(22)}.${'B'.repeat(43)}`]],
        [[REMEMBER, `${victimSelector}.${'C'.repeat(43)}`]],
        [[SID, 'x'.repeat(4000)]],
        [[DEVICE, 'a.b.c'], [REMEMBER, '..']],
      ];
      const answers = await Promise.all(
        Array.from({ length: 40 }, async (_, i) => {
          const client = t.client({ 'X-Forwarded-For': `198.51.${i}.1`, 'User-Agent': `fuzz ${'\u00ff'.repeat(i)}` });
          const jar = () => garbage[i % garbage.length]!.forEach(([name, value]) => client.setCookie(name, value));
          jar();
          const csrf = await client.get('/api/auth/csrf');
          jar();
          const login = await client.post('/api/auth/login', { email: i % 2 ? victim.email : `nobody-${i}@example.com`, password: 'wrong password!!' });
          jar();
          const health = await client.get('/api/health');
          return [csrf.status, login.status, health.status];
        }),
      );
      for (const [csrf, login, health] of answers) {
        expect(csrf).toBe(200);
        expect([401, 429]).toContain(login);
        expect(health).toBeLessThan(500);
      }
      expect(await t.prisma.session.count()).toBe(sessionsBefore);
      expect(await t.prisma.rememberToken.count()).toBe(seriesBefore);
      // The forged validator for the victim's selector revoked nothing: the victim is still remembered.
      expect(await t.prisma.rememberToken.count({ where: { userId: victim.id, endedAt: null } })).toBe(1);
      expect(await me(restarted(t, victimDevice))).toBe(200);
    });

    it("a sign-in sent someone else's selector with a forged validator signs in, clears the cookie and revokes nothing [R-ONE]", async () => {
      const victim = await createUser(t);
      const attacker = await createUser(t);
      const victimDevice = await signIn(t.client(), victim, { rememberMe: true });
      const browser = t.client();
      browser.setCookie(REMEMBER, `${victimDevice.cookie(REMEMBER)!.split('.')[0]}.${'Z'.repeat(43)}`);
      const res = await browser.post('/api/auth/login', { email: attacker.email, password: attacker.password });
      expect(res.status).toBe(200);
      expect(setCookieHeaders(res).some((c) => c.startsWith(`${REMEMBER}=;`))).toBe(true);
      expect(browser.cookie(REMEMBER)).toBeUndefined();
      expect((await browser.get('/api/auth/me')).body.user.id).toBe(attacker.id);
      expect(await t.prisma.rememberToken.count({ where: { userId: victim.id, endedAt: null } })).toBe(1);
      expect(await me(restarted(t, victimDevice))).toBe(200);
    });

    it('a sign-in over a live session of another user ends that session: the previous person is gone [S-FIXATION, R-ONE]', async () => {
      const first = await createUser(t);
      const second = await createUser(t);
      const browser = await signIn(t.client(), first, { rememberMe: true });
      const before = sameBrowser(t, browser);
      const oldSid = heldSid(browser)!;
      await signIn(browser, second);
      expect((await browser.get('/api/auth/me')).body.user.id).toBe(second.id);
      expect(heldSid(browser)).not.toBe(oldSid);
      expect(browser.cookie(REMEMBER)).toBeUndefined();
      const replay = await before.get('/api/auth/me');
      expect(replay.status).toBe(401);
      expect(replay.body.reason).toBe('signed_out');
      expect(await liveSessions(t, first.id)).toBe(0);
      expect(await t.prisma.rememberToken.count({ where: { userId: first.id, endedAt: null } })).toBe(0);
    });
  });

  describe('remembered device with a live session', () => {
    it("a garbage or another user's remember cookie next to a valid session changes nothing: the session's user goes on", async () => {
      const owner = await createUser(t);
      const other = await createUser(t);
      const otherDevice = await signIn(t.client(), other, { rememberMe: true });
      const device = await signIn(t.client(), owner);
      for (const value of ['garbage', `${'A'.repeat(22)}.${'B'.repeat(43)}`, otherDevice.cookie(REMEMBER)!, `${otherDevice.cookie(REMEMBER)!.split('.')[0]}.${'Q'.repeat(43)}`]) {
        device.setCookie(REMEMBER, value);
        const res = await device.get('/api/auth/me');
        expect(res.status).toBe(200);
        expect(res.body.user.id).toBe(owner.id);
      }
      // The other user's token was neither used nor rotated by the owner's requests.
      expect(await me(restarted(t, otherDevice))).toBe(200);
      expect(await t.prisma.securityEvent.count({ where: { userId: other.id, type: { in: ['remember_me_theft', 'remember_me_used'] } } })).toBe(1);
    });

    it('an idle-timed-out session with its remember cookie is restored under a new ID, the old one stays dead [L-IDLE, R-ROTATE]', async () => {
      const user = await createUser(t);
      const device = await signIn(t.client(), user, { rememberMe: true });
      const oldCookie = device.cookie(SID)!;
      const oldSid = heldSid(device)!;
      await t.prisma.$executeRaw`
        UPDATE session SET sess = jsonb_set(sess::jsonb, '{lastActiveAt}', to_jsonb((sess->>'lastActiveAt')::bigint - 31 * 60000))::json
        WHERE sid = ${oldSid}`;
      const res = await device.get('/api/auth/me');
      expect(res.status).toBe(200);
      expect(res.body.session.remembered).toBe(true);
      expect(heldSid(device)).not.toBe(oldSid);
      const replay = t.client();
      replay.setCookie(SID, oldCookie);
      const old = await replay.get('/api/auth/me');
      expect(old.status).toBe(401);
      expect(old.body.reason).toBe('idle_timeout');
      expect(await liveSessions(t, user.id)).toBe(1);
    });

    it('a restore from another network and browser family is refused and ends the series; the client context is that of the request [A-SUSPECT]', async () => {
      const user = await createUser(t);
      const owner = await signIn(t.client({ 'X-Forwarded-For': '198.51.100.7', 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' }), user, {
        rememberMe: true,
      });
      const thief = t.client({ 'X-Forwarded-For': '203.0.113.9', 'User-Agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36' });
      thief.setCookie(REMEMBER, owner.cookie(REMEMBER));
      const res = await thief.get('/api/auth/me');
      expect(res.status).toBe(401);
      expect(res.body.reason).toBe('suspicious');
      expect(thief.cookie(REMEMBER)).toBeUndefined();
      expect(await t.prisma.rememberToken.count({ where: { userId: user.id, endedAt: null } })).toBe(0);
      const event = await t.prisma.securityEvent.findFirst({ where: { userId: user.id, type: 'suspicious_session_ended' } });
      expect(event?.ip).toBe('203.0.113.9');
    });
  });

  describe('revoke, revoke-others, step-up and logout under parallel requests', () => {
    it('revoking this very session by its id signs the device out and clears both cookies [D-REVOKE, C-CLEAR]', async () => {
      const user = await createUser(t);
      const device = await signIn(t.client(), user, { rememberMe: true });
      const copy = sameBrowser(t, device);
      const id = (await device.get('/api/auth/me')).body.session.id as string;
      const res = await device.delete(`/api/sessions/${id}`);
      expect(res.status).toBe(204);
      expect(device.cookie(SID)).toBeUndefined();
      expect(device.cookie(REMEMBER)).toBeUndefined();
      expect((await copy.get('/api/auth/me')).body.reason).toBe('revoked');
      expect(await t.prisma.rememberToken.count({ where: { userId: user.id, endedAt: null } })).toBe(0);
    });

    it("another user's session id or series id is a 404 and ends nothing [D-REVOKE]", async () => {
      const owner = await createUser(t);
      const victim = await createUser(t);
      const victimDevice = await signIn(t.client(), victim, { rememberMe: true });
      const victimSid = heldSid(victimDevice)!;
      const series = await t.prisma.rememberToken.findFirstOrThrow({ where: { userId: victim.id } });
      const device = await signIn(t.client(), owner);
      for (const id of [victimSid, series.id, 'x'.repeat(64), '00000000-0000-4000-8000-000000000000']) {
        expect((await device.delete(`/api/sessions/${id}`)).status).toBe(404);
      }
      expect(await me(victimDevice)).toBe(200);
      expect(await t.prisma.rememberToken.count({ where: { userId: victim.id, endedAt: null } })).toBe(1);
    });

    it("revoking the device's session by the ID it had before a role change ends it: no new session cookie for an ended session [L-FINAL]", async () => {
      const user = await createUser(t);
      const device = await signIn(t.client(), user);
      const id = (await device.get('/api/auth/me')).body.session.id as string;
      await t.prisma.user.update({ where: { id: user.id }, data: { role: 'admin' } });
      // The devices page still shows the ID from before the role change; the guard moves the session first.
      const res = await device.delete(`/api/sessions/${id}`);
      expect(res.status).toBe(204);
      expect(await liveSessions(t, user.id)).toBe(0);
      // [L-FINAL] "Ending the current session stores no new session and sets no new session cookie."
      expect(setCookieHeaders(res).filter((c) => c.startsWith(`${SID}=`) && !c.startsWith(`${SID}=;`))).toEqual([]);
    });

    it('revoke-others keeps the series of the current device even when the request does not say which it is [D-REVOKE]', async () => {
      const user = await createUser(t);
      const remembered = await signIn(t.client(), user, { rememberMe: true });
      const tab = restarted(t, remembered);
      expect(await me(tab)).toBe(200); // restored: a new session on the same series
      expect((await tab.post('/api/auth/reauth', { password: PASSWORD })).status).toBe(200);
      const others = await Promise.all(Array.from({ length: 3 }, () => signIn(t.client(), user, { rememberMe: true })));
      const res = await tab.post('/api/sessions/revoke-others');
      expect(res.status).toBe(200);
      expect(res.body.revoked).toBe(3);
      for (const other of others) expect(await me(restarted(t, other))).toBe(401);
      expect(await t.prisma.rememberToken.count({ where: { userId: user.id, endedAt: null } })).toBe(1);
      expect(await me(restarted(t, tab))).toBe(200);
    });

    it('20 parallel revoke-others, sign-ins and restores: never a 5xx, and no session or series is left that no client holds [L-FINAL]', { timeout: 120_000 }, async () => {
      for (let round = 0; round < 3; round++) {
        const user = await createUser(t);
        const keeper = await signIn(t.client(), user);
        const remembered = await Promise.all(Array.from({ length: 4 }, () => signIn(t.client(), user, { rememberMe: true })));
        const clients: TestClient[] = [keeper, ...remembered];
        const signIns = Array.from({ length: 6 }, () => t.client());
        const restores = remembered.flatMap((device) => [restarted(t, device), restarted(t, device)]);
        clients.push(...signIns, ...restores);
        await Promise.all([keeper.fetchCsrfToken(), ...signIns.map((c) => c.fetchCsrfToken())]);
        const answers = await Promise.all([
          ...Array.from({ length: 4 }, () => keeper.post('/api/sessions/revoke-others')),
          ...signIns.map((c, i) => c.post('/api/auth/login', { email: user.email, password: user.password, rememberMe: i % 2 === 0 })),
          ...restores.map((c) => c.get('/api/auth/me')),
          ...remembered.map((c) => c.get('/api/auth/me')),
        ]);
        for (const res of answers) expect(res.status, `round ${round}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
        expect(await me(keeper), `round ${round}`).toBe(200);
        // Every live session is held by a client's cookie, every live series by a client's remember cookie.
        const held = new Set(clients.map(heldSid).filter(Boolean));
        const heldSelectors = new Set(clients.map((c) => c.cookie(REMEMBER)?.split('.')[0]).filter(Boolean));
        const rows = await t.prisma.session.findMany({ where: { userId: user.id, expire: { gt: new Date() } }, select: { sid: true } });
        for (const { sid } of rows) expect(held.has(sid), `round ${round}: orphan session ${sid}`).toBe(true);
        const series = await t.prisma.rememberToken.findMany({ where: { userId: user.id, endedAt: null }, select: { selector: true } });
        for (const { selector } of series) expect(heldSelectors.has(selector), `round ${round}: orphan series`).toBe(true);
        // One last "log out other devices" leaves the keeper alone.
        expect((await keeper.post('/api/sessions/revoke-others')).status).toBe(200);
        expect(await liveSessions(t, user.id)).toBe(1);
        expect(await t.prisma.rememberToken.count({ where: { userId: user.id, endedAt: null } })).toBe(0);
        for (const client of clients) if (client !== keeper) expect(await me(client), `round ${round}`).toBe(401);
      }
    });

    it('logout racing step-ups and reads of the same browser: every tab ends signed out, no session survives [L-LOGOUT, L-FINAL]', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const user = await createUser(t);
        const tab1 = await signIn(t.client(), user, { rememberMe: true });
        const tabs = Array.from({ length: 4 }, () => sameBrowser(t, tab1));
        await Promise.all([tab1, ...tabs].map((tab) => tab.fetchCsrfToken()));
        const answers = await Promise.all([
          tab1.post('/api/auth/logout'),
          ...tabs.map((tab, i) => (i % 2 ? tab.post('/api/auth/reauth', { password: PASSWORD }) : tab.get('/api/auth/me'))),
        ]);
        expect(answers[0]!.status, `round ${round}`).toBe(204);
        for (const res of answers) expect(res.status).toBeLessThan(500);
        for (const tab of [tab1, ...tabs]) expect(await me(tab), `round ${round}`).toBe(401);
        expect(await liveSessions(t, user.id)).toBe(0);
        expect(await t.prisma.rememberToken.count({ where: { userId: user.id, endedAt: null } })).toBe(0);
      }
    });

    it("a password change racing restores of its own device's series: never a 5xx, one session per series, other devices out [U-INVALIDATE, R-ONE]", async () => {
      for (let round = 0; round < 5; round++) {
        const user = await createUser(t);
        const device = await signIn(t.client(), user, { rememberMe: true });
        const bystander = await signIn(t.client(), user, { rememberMe: true });
        const tabs = Array.from({ length: 6 }, () => restarted(t, device));
        await device.fetchCsrfToken();
        const hashBefore = (await t.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash;
        const newPassword = `changed in round ${round} ${Math.random()}`;
        const [changed, ...restores] = await Promise.all([device.post('/api/account/password', { newPassword }), ...tabs.map((tab) => tab.get('/api/auth/me'))]);
        for (const res of [changed, ...restores]) expect(res.status, `round ${round}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
        const passwordChanged = (await t.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash !== hashBefore;
        if (passwordChanged) {
          expect(await me(bystander), `round ${round}`).toBe(401);
          expect(await me(restarted(t, bystander)), `round ${round}`).toBe(401);
        }
        const series = await t.prisma.rememberToken.findMany({ where: { userId: user.id, endedAt: null }, select: { id: true } });
        for (const { id } of series) {
          expect(await t.prisma.session.count({ where: { rememberSeriesId: id, expire: { gt: new Date() } } })).toBeLessThanOrEqual(1);
        }
      }
    });

    it('step-up of a remembered session opens the window under a new ID; the snapshot session is not reused [S-FIXATION, U-REMEMBERED]', async () => {
      const user = await createUser(t);
      const tab = restarted(t, await signIn(t.client(), user, { rememberMe: true }));
      expect(await me(tab)).toBe(200);
      const before = sameBrowser(t, tab, [SID]);
      const beforeSid = heldSid(tab);
      expect((await tab.post('/api/sessions/revoke-others')).body.code).toBe('REAUTH_REQUIRED');
      const res = await tab.post('/api/auth/reauth', { password: PASSWORD });
      expect(res.status).toBe(200);
      expect(res.body.session.id).toBe(heldSid(tab));
      expect(heldSid(tab)).not.toBe(beforeSid);
      expect(res.body.session.stepUpExpiresAt).not.toBeNull();
      expect(await me(before)).toBe(401);
      expect((await tab.post('/api/sessions/revoke-others')).status).toBe(200);
      await lapseStepUp(t, tab);
      expect((await tab.post('/api/sessions/revoke-others')).body.code).toBe('REAUTH_REQUIRED');
    });
  });

  describe('device cookie and login throttle', () => {
    it('the owner with a device cookie still signs in while the account is locked; a device cookie of another account or before a password change is not trusted [A-BRUTE]', async () => {
      const owner = await createUser(t);
      const other = await createUser(t);
      const browser = await signIn(t.client(), owner);
      const deviceCookie = browser.cookie(DEVICE)!;
      expect(deviceCookie).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
      const otherBrowser = await signIn(t.client(), other);
      // The attacker spends the owner's account counter from many addresses.
      const guesses = await Promise.all(
        Array.from({ length: 12 }, (_, i) => t.client({ 'X-Forwarded-For': `203.0.${i}.1` }).post('/api/auth/login', { email: owner.email, password: 'guess guess guess' })),
      );
      expect(guesses.filter((res) => res.status === 429).length).toBeGreaterThan(0);
      // Without the device cookie the owner is locked out, like the attacker.
      expect((await t.client().post('/api/auth/login', { email: owner.email, password: owner.password })).status).toBe(429);
      // Another account's (valid) device cookie does not unlock this account.
      const borrowed = t.client();
      borrowed.setCookie(DEVICE, otherBrowser.cookie(DEVICE));
      expect((await borrowed.post('/api/auth/login', { email: owner.email, password: owner.password })).status).toBe(429);
      // The owner's browser gets in, and so does a step-up in it.
      const known = t.client();
      known.setCookie(DEVICE, deviceCookie);
      expect((await known.post('/api/auth/login', { email: owner.email, password: owner.password })).status).toBe(200);
      expect((await known.post('/api/auth/reauth', { password: PASSWORD })).status).toBe(200);
      // A password change bumps the generation: the old device cookie vouches for nothing.
      expect((await known.post('/api/account/password', { newPassword: 'a fresh password for the owner' })).status).toBe(204);
      const stale = t.client();
      stale.setCookie(DEVICE, deviceCookie);
      expect((await stale.post('/api/auth/login', { email: owner.email, password: 'a fresh password for the owner' })).status).toBe(429);
    });
  });

  // A change and its security event commit together, so an error can never leave the database
  // changed and the browser holding what the change made stale.
  describe('a change whose security event cannot be stored', () => {
    it('a restore whose remember_me_used event fails rotates nothing, so the owner is no thief later [R-ROTATE, R-THEFT]', async () => {
      const user = await createUser(t);
      const device = await signIn(t.client(), user, { rememberMe: true });
      const browser = restarted(t, device);
      await failEvents(t, user.id, 'remember_me_used');
      let res;
      try {
        res = await browser.get('/api/auth/me');
      } finally {
        await stopFailingEvents(t);
      }
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(browser.cookie(REMEMBER), 'the browser keeps the validator that is still the current one').toBe(device.cookie(REMEMBER));
      expect(await t.prisma.session.count({ where: { userId: user.id } }), 'no session was stored for the failed restore').toBe(1);
      await sleep(1200); // past REMEMBER_ME_GRACE
      const next = await browser.get('/api/auth/me');
      expect(next.body.reason, 'the owner is treated as a thief').not.toBe('theft');
      expect(next.status).toBe(200);
    });

    it('a password change whose event fails changes nothing and keeps this device signed in [U-INVALIDATE]', async () => {
      const user = await createUser(t);
      const device = await signIn(t.client(), user);
      await device.fetchCsrfToken();
      const hashBefore = (await t.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash;
      await failEvents(t, user.id, 'password_changed');
      let res;
      try {
        res = await device.post('/api/account/password', { newPassword: 'a new password that is long' });
      } finally {
        await stopFailingEvents(t);
      }
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect((await t.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash, 'the password is unchanged').toBe(hashBefore);
      expect(await me(device), 'the device was silently signed out').toBe(200);
    });

    it('a sign-in whose sign_in event fails leaves no session or remember-me series that no browser holds [L-FINAL, D-LIST]', async () => {
      const user = await createUser(t);
      const browser = t.client();
      await browser.fetchCsrfToken();
      await failEvents(t, user.id, 'sign_in');
      let res;
      try {
        res = await browser.post('/api/auth/login', { email: user.email, password: user.password, rememberMe: true });
      } finally {
        await stopFailingEvents(t);
      }
      expect(res.status).toBeGreaterThanOrEqual(500);
      const rows = await t.prisma.session.findMany({ where: { userId: user.id }, select: { sid: true } });
      for (const { sid } of rows) expect.soft(sid, 'a session row was stored for a cookie that was never sent').toBe(heldSid(browser));
      const series = await t.prisma.rememberToken.findMany({ where: { userId: user.id, endedAt: null }, select: { selector: true } });
      for (const { selector } of series) expect(selector, 'a remembered device is listed that no browser holds').toBe(browser.cookie(REMEMBER)?.split('.')[0]);
    });
  });
});

describe('client addresses without TRUST_PROXY', () => {
  let t: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES_PER_IP: '5', LOGIN_MAX_FAILURES_PER_ACCOUNT: '1000', ANONYMOUS_REQUESTS_PER_IP: '5' });
    user = await createUser(t);
  });
  afterAll(() => t?.close());

  it('a session, its events and the devices page record the socket address, not a spoofed X-Forwarded-For', async () => {
    const device = t.client({ 'X-Forwarded-For': '203.0.113.77' });
    await signIn(device, user);
    const event = await t.prisma.securityEvent.findFirstOrThrow({ where: { userId: user.id, type: 'sign_in' } });
    expect(event.ip).toBe('127.0.0.1');
    const list = await device.get('/api/sessions');
    expect(list.body.sessions.map((s: { ip: string }) => s.ip)).toEqual(['127.0.0.1']);
  });

  it('a spoofed X-Forwarded-For does not escape the per-IP sign-in limit [A-BRUTE]', async () => {
    const attacker = t.client();
    await attacker.fetchCsrfToken();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await attacker.post('/api/auth/login', { email: `spoof-${i}@example.com`, password: 'wrong password!!' }, { headers: { 'X-Forwarded-For': `203.0.113.${i + 1}` } });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
    // The address the limits count is the socket's, not the header's.
    const keys = await t.prisma.$queryRaw<{ key: string }[]>`SELECT key FROM login_throttle WHERE key LIKE 'ip:%'`;
    expect(keys.map((row) => row.key)).toEqual(['ip:127.0.0.1']);
  });

  it('a spoofed X-Forwarded-For does not escape the anonymous CSRF-token limit [A-ANON]', async () => {
    // Two tokens were already handed out to 127.0.0.1 above; the limit is 5 a minute.
    const statuses = await Promise.all(Array.from({ length: 10 }, (_, i) => t.client({ 'X-Forwarded-For': `198.51.100.${i + 1}` }).get('/api/auth/csrf').then((res) => res.status)));
    expect(statuses.filter((s) => s === 200).length).toBe(3);
    expect(statuses.filter((s) => s === 429).length).toBe(7);
  });
});

// A second app in the same process would end the first one's pool when closed: this one runs alone.
describe('client addresses behind a trusted proxy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'loopback', LOGIN_MAX_FAILURES_PER_IP: '5', LOGIN_MAX_FAILURES_PER_ACCOUNT: '1000' });
  });
  afterAll(() => t?.close());

  it('per-IP limits count IPv6 clients by their /64 [A-BRUTE]', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 8; i++) {
      const client = t.client({ 'X-Forwarded-For': `2001:db8:1:2::${i.toString(16)}:${i}` });
      statuses.push((await client.post('/api/auth/login', { email: `v6-${i}@example.com`, password: 'wrong password!!' })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    // Another /64 is another client.
    const elsewhere = t.client({ 'X-Forwarded-For': '2001:db8:1:3::1' });
    expect((await elsewhere.post('/api/auth/login', { email: 'v6-x@example.com', password: 'wrong password!!' })).status).toBe(401);
  });
});
