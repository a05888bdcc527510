import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, PASSWORD, signIn } from '../../test/auth-helpers.js';
import { ageSessions, inFlight, liveSessions, ROUNDS, sameBrowser } from '../../test/races.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';
import type { TestClient } from '../../test/test-client.js';
import { setCookieHeaders } from '../../test/test-client.js';

/**
 * [L-FINAL] An end is final: requests decided before it (in flight, or racing it) never bring a
 * session back. Each attack runs for several rounds with writes really in flight.
 */
describe('ended sessions stay ended [L-FINAL]', { timeout: 120_000 }, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ STEP_UP_WINDOW: '600', REMEMBER_ME_GRACE: '1' });
  });
  afterAll(() => t.close());

  const me = (device: TestClient) => device.get('/api/auth/me').then((res) => res.status);

  it('a revoked device stays out, however many of its requests were in flight', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const user = await createUser(t);
      const [a, b] = [await signIn(t.client(), user), await signIn(t.client(), user)];
      const bId = (await b.get('/api/auth/me')).body.session.id as string;
      await ageSessions(t, user.id);
      const [, revoked] = await Promise.all([inFlight(b, 30), a.delete(`/api/sessions/${bId}`)]);
      expect(revoked.status).toBe(204);
      expect(await me(b), `round ${round}`).toBe(401);
      expect(await liveSessions(t, user.id)).toBe(1);
    }
  });

  it("an admin who revokes their own sessions is signed out too, even when the response would save the session", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const admin = await createUser(t, { role: 'admin' });
      const device = await signIn(t.client(), admin);
      await ageSessions(t, admin.id);
      const res = await device.post(`/api/admin/users/${admin.id}/revoke-sessions`);
      expect(res.body).toEqual({ revoked: 1 });
      expect(setCookieHeaders(res).some((c) => c.startsWith('__Host-sid='))).toBe(false);
      expect((await device.get('/api/auth/me')).body).toMatchObject({ statusCode: 401, reason: 'revoked' });
      expect(await liveSessions(t, admin.id)).toBe(0);
    }
  });

  it('a signed-out tab stays out, with 30 requests and a slow step-up of a copied cookie in flight', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const user = await createUser(t);
      const tab1 = await signIn(t.client(), user);
      const tab2 = sameBrowser(t, tab1);
      const copy = sameBrowser(t, tab1);
      await copy.fetchCsrfToken();
      await ageSessions(t, user.id);
      // A wrong password costs an argon2 check: the slowest request there is.
      const slow = copy.post('/api/auth/reauth', { password: 'wrong password for sure' });
      const [, out] = await Promise.all([inFlight(tab2, 30), tab1.post('/api/auth/logout'), slow]);
      expect(out.status).toBe(204);
      expect(await me(tab2), `round ${round}`).toBe(401);
      expect(await me(copy)).toBe(401);
      expect(await liveSessions(t, user.id)).toBe(0);
    }
  });

  for (const [what, end] of [
    ['a password change', (a: TestClient) => a.post('/api/account/password', { newPassword: `a new password ${Math.random()}` })],
    ['"log out other devices"', (a: TestClient) => a.post('/api/sessions/revoke-others')],
  ] as const) {
    it(`no remembered device survives ${what}, however its restores race it`, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const user = await createUser(t);
        const a = await signIn(t.client(), user);
        const b = await signIn(t.client(), user, { rememberMe: true });
        const thief = sameBrowser(t, b, ['__Host-remember']);
        const tabs = Array.from({ length: 10 }, () => sameBrowser(t, thief));
        const [, ended] = await Promise.all([Promise.all(tabs.map((tab) => tab.get('/api/auth/me'))), end(a)]);
        expect(ended.status).toBeLessThan(300);
        // Whatever the tabs got before the end, nothing of theirs works after it.
        for (const tab of [...tabs, thief, b]) expect(await me(tab), `round ${round}`).toBe(401);
        expect(await liveSessions(t, user.id)).toBe(1);
        expect(await t.prisma.rememberToken.count({ where: { userId: user.id, endedAt: null } })).toBe(0);
      }
    });
  }

  it('a logout racing a step-up of the same browser still signs it out', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const user = await createUser(t);
      const tab1 = await signIn(t.client(), user);
      const tab2 = sameBrowser(t, tab1);
      await Promise.all([tab1.fetchCsrfToken(), tab2.fetchCsrfToken()]);
      await Promise.all([tab1.post('/api/auth/logout'), tab2.post('/api/auth/reauth', { password: PASSWORD })]);
      expect(await me(tab2), `round ${round}`).toBe(401);
      expect(await liveSessions(t, user.id)).toBe(0);
    }
  });

  it('a session revoked while its password change was in flight changes nothing', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const user = await createUser(t);
      const owner = await signIn(t.client(), user);
      const attacker = await signIn(t.client(), user);
      await Promise.all([owner.fetchCsrfToken(), attacker.fetchCsrfToken()]);
      const [revoked, changed] = await Promise.all([
        owner.post('/api/sessions/revoke-others'),
        attacker.post('/api/account/password', { newPassword: `the attacker's ${round}` }),
      ]);
      // One of them went first; both cannot have won.
      expect([revoked.status, changed.status], `round ${round}`).not.toEqual([200, 204]);
      if (revoked.status === 200) expect(await me(attacker)).toBe(401);
    }
  });

  it('logout as the first request after a role change ends the remember-me series too', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user, { rememberMe: true });
    const copy = sameBrowser(t, device, ['__Host-remember']);
    await t.prisma.user.update({ where: { id: user.id }, data: { role: 'admin' } });
    expect((await device.post('/api/auth/logout')).status).toBe(204);
    expect((await copy.get('/api/auth/me')).body.reason).toBe('signed_out');
  });

  it('a remember-me tab in the grace window cannot bring back a session ID that step-up replaced [S-FIXATION]', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user, { rememberMe: true });
    const reopened = sameBrowser(t, device, ['__Host-remember']);
    const late = sameBrowser(t, device, ['__Host-remember']); // another tab, still on the old validator
    expect((await reopened.get('/api/auth/me')).status).toBe(200);
    const restoredId = reopened.cookie('__Host-sid');
    expect((await reopened.post('/api/auth/reauth', { password: PASSWORD })).status).toBe(200);
    const res = await late.get('/api/auth/me');
    expect(late.cookie('__Host-sid')).not.toBe(restoredId);
    expect(res.status).toBe(401);
    const captured = t.client();
    captured.setCookie('__Host-sid', restoredId);
    expect(await me(captured)).toBe(401);
  });

  it('answers every one of 5 parallel step-ups of one session with 200', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user);
    await device.fetchCsrfToken();
    const tabs = Array.from({ length: 5 }, () => sameBrowser(t, device));
    const answers = await Promise.all(tabs.map((tab) => tab.post('/api/auth/reauth', { password: PASSWORD })));
    expect(answers.map((res) => res.status)).toEqual(Array(5).fill(200));
    expect(await liveSessions(t, user.id)).toBe(1);
  });

  it('a sign-in whose password was proved before a password change stores no session', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const user = await createUser(t);
      const a = await signIn(t.client(), user);
      const logins = Array.from({ length: 5 }, () => t.client());
      await Promise.all(logins.map((device) => device.fetchCsrfToken()));
      await Promise.all([
        ...logins.map((device) => device.post('/api/auth/login', { email: user.email, password: PASSWORD })),
        a.post('/api/account/password', { newPassword: `a new password ${round}` }),
      ]);
      // The old password was proved by every login before or during the change: none may survive it.
      for (const device of logins) expect(await me(device), `round ${round}`).toBe(401);
      expect(await me(a)).toBe(200);
      expect(await liveSessions(t, user.id)).toBe(1);
    }
  });

  it('writes each new session once [L-TOUCH]', async () => {
    await t.prisma.$executeRawUnsafe('CREATE TABLE IF NOT EXISTS session_writes (op text)');
    await t.prisma.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION log_session_write() RETURNS trigger AS $$
      BEGIN INSERT INTO session_writes VALUES (TG_OP); RETURN NEW; END $$ LANGUAGE plpgsql`);
    await t.prisma.$executeRawUnsafe('CREATE OR REPLACE TRIGGER session_writes AFTER INSERT OR UPDATE ON session FOR EACH ROW EXECUTE FUNCTION log_session_write()');
    try {
      const user = await createUser(t);
      const device = t.client();
      await device.fetchCsrfToken();
      await t.prisma.$executeRawUnsafe('DELETE FROM session_writes');
      await device.post('/api/auth/register', { email: `once-${Date.now()}@example.com`, password: PASSWORD, name: 'Once' });
      await device.post('/api/auth/login', { email: user.email, password: PASSWORD, rememberMe: true });
      await sameBrowser(t, device, ['__Host-remember']).get('/api/auth/me');
      const writes = await t.prisma.$queryRawUnsafe<{ op: string }[]>('SELECT op FROM session_writes');
      expect(writes.map((w) => w.op)).toEqual(['INSERT', 'INSERT', 'INSERT']);
    } finally {
      await t.prisma.$executeRawUnsafe('DROP TRIGGER session_writes ON session');
    }
  });

  it('ending the current session stores no new one and sets no new session cookie', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user);
    const before = await t.prisma.session.count();
    const res = await device.post('/api/auth/logout');
    const sidCookies = setCookieHeaders(res).filter((c) => c.startsWith('__Host-sid='));
    expect(sidCookies).toEqual([expect.stringMatching(/^__Host-sid=; Path=\/; Expires=Thu, 01 Jan 1970/)]);
    expect(await t.prisma.session.count()).toBe(before - 1);
  });

  it('answers every parallel replay of a stolen validator with 401 theft, never 500 [R-THEFT]', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const user = await createUser(t);
      const device = await signIn(t.client(), user, { rememberMe: true });
      const stolen = device.cookie('__Host-remember')!;
      await sameBrowser(t, device, ['__Host-remember']).get('/api/auth/me'); // the owner's restore rotates it
      await new Promise((resolve) => setTimeout(resolve, 1100)); // past REMEMBER_ME_GRACE
      const replays = Array.from({ length: 4 }, () => {
        const thief = t.client();
        thief.setCookie('__Host-remember', stolen);
        return thief.get('/api/auth/me');
      });
      const answers = await Promise.all(replays);
      expect(answers.map((res) => [res.status, res.body.reason])).toEqual(Array(4).fill([401, 'theft']));
    }
  });

  it('a role change moves the session to one new ID under parallel requests: never 500, never two sessions [U-PRIVILEGE]', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const user = await createUser(t);
      const device = await signIn(t.client(), user);
      await t.prisma.user.update({ where: { id: user.id }, data: { role: 'admin' } });
      const tabs = Array.from({ length: 10 }, () => sameBrowser(t, device));
      const answers = await Promise.all(tabs.map((tab) => tab.get('/api/auth/me')));
      // Requests that loaded the session before the move are answered; those that arrive with the
      // old ID after it find nothing (no reason: the web client retries with the new cookie).
      expect(answers.some((res) => res.status === 200)).toBe(true);
      for (const res of answers) expect(res.status === 200 || (res.status === 401 && res.body.reason === undefined)).toBe(true);
      expect(await liveSessions(t, user.id)).toBe(1);
      const moved = tabs.filter((tab) => tab.cookie('__Host-sid') !== device.cookie('__Host-sid'));
      expect(new Set(moved.map((tab) => tab.cookie('__Host-sid'))).size).toBe(1);
      expect(await me(moved[0]!)).toBe(200);
      expect(await me(device)).toBe(401); // the old ID is dead
    }
  });

});

// Its own app, in its own block: passport-local registers its strategy process-wide, so two apps
// in one process must not interleave sign-ins.
describe('remembered browsers reopening their tabs [R-ONE, L-FINAL]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ MAX_SESSIONS_PER_USER: '10' });
  });
  afterAll(() => t.close());
  const me = (device: TestClient) => device.get('/api/auth/me').then((res) => res.status);

  it('restores racing on one series (a browser reopening its tabs) end in one session and evict nobody [R-ONE]', { timeout: 120_000 }, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const user = await createUser(t);
      const others = [];
      for (let i = 0; i < 9; i++) others.push(await signIn(t.client(), user));
      const browser = sameBrowser(t, await signIn(t.client(), user, { rememberMe: true }), ['__Host-remember']);
      await t.prisma.session.deleteMany({ where: { userId: user.id, rememberSeriesId: { not: null } } });
      const tabs = Array.from({ length: 10 }, () => sameBrowser(t, browser));
      const answers = await Promise.all(tabs.map((tab) => tab.get('/api/auth/me')));
      expect(answers.map((res) => res.status)).toEqual(Array(10).fill(200));
      expect(new Set(answers.map((res) => res.body.session.id)).size).toBe(1);
      expect(await liveSessions(t, user.id)).toBe(10);
      for (const other of others) expect(await me(other)).toBe(200);
    }
  });
});
