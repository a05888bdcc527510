import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createUser, signIn, type TestUser } from '../../test/auth-helpers.js';
import { dumpDatabase } from '../../test/dump-database.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';
import { setCookieHeaders } from '../../test/test-client.js';

const rawId = (signedCookie: string) => decodeURIComponent(signedCookie).slice(2).split('.')[0]!;

describe('session identity, fixation and logout', () => {
  let t: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    user = await createUser(t);
  });
  afterAll(() => t.close());

  it('sets __Host-sid with HttpOnly; Secure; SameSite=Lax; Path=/ and nothing but a signed random ID [C-FLAGS, S-ID]', async () => {
    const device = t.client();
    const res = await device.post('/api/auth/login', { email: user.email, password: user.password });
    const cookie = setCookieHeaders(res).find((header) => header.startsWith('__Host-sid='));
    expect(cookie).toMatch(/^__Host-sid=s%3A[A-Za-z0-9_-]{43}\.[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    expect(cookie).not.toMatch(/Domain=|Expires=|Max-Age=/i);
  });

  it('stores no session for anonymous requests, GET /api/auth/csrf included, and sets no session cookie [A-ANON, S-FIXATION]', async () => {
    const before = await t.prisma.session.count();
    const server = t.app.getHttpServer();
    for (const res of [await request(server).get('/api/health'), await request(server).get('/api/auth/me'), await request(server).post('/api/auth/login').send({})]) {
      expect(setCookieHeaders(res)).toEqual([]);
    }
    const csrf = await request(server).get('/api/auth/csrf');
    expect(setCookieHeaders(csrf)).toEqual([expect.stringMatching(/^__Host-csrf=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Lax$/)]);
    expect(await t.prisma.session.count()).toBe(before);
  });

  it('issues a new ID at every sign-in and kills the earlier one of that browser [S-FIXATION]', async () => {
    const victim = await signIn(t.client(), user);
    const earlier = victim.cookie('__Host-sid')!;
    await signIn(victim, user);
    expect(rawId(victim.cookie('__Host-sid')!)).not.toBe(rawId(earlier));
    // Whoever knew the earlier ID holds nothing.
    const attacker = t.client();
    attacker.setCookie('__Host-sid', earlier);
    expect((await attacker.get('/api/auth/me')).status).toBe(401);
  });

  it('never adopts a planted ID: a forged signed cookie gets a fresh ID, not the planted one [S-FIXATION]', async () => {
    const planted = 's%3Aattacker-chosen-id.invalidsignature';
    const device = t.client();
    device.setCookie('__Host-sid', planted);
    await signIn(device, user);
    expect(device.cookie('__Host-sid')).not.toBe(planted);
    expect(rawId(device.cookie('__Host-sid')!)).not.toBe('attacker-chosen-id');
  });

  it('ignores a session ID in the URL or body [S-FIXATION]', async () => {
    const device = await signIn(t.client(), user);
    const id = encodeURIComponent(device.cookie('__Host-sid')!);
    const server = t.app.getHttpServer();
    expect((await request(server).get(`/api/auth/me?sid=${id}&__Host-sid=${id}&connect.sid=${id}`)).status).toBe(401);
    expect((await request(server).post('/api/auth/logout').send({ sid: device.cookie('__Host-sid') })).status).toBe(401);
  });

  it('stores only hashes: no table holds a raw session ID or CSRF token [S-AT-REST]', async () => {
    const device = await signIn(t.client(), user);
    const id = rawId(device.cookie('__Host-sid')!);
    const csrf = await device.fetchCsrfToken();
    const dump = await dumpDatabase(t.databaseUrl);
    expect(dump).not.toContain(id);
    const [row] = await t.prisma.$queryRaw<{ sid: string }[]>`SELECT sid FROM session WHERE user_id = ${user.id}::uuid LIMIT 1`;
    expect(row?.sid).toMatch(/^[0-9a-f]{64}$/);
    // The CSRF token lives in the session row; it is useless without the session cookie it is bound to.
    expect(csrf).toHaveLength(43);
  });

  it('destroys the session on logout, clears the cookie with the same flags, and rejects a replay [L-LOGOUT, C-CLEAR]', async () => {
    const device = await signIn(t.client(), user);
    const stolen = device.cookieHeader();
    const res = await device.post('/api/auth/logout');
    expect(res.status).toBe(204);
    // Not Clear-Site-Data: the device cookie stays, so this browser is still its owner's [A-BRUTE].
    expect(res.headers['clear-site-data']).toBeUndefined();
    expect(device.cookie('__Host-device')).toBeDefined();
    expect(setCookieHeaders(res)).toContain('__Host-sid=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax');
    const replay = await request(t.app.getHttpServer()).get('/api/auth/me').set('Cookie', stolen);
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'signed_out' });
  });
});
