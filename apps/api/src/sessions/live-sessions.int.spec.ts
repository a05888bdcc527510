import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, type TestUser } from '../../test/auth-helpers.js';
import { type OpenLiveStream, openLiveStream, sessionIdOf } from '../../test/live-stream.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';
import type { TestClient } from '../../test/test-client.js';
import type { SessionEndReason } from '../common/errors/error-codes.js';
import { REQUEST_DEADLINE_MS } from '../common/request-deadline.js';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const REMEMBER = '__Host-remember';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The same cookie jar on another instance (or from another tab): one browser. */
function sameBrowser(t: TestApp, device: TestClient, headers = device.headers): TestClient {
  const copy = t.client(headers);
  for (const [name, value] of device.cookies) copy.setCookie(name, value);
  return copy;
}

/** The stream hears `ended` with `reason` within a second of `since`, and then closes. */
async function expectEnded(stream: OpenLiveStream, reason: SessionEndReason, since: number): Promise<void> {
  const ended = await stream.next('ended', 3000);
  expect(ended.data).toEqual({ reason });
  expect(ended.at - since, `ended ${reason} took ${ended.at - since} ms`).toBeLessThan(1000);
  await stream.closed;
}

/**
 * [D-LIVE] Two API instances on one database. Device B's stream is held by instance two; every
 * end is caused through instance one, so only PostgreSQL NOTIFY can carry it across. The heartbeat
 * is left at its 25 s default: an event within a second is the notification, not the re-check.
 */
