import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, type TestUser } from '../../test/auth-helpers.js';
import { sameBrowser } from '../../test/races.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';
import type { TestClient } from '../../test/test-client.js';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0.0.0 Safari/537.36';

/** [A-ADMIN, A-SUSPECT] Admins learn of suspected hijacking across users. */
describe('the admins’ security feed', () => {
  let t: TestApp;
  let admin: TestClient;
  let adminUser: TestUser;
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'loopback', LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_IP: '1000', REMEMBER_ME_GRACE: '1' });
    adminUser = await createUser(t, { role: 'admin' });
    admin = await signIn(t.client({ 'X-Forwarded-For': '203.0.113.1' }), adminUser);
  });
  afterAll(() => t.close());

  const at = (ip: string, userAgent = FIREFOX) => t.client({ 'X-Forwarded-For': ip, 'User-Agent': userAgent });
  const feed = async (query = '') => (await admin.get(`/api/admin/security-events${query}`)).body;

  async function guess(email: string, times: number, from = '198.51.100.200'): Promise<void> {
    const attacker = at(from);
    for (let i = 0; i < times; i++) await attacker.post('/api/auth/login', { email, password: 'wrong password!' });
  }

  it('shows each kind of event with its user, time, address and browser, newest first', async () => {
    const victim = await createUser(t, { email: 'victim@example.com' });
    // A stolen session cookie used from another network and browser.
    const owner = await signIn(at('203.0.113.20'), victim, { rememberMe: true });
    const hijacker = at('198.51.100.20', CHROME);
    hijacker.setCookie('__Host-sid', owner.cookie('__Host-sid'));
    expect((await hijacker.get('/api/auth/me')).body.reason).toBe('suspicious');
    // A remember-me validator replayed after it was rotated.
    const device = await signIn(at('203.0.113.21'), victim, { rememberMe: true });
    const stolen = device.cookie('__Host-remember')!;
    await sameBrowser(t, device, ['__Host-remember']).get('/api/auth/me');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const thief = at('203.0.113.21');
    thief.setCookie('__Host-remember', stolen);
    expect((await thief.get('/api/auth/me')).body.reason).toBe('theft');
    // A guessing attack, an admin's revocation and a role change.
    await guess(victim.email, 5);
    expect((await admin.post('/api/auth/reauth', { password: adminUser.password })).status).toBe(200);
    expect((await admin.post(`/api/admin/users/${victim.id}/revoke-sessions`)).status).toBe(200);
    expect((await admin.patch(`/api/admin/users/${victim.id}/role`, { role: 'admin' })).status).toBe(200);

    await expect.poll(async () => (await feed('?limit=100')).events.filter((e: { user: { id: string } }) => e.user.id === victim.id).length).toBe(5);
    const { events } = await feed('?limit=100');
    const mine = events.filter((e: { user: { id: string } }) => e.user.id === victim.id);
    expect(mine.map((e: { type: string }) => e.type).sort()).toEqual(['remember_me_theft', 'role_changed', 'session_revoked', 'sign_in_throttled', 'suspicious_session_ended']);
    expect(mine.find((e: { type: string }) => e.type === 'suspicious_session_ended')).toMatchObject({
      user: { id: victim.id, email: 'victim@example.com', name: victim.name },
      ip: '198.51.100.20',
      browser: 'Chrome',
      os: 'Windows',
      at: expect.any(String),
    });
    const times = events.map((e: { at: string }) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
    // A user's own sign-ins and own revocations are theirs, not the admins'.
    expect(events.some((e: { type: string }) => e.type === 'sign_in')).toBe(false);
  });

  it('filters by type and pages on a cursor', async () => {
    const { events } = await feed('?type=sign_in_throttled&limit=1');
    expect(events).toHaveLength(1);
    expect(events[0].type).toBe('sign_in_throttled');
    const all = (await feed('?limit=100')).events;
    const first = await feed('?limit=2');
    const second = await feed(`?limit=2&cursor=${first.nextCursor}`);
    expect([...first.events, ...second.events].map((e: { id: string }) => e.id)).toEqual(all.slice(0, 4).map((e: { id: string }) => e.id));
    expect((await admin.get('/api/admin/security-events?type=sign_in')).body.code).toBe('VALIDATION_FAILED');
  });

  it('is refused to anyone but an admin', async () => {
    const user = await signIn(at('203.0.113.30'), await createUser(t));
    expect((await user.get('/api/admin/security-events')).body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
    expect((await at('203.0.113.31').get('/api/admin/security-events')).status).toBe(401);
  });

  it('gives an attack on 50 accounts one entry per account, not one per guess', { timeout: 120_000 }, async () => {
    const before = await t.prisma.securityEvent.count({ where: { adminFeed: true } });
    const targets = await Promise.all(Array.from({ length: 50 }, () => createUser(t)));
    await Promise.all(targets.map((target, i) => guess(target.email, 5, `198.51.100.${100 + (i % 50)}`)));
    await expect.poll(() => t.prisma.securityEvent.count({ where: { adminFeed: true } })).toBe(before + 50);
  });

  it('reads the feed through its index, not a scan of every event', async () => {
    await t.prisma.$executeRaw`
      INSERT INTO security_events (user_id, type, created_at)
      SELECT ${adminUser.id}::uuid, 'sign_in', now() - make_interval(secs => n) FROM generate_series(1, 20000) AS n`;
    await t.prisma.$executeRaw`ANALYZE security_events`;
    const plan = await t.prisma.$queryRaw<{ 'QUERY PLAN': string }[]>`
      EXPLAIN SELECT * FROM security_events WHERE admin_feed = true ORDER BY created_at DESC, id DESC LIMIT 51`;
    const text = plan.map((row) => row['QUERY PLAN']).join('\n');
    expect(text).toContain('Index Scan using security_events_admin_feed_created_at_id_idx');
  });
});
