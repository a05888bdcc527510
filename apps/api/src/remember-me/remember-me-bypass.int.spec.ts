import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, type TestUser } from '../../test/auth-helpers.js';
import { sameBrowser } from '../../test/races.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';
import type { TestClient } from '../../test/test-client.js';

const REMEMBER = '__Host-remember';
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';
const CHROME_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0.0.0 Safari/537.36';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Ways around remember-me that must not work [R-ONE, R-THEFT, R-LIFE, A-SUSPECT]. */
describe('remember-me cannot be used to walk around the controls', () => {
  let t: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'loopback', REMEMBER_ME_GRACE: '1' });
    user = await createUser(t);
  });
  afterAll(() => t.close());

  const home = () => t.client({ 'X-Forwarded-For': '203.0.113.9', 'User-Agent': FIREFOX_LINUX });
  /** The browser after a restart: only its remember-me cookie is left. */
  const reopened = (device: TestClient) => sameBrowser(t, device, [REMEMBER]);

  it('a suspicious end also ends the series: the copied remember-me cookie does not sign the thief back in [A-SUSPECT]', async () => {
    const owner = await signIn(home(), user, { rememberMe: true });
    const thief = () => {
      const client = t.client({ 'X-Forwarded-For': '198.51.100.77', 'User-Agent': CHROME_WINDOWS });
      for (const [name, value] of owner.cookies) client.setCookie(name, value);
      return client;
    };
    const first = thief();
    expect((await first.get('/api/auth/me')).body).toMatchObject({ statusCode: 401, reason: 'suspicious' });
    expect([first.cookie('__Host-sid'), first.cookie(REMEMBER)]).toEqual([undefined, undefined]); // told to drop both
    // A thief who ignores that and replays both cookies gets nothing either.
    expect((await thief().get('/api/auth/me')).body).toMatchObject({ statusCode: 401, reason: 'suspicious' });
    expect((await reopened(owner).get('/api/auth/me')).status).toBe(401);
  });

  it('a restore from another network and browser is refused, ends the series and is recorded [R-ONE, A-SUSPECT]', async () => {
    const owner = await signIn(home(), user, { rememberMe: true });
    const thief = t.client({ 'X-Forwarded-For': '198.51.100.78', 'User-Agent': CHROME_WINDOWS });
    thief.setCookie(REMEMBER, owner.cookie(REMEMBER));
    expect((await thief.get('/api/auth/me')).body).toMatchObject({ statusCode: 401, reason: 'suspicious' });
    expect(thief.cookie(REMEMBER)).toBeUndefined();
    expect((await reopened(owner).get('/api/auth/me')).body.reason).toBe('suspicious');
    expect(await t.prisma.securityEvent.count({ where: { userId: user.id, type: 'suspicious_session_ended' } })).toBeGreaterThan(0);
  });

  it('a shared browser never falls back to the previous person: every sign-in revokes the remember-me cookie it is sent [R-ONE]', async () => {
    const bob = await createUser(t);
    const browser = await signIn(home(), user, { rememberMe: true });
    const alicesCookie = browser.cookie(REMEMBER)!;
    await signIn(browser, bob);
    expect(browser.cookie(REMEMBER)).toBeUndefined();
    browser.setCookie('__Host-sid', undefined); // Bob's session ends (idle, browser closed)
    browser.setCookie(REMEMBER, alicesCookie); // even if the cookie had survived
    expect((await browser.get('/api/auth/me')).status).toBe(401);
  });

  it('signing in with "remember me" again ends the series the browser already had', async () => {
    const browser = await signIn(home(), user, { rememberMe: true });
    const first = browser.cookie(REMEMBER)!;
    await signIn(browser, user, { rememberMe: true });
    expect(browser.cookie(REMEMBER)!.split('.')[0]).not.toBe(first.split('.')[0]);
    expect(await t.prisma.rememberToken.count({ where: { selector: first.split('.')[0], endedAt: null } })).toBe(0);
  });

  it('treats any replaced validator as theft, not only the last one [R-THEFT]', async () => {
    const device = await signIn(home(), user, { rememberMe: true });
    const original = device.cookie(REMEMBER)!;
    let browser = reopened(device);
    for (let i = 0; i < 3; i++) {
      const res = await browser.get('/api/auth/me');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      browser = reopened(browser);
    }
    await sleep(1100); // past REMEMBER_ME_GRACE
    const thief = home();
    thief.setCookie(REMEMBER, original);
    expect((await thief.get('/api/auth/me')).body).toMatchObject({ statusCode: 401, reason: 'theft' });
    expect((await browser.get('/api/auth/me')).body.reason).toBe('theft');
  });

  it('judges the grace window by arrival: a tab queued behind the user lock is no thief [R-ROTATE]', async () => {
    const device = await signIn(home(), user, { rememberMe: true });
    const late = reopened(device); // still holds the validator the first tab is about to replace
    expect((await reopened(device).get('/api/auth/me')).status).toBe(200);
    // Something else holds the user's lock (a password change elsewhere, other tabs) past the grace window.
    const held = t.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM users WHERE id = ${user.id}::uuid FOR UPDATE`;
      await sleep(1500);
    }, { timeout: 10_000 });
    await sleep(100);
    const answer = late.get('/api/auth/me');
    await held;
    expect((await answer).status).toBe(200);
  });

  it('lists a remembered device that has no live session, and revokes it [R-LIFE, D-LIST]', async () => {
    const owner = await createUser(t);
    const laptop = await signIn(home(), owner, { rememberMe: true });
    const phone = await signIn(t.client({ 'X-Forwarded-For': '203.0.113.10', 'User-Agent': FIREFOX_LINUX }), owner);
    await t.prisma.session.deleteMany({ where: { userId: owner.id, rememberSeriesId: { not: null } } }); // laptop idled out
    const { sessions } = (await phone.get('/api/sessions')).body;
    const idle = sessions.find((s: { active: boolean }) => !s.active);
    expect(idle).toMatchObject({ remembered: true, current: false, browser: 'Firefox', rememberedUntil: expect.any(String) });
    expect((await phone.post('/api/auth/reauth', { password: owner.password })).status).toBe(200);
    expect((await phone.delete(`/api/sessions/${idle.id}`)).status).toBe(204);
    expect((await reopened(laptop).get('/api/auth/me')).body.reason).toBe('revoked');
  });
});

// Its own app (short lifetimes), in its own block: passport-local registers its strategy
// process-wide, so two apps in one process must not interleave sign-ins.
describe('remember-me has an absolute end [R-LIFE]', () => {
  let t: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    t = await startTestApp({ REMEMBER_ME_TTL: '5', REMEMBER_ME_MAX_LIFETIME: '6', REMEMBER_ME_GRACE: '1' });
    user = await createUser(t);
  });
  afterAll(() => t.close());
  const reopened = (device: TestClient) => sameBrowser(t, device, [REMEMBER]);

  it('ends a series at REMEMBER_ME_MAX_LIFETIME however often it is used [R-LIFE]', async () => {
    let browser = reopened(await signIn(t.client(), user, { rememberMe: true }));
    const selector = browser.cookie(REMEMBER)!.split('.')[0]!;
    const { maxExpiresAt } = await t.prisma.rememberToken.findUniqueOrThrow({ where: { selector } });
    let lastUse = 0;
    for (let i = 0; i < 2; i++) {
      await sleep(1500);
      expect((await browser.get('/api/auth/me')).status, `use ${i}`).toBe(200); // each use slides the 5 s expiry
      lastUse = Date.now();
      browser = reopened(browser);
    }
    await sleep(maxExpiresAt.getTime() + 300 - Date.now());
    expect(lastUse + 5000).toBeGreaterThan(Date.now()); // the sliding expiry alone would still let it in
    expect((await browser.get('/api/auth/me')).body).toMatchObject({ statusCode: 401, reason: 'absolute_timeout' });
  });
});