describe('live sign-out across two instances [D-LIVE]', () => {
  const env = { TRUST_PROXY: 'loopback', MAX_SESSIONS_PER_USER: '3', REMEMBER_ME_GRACE: '1', LIVE_STREAMS_PER_USER: '4' };
  let one: TestApp;
  let two: TestApp;
  let user: TestUser;
  let deviceA: TestClient;
  let deviceB: TestClient;
  let streamB: OpenLiveStream;

  beforeAll(async () => {
    // Instance one holds no stream but in the per-instance cap's test.
    const first = await startTestApp({ ...env, LIVE_STREAMS_PER_INSTANCE: '3' });
    one = first;
    two = await startTestApp(env, first.database);
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
  });

  /** A fresh user with devices A and B signed in on instance one, and B's stream open on instance two. */
  async function twoDevices(options: { b?: Record<string, string> } = {}): Promise<void> {
    user = await createUser(one);
    deviceA = await signIn(one.client(), user);
    deviceB = await signIn(one.client(options.b), user);
    streamB = await openLiveStream(two, deviceB);
    expect(streamB.status).toBe(200);
  }

  it('opens as an unbuffered event stream that sets no cookie', async () => {
    await twoDevices();
    expect(streamB.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(streamB.headers['x-accel-buffering']).toBe('no');
    expect(streamB.headers['cache-control']).toContain('no-store');
    expect(streamB.headers['set-cookie']).toBeUndefined();
    streamB.close();
  });

  it('outlives the request deadline: a stream under way is not answered 503 [I-OUTAGE]', { timeout: REQUEST_DEADLINE_MS + 10_000 }, async () => {
    await twoDevices();
    await sleep(REQUEST_DEADLINE_MS + 500);
    expect(streamB.isClosed()).toBe(false);
    expect(streamB.status).toBe(200);
    streamB.close();
  });

  it('revoked: A ends B on instance one; B hears it on instance two within a second, and A hears `devices`', async () => {
    await twoDevices();
    const streamA = await openLiveStream(two, deviceA);
    const sidB = await sessionIdOf(deviceB);
    const since = Date.now();
    expect((await deviceA.delete(`/api/sessions/${sidB}`)).status).toBe(204);
    await expectEnded(streamB, 'revoked', since);
    expect((await streamA.next('devices', 1000)).data).toEqual({});
    expect(streamA.isClosed()).toBe(false);
    streamA.close();
  });

  it('signed_out: another tab of B signs out', async () => {
    await twoDevices();
    const since = Date.now();
    expect((await sameBrowser(one, deviceB).post('/api/auth/logout')).status).toBe(204);
    await expectEnded(streamB, 'signed_out', since);
  });

  it('revoked: A logs out other devices', async () => {
    await twoDevices();
    const since = Date.now();
    expect((await deviceA.post('/api/sessions/revoke-others')).status).toBe(200);
    await expectEnded(streamB, 'revoked', since);
  });

  it('password_changed: A changes the password', async () => {
    await twoDevices();
    expect((await deviceA.post('/api/account/password', { newPassword: 'a brand new passphrase' })).status).toBe(204);
    await expectEnded(streamB, 'password_changed', Date.now() - 500);
  });

  it('revoked: an admin signs the user out everywhere', async () => {
    await twoDevices();
    const admin = await signIn(one.client(), await createUser(one, { role: 'admin' }));
    const since = Date.now();
    expect((await admin.post(`/api/admin/users/${user.id}/revoke-sessions`)).status).toBe(200);
    await expectEnded(streamB, 'revoked', since);
  });

  it('evicted: signing in beyond MAX_SESSIONS_PER_USER ends B, the least recently active (its stream is no activity)', async () => {
    user = await createUser(one);
    deviceB = await signIn(one.client(), user);
    streamB = await openLiveStream(two, deviceB);
    await sleep(20);
    await signIn(one.client(), user);
    await signIn(one.client(), user);
    expect(streamB.isClosed()).toBe(false);
    expect((await one.client().post('/api/auth/login', { email: user.email, password: user.password })).status).toBe(200);
    // The end commits after the password check, a moment before the answer.
    await expectEnded(streamB, 'evicted', Date.now() - 500);
  });

  it('suspicious: B’s cookie presented from another network and browser', async () => {
    await twoDevices({ b: { 'X-Forwarded-For': '198.51.100.7', 'User-Agent': FIREFOX } });
    const since = Date.now();
    const hijacker = sameBrowser(one, deviceB, { 'X-Forwarded-For': '203.0.113.50', 'User-Agent': CHROME });
    expect((await hijacker.get('/api/auth/me')).body.reason).toBe('suspicious');
    await expectEnded(streamB, 'suspicious', since);
  });

  it('theft: a replaced remember-me token comes back after the grace window; the thief’s stream ends', async () => {
    user = await createUser(one);
    const victim = await signIn(one.client(), user, { rememberMe: true });
    const thief = one.client();
    thief.setCookie(REMEMBER, victim.cookie(REMEMBER));
    expect((await thief.get('/api/auth/me')).status).toBe(200);
    const thiefStream = await openLiveStream(two, thief);
    expect(thiefStream.status).toBe(200);
    await sleep(1100);
    const since = Date.now();
    expect((await victim.get('/api/auth/me')).body.reason).toBe('theft');
    await expectEnded(thiefStream, 'theft', since);
  });

  it('`devices` when the user signs in elsewhere; the stream stays open', async () => {
    await twoDevices();
    await signIn(two.client(), user);
    expect((await streamB.next('devices', 1000)).data).toEqual({});
    expect(streamB.isClosed()).toBe(false);
    streamB.close();
  });

  it('cannot be opened with a signed-out, forged or missing cookie (401)', async () => {
    await twoDevices();
    streamB.close();
    const tab = sameBrowser(one, deviceB);
    await tab.post('/api/auth/logout');
    const signedOut = await openLiveStream(two, deviceB);
    expect(signedOut.status).toBe(401);
    expect(JSON.parse(await signedOut.body)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'signed_out' });

    const forged = two.client();
    forged.setCookie('__Host-sid', `s:${'A'.repeat(43)}.${'B'.repeat(43)}`);
    expect((await openLiveStream(two, forged)).status).toBe(401);
    expect((await openLiveStream(two, two.client())).status).toBe(401);
  });

  it('refuses another site (403), accepts this one by APP_URL or Host', async () => {
    await twoDevices();
    streamB.close();
    for (const headers of <Record<string, string>[]>[{ Origin: 'https://evil.example' }, { 'Sec-Fetch-Site': 'cross-site' }, { 'Sec-Fetch-Site': 'same-site' }, { Origin: 'null' }]) {
      const refused = await openLiveStream(two, deviceB, headers);
      expect(refused.status, JSON.stringify(headers)).toBe(403);
      expect(JSON.parse(await refused.body)).toMatchObject({ code: 'FORBIDDEN' });
    }
    for (const headers of <Record<string, string>[]>[{ Origin: two.config.mail.appUrl }, { 'Sec-Fetch-Site': 'same-origin' }]) {
      const accepted = await openLiveStream(two, deviceB, headers);
      expect(accepted.status, JSON.stringify(headers)).toBe(200);
      accepted.close();
    }
  });

  it('holds the per-user cap under parallel opens: 429 TOO_MANY_REQUESTS past it', async () => {
    await twoDevices();
    streamB.close();
    await sleep(50);
    const opened = await Promise.all(Array.from({ length: 12 }, () => openLiveStream(two, deviceB)));
    expect(opened.filter((s) => s.status === 200)).toHaveLength(4);
    const refused = opened.filter((s) => s.status === 429);
    expect(refused).toHaveLength(8);
    expect(JSON.parse(await refused[0]!.body)).toMatchObject({ statusCode: 429, code: 'TOO_MANY_REQUESTS' });
    // Closed streams free their slots.
    for (const stream of opened) stream.close();
    await sleep(100);
    const again = await openLiveStream(two, deviceB);
    expect(again.status).toBe(200);
    again.close();
  });

  it('holds the per-instance cap under parallel opens, across users', async () => {
    const devices = await Promise.all(Array.from({ length: 6 }, async () => signIn(one.client(), await createUser(one))));
    const opened = await Promise.all(devices.map((device) => openLiveStream(one, device)));
    expect(opened.filter((s) => s.status === 200)).toHaveLength(3);
    expect(opened.filter((s) => s.status === 429)).toHaveLength(3);
    for (const stream of opened) stream.close();
  });
});

