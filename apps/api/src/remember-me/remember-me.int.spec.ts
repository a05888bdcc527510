import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, type TestUser } from '../../test/auth-helpers.js';
import { dumpDatabase } from '../../test/dump-database.js';
import { mailTo } from '../../test/mail-links.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';
import { TestClient, setCookieHeaders } from '../../test/test-client.js';
import { SessionPruner } from '../sessions/session-pruner.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const REMEMBER = '__Host-remember';

describe('remember-me', () => {
  let t: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    t = await startTestApp({ REMEMBER_ME_GRACE: '2', STEP_UP_WINDOW: '600' });
    user = await createUser(t);
  });
  afterAll(() => t.close());

  /** The browser after a restart: the session cookie is gone, the remember cookie stays. */
  function withOnlyRememberCookie(device: TestClient): TestClient {
    const restarted = t.client();
    restarted.setCookie(REMEMBER, device.cookie(REMEMBER));
    return restarted;
  }

  async function rememberedDevice(): Promise<TestClient> {
    return signIn(t.client(), user, { rememberMe: true });
  }

  it('sets __Host-remember with the session cookie flags and a Max-Age of REMEMBER_ME_TTL [C-FLAGS, R-LIFE]', async () => {
    const device = t.client();
    const res = await device.post('/api/auth/login', { email: user.email, password: user.password, rememberMe: true });
    const cookie = setCookieHeaders(res).find((c) => c.startsWith(`${REMEMBER}=`))!;
    expect(cookie).toMatch(/^__Host-remember=[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}; Max-Age=2592000; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$/);
  });

  it('sets no remember cookie without rememberMe', async () => {
    const res = await t.client().post('/api/auth/login', { email: user.email, password: user.password });
    expect(setCookieHeaders(res).some((c) => c.startsWith(REMEMBER))).toBe(false);
  });

  it('keeps only the selector and a SHA-256 of the validator at rest [R-SPLIT, S-AT-REST]', async () => {
    const device = await rememberedDevice();
    const [selector, validator] = device.cookie(REMEMBER)!.split('.');
    const dump = await dumpDatabase(t.databaseUrl);
    expect(dump).toContain(selector);
    expect(dump).not.toContain(validator);
  });

  it('restores a remembered device with a new session and rotates the validator on each use [R-ROTATE]', async () => {
    const device = await rememberedDevice();
    const first = device.cookie(REMEMBER)!;
    const restarted = withOnlyRememberCookie(device);
    const me = await restarted.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.session).toMatchObject({ remembered: true, reauthenticatedAt: null, stepUpExpiresAt: null });
    const second = restarted.cookie(REMEMBER)!;
    expect(second.split('.')[0]).toBe(first.split('.')[0]); // same series
    expect(second).not.toBe(first);
    expect(restarted.cookie('__Host-sid')).toBeDefined();
    expect(await t.prisma.securityEvent.count({ where: { userId: user.id, type: 'remember_me_used' } })).toBeGreaterThan(0);
  });

  it('never counts a restored session as fresh: critical actions need step-up [U-REMEMBERED]', async () => {
    const restarted = withOnlyRememberCookie(await rememberedDevice());
    expect((await restarted.get('/api/auth/me')).status).toBe(200); // the app's first request restores the session
    expect((await restarted.patch('/api/account/email', { email: 'still-me@example.com' })).body.code).toBe('REAUTH_REQUIRED');
    expect((await restarted.post('/api/auth/reauth', { password: user.password })).status).toBe(200);
    expect((await restarted.patch('/api/account/email', { email: user.email })).status).toBe(200);
  });

  for (const parallel of [3, 10]) {
    it(`lets ${parallel} parallel requests on one token all succeed, leaving one series [R-ROTATE]`, async () => {
      const device = await rememberedDevice();
      const cookie = device.cookie(REMEMBER)!;
      const tabs = Array.from({ length: parallel }, () => withOnlyRememberCookie(device));
      const answers = await Promise.all(tabs.map((tab) => tab.get('/api/auth/me')));
      expect(answers.map((res) => res.status)).toEqual(Array(parallel).fill(200));
      const successors = new Set(tabs.map((tab) => tab.cookie(REMEMBER)));
      expect(successors.size).toBe(1); // the same successor, not a fork
      expect([...successors][0]).not.toBe(cookie);
      const selector = cookie.split('.')[0]!;
      expect(await t.prisma.rememberToken.count({ where: { selector } })).toBe(1);
      // The successor works afterwards.
      expect((await withOnlyRememberCookie(tabs[0]!).get('/api/auth/me')).status).toBe(200);
    });
  }

  it('treats the replaced validator after the grace window as theft: series and its sessions die, event recorded [R-THEFT]', async () => {
    const otherDevice = await signIn(t.client(), user);
    const victim = await rememberedDevice();
    const stolen = victim.cookie(REMEMBER)!;
    const thief = t.client();
    thief.setCookie(REMEMBER, stolen);
    expect((await thief.get('/api/auth/me')).status).toBe(200); // the thief uses it first
    await sleep(2100);
    const res = await victim.get('/api/auth/me'); // the victim's browser comes back with the old validator
    expect(res.status).toBe(401);
    expect(res.body.reason).toBe('theft');
    expect(setCookieHeaders(res).some((c) => c.startsWith(`${REMEMBER}=;`))).toBe(true);
    const kicked = await thief.get('/api/auth/me');
    expect(kicked.status).toBe(401);
    expect(kicked.body.reason).toBe('theft');
    expect(await t.prisma.rememberToken.count({ where: { selector: stolen.split('.')[0], endedAt: null } })).toBe(0);
    expect(await t.prisma.securityEvent.count({ where: { userId: user.id, type: 'remember_me_theft' } })).toBe(1);
    await mailTo(t.inboxUrl!, user.email, 'We signed out a remembered device'); // [E-NOTIFY]
    // Other devices are untouched.
    expect((await otherDevice.get('/api/auth/me')).status).toBe(200);
  });

  it('rejects a forged validator for a known selector without signing anyone in', async () => {
    const device = await rememberedDevice();
    const forged = t.client();
    forged.setCookie(REMEMBER, `${device.cookie(REMEMBER)!.split('.')[0]}.${'A'.repeat(43)}`);
    expect((await forged.get('/api/auth/me')).status).toBe(401);
    expect((await withOnlyRememberCookie(device).get('/api/auth/me')).status).toBe(200);
  });

  it('revokes this device series on logout [R-LIFE]', async () => {
    const device = await rememberedDevice();
    const cookie = device.cookie(REMEMBER)!;
    const res = await device.post('/api/auth/logout');
    expect(setCookieHeaders(res)).toContain('__Host-remember=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax');
    const replay = t.client();
    replay.setCookie(REMEMBER, cookie);
    expect((await replay.get('/api/auth/me')).status).toBe(401);
  });

  it('revokes every other series on a password change, keeping this device [R-LIFE, U-INVALIDATE]', async () => {
    const own = await createUser(t);
    const here = await signIn(t.client(), own, { rememberMe: true });
    const elsewhere = await signIn(t.client(), own, { rememberMe: true });
    expect((await here.post('/api/account/password', { newPassword: 'another long passphrase' })).status).toBe(204);
    expect((await withOnlyRememberCookie(elsewhere).get('/api/auth/me')).status).toBe(401);
    expect((await withOnlyRememberCookie(here).get('/api/auth/me')).status).toBe(200);
  });

  it("revokes every series on an admin's revocation [R-LIFE]", async () => {
    const admin = await signIn(t.client(), await createUser(t, { role: 'admin' }));
    const target = await createUser(t);
    const device = await signIn(t.client(), target, { rememberMe: true });
    await admin.post(`/api/admin/users/${target.id}/revoke-sessions`);
    expect((await withOnlyRememberCookie(device).get('/api/auth/me')).status).toBe(401);
    expect(await t.prisma.rememberToken.count({ where: { userId: target.id, endedAt: null } })).toBe(0);
  });

  it('ignores garbage remember cookies with a 401, never a 500 [I-BAD]', async () => {
    for (const garbage of ['x', 'a.b', '%%%', `${'A'.repeat(22)}.${'B'.repeat(43)}`]) {
      const device = t.client();
      device.setCookie(REMEMBER, garbage);
      expect((await device.get('/api/auth/me')).status).toBe(401);
    }
  });
});

describe('remember-me expiry [R-LIFE]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ REMEMBER_ME_TTL: '2', REMEMBER_ME_GRACE: '1' });
  });
  afterAll(() => t.close());

  it('refuses an expired token and prunes it', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user, { rememberMe: true });
    await sleep(2100);
    const restarted = t.client();
    restarted.setCookie(REMEMBER, device.cookie(REMEMBER));
    expect((await restarted.get('/api/auth/me')).status).toBe(401);
    await signIn(t.client(), user, { rememberMe: true });
    await sleep(2100);
    expect((await t.app.get(SessionPruner).prune()).rememberTokens).toBeGreaterThanOrEqual(1);
    expect(await t.prisma.rememberToken.count({ where: { userId: user.id, endedAt: null } })).toBe(0);
  });
});
