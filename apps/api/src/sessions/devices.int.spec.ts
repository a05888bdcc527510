import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../../test/auth-helpers.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';

const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

describe('devices & sessions [D-LIST, D-REVOKE]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'loopback', LOCATION_HEADER: 'cf-ipcountry' });
  });
  afterAll(() => t.close());

  it('lists every live session with its device, the current one marked, newest activity first', async () => {
    const user = await createUser(t);
    const phone = await signIn(t.client({ 'User-Agent': SAFARI_IPHONE, 'X-Forwarded-For': '198.51.100.7', 'CF-IPCountry': 'NL' }), user, { rememberMe: true });
    const laptop = await signIn(t.client({ 'User-Agent': FIREFOX_LINUX, 'X-Forwarded-For': '203.0.113.9' }), user);
    const res = await laptop.get('/api/sessions');
    expect(res.status).toBe(200);
    expect(res.body.sessions).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f]{64}$/),
        current: true,
        browser: 'Firefox',
        os: 'Linux',
        deviceType: 'desktop',
        ip: '203.0.113.9',
        location: null,
        createdAt: expect.any(String),
        lastActiveAt: expect.any(String),
        remembered: false,
        active: true,
        rememberedUntil: null,
        signInMethod: 'password',
      },
      expect.objectContaining({ current: false, browser: 'Mobile Safari', os: 'iOS', deviceType: 'mobile', ip: '198.51.100.7', location: 'NL', remembered: true }),
    ]);
    expect((await phone.get('/api/sessions')).body.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
  });

  it("answers 404 for another user's session, leaving it alive", async () => {
    const alice = await signIn(t.client(), await createUser(t));
    const bob = await signIn(t.client(), await createUser(t));
    const bobsId = (await bob.get('/api/sessions')).body.sessions[0].id;
    const res = await alice.delete(`/api/sessions/${bobsId}`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
    expect((await bob.get('/api/auth/me')).status).toBe(200);
  });

  it('revokes one session with its remember-me series, leaving the rest, with reason revoked', async () => {
    const user = await createUser(t);
    const [a, b, c] = [await signIn(t.client(), user), await signIn(t.client(), user, { rememberMe: true }), await signIn(t.client(), user)];
    const bId = (await b.get('/api/auth/me')).body.session.id;
    expect((await a.delete(`/api/sessions/${bId}`)).status).toBe(204);
    expect((await b.get('/api/auth/me')).body.reason).toBe('revoked');
    expect((await c.get('/api/auth/me')).status).toBe(200);
    expect(await t.prisma.rememberToken.count({ where: { userId: user.id, endedAt: null } })).toBe(0);
    expect(await t.prisma.securityEvent.count({ where: { userId: user.id, type: 'session_revoked' } })).toBe(1);
  });

  it('logs out other devices, keeping this one and its remember-me series', async () => {
    const user = await createUser(t);
    const here = await signIn(t.client(), user, { rememberMe: true });
    const others = [await signIn(t.client(), user, { rememberMe: true }), await signIn(t.client(), user)];
    const res = await here.post('/api/sessions/revoke-others');
    expect(res.body).toEqual({ revoked: 2 });
    for (const other of others) expect((await other.get('/api/auth/me')).body.reason).toBe('revoked');
    expect((await here.get('/api/sessions')).body.sessions).toHaveLength(1);
    expect(await t.prisma.rememberToken.count({ where: { userId: user.id, endedAt: null } })).toBe(1);
  });

  it('finds a user’s sessions through the index, never a scan, with 100,000 sessions stored', async () => {
    const user = await createUser(t);
    await t.prisma.$executeRaw`
      INSERT INTO session (sid, sess, expire)
      SELECT md5(g::text) || md5((g * 7)::text), json_build_object('userId', ${user.id}::text, 'lastActiveAt', g), now() + interval '1 hour'
      FROM generate_series(1, 100) g`;
    await t.prisma.$executeRaw`
      INSERT INTO session (sid, sess, expire)
      SELECT 'x' || g, '{}'::json, now() + interval '1 hour' FROM generate_series(1, 100000) g`;
    await t.prisma.$executeRaw`ANALYZE session`;
    const plan = await t.prisma.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(
      `EXPLAIN SELECT sid, sess FROM session WHERE user_id = '${user.id}' AND expire > now()`,
    );
    const text = plan.map((row) => row['QUERY PLAN']).join('\n');
    expect(text).toMatch(/Index Scan|Bitmap Index Scan/);
    expect(text).toContain('session_user_id_idx');
    expect(text).not.toMatch(/Seq Scan/);
  });
});