/** Idle and absolute timeouts end the stream on time, and holding a stream keeps nothing alive [L-IDLE, L-ABS]. */
describe('live streams and timeouts [D-LIVE]', () => {
  let one: TestApp;
  let two: TestApp;

  afterAll(async () => {
    await two?.close();
    await one?.close();
  });

  beforeAll(async () => {
    const env = { SESSION_IDLE_TIMEOUT: '3', SESSION_ABSOLUTE_TIMEOUT: '5' };
    const first = await startTestApp(env);
    one = first;
    two = await startTestApp(env, first.database);
  });

  it('idle_timeout: an open stream does not keep its session alive; the server ends it at the idle deadline', async () => {
    const user = await createUser(one);
    const device = await signIn(one.client(), user);
    const signedInAt = Date.now();
    const stream = await openLiveStream(two, device);
    expect(stream.status).toBe(200);
    const ended = await stream.next('ended', 5000);
    expect(ended.data).toEqual({ reason: 'idle_timeout' });
    expect(ended.at - signedInAt).toBeGreaterThanOrEqual(2800);
    expect(ended.at - signedInAt).toBeLessThan(4000);
    const me = await device.get('/api/auth/me');
    expect(me.status).toBe(401);
    expect(me.body.reason).toBe('idle_timeout');
  });

  it('absolute_timeout: activity elsewhere slides the idle end; the stream follows it and ends at the absolute end', async () => {
    const user = await createUser(one);
    const device = await signIn(one.client(), user);
    const signedInAt = Date.now();
    const stream = await openLiveStream(two, device);
    const busy = (async () => {
      while (!stream.isClosed()) {
        await device.get('/api/auth/me');
        await sleep(400);
      }
    })();
    const ended = await stream.next('ended', 7000);
    await busy;
    expect(ended.data).toEqual({ reason: 'absolute_timeout' });
    expect(ended.at - signedInAt).toBeGreaterThanOrEqual(4800);
    expect(ended.at - signedInAt).toBeLessThan(6000);
  });
});
