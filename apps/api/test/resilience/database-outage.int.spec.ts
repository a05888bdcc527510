import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_DEADLINE_MS } from '../../src/common/request-deadline.js';
import type { Response } from 'supertest';
import { createUser, signIn, type TestUser } from '../auth-helpers.js';
import { startTestApp, type TestApp } from '../test-app.js';
import type { TestClient } from '../test-client.js';
import type { TestDatabase } from '../test-database.js';
import { proxiedTestDatabase, type TcpProxy } from './tcp-proxy.js';

/** Well under a browser's patience: an outage must fail fast, not hang the request. */
const FAIL_FAST_MS = 3_000;
/** A partition is only noticed by timers: the request deadline, plus slack. */
const PARTITION_BOUND_MS = REQUEST_DEADLINE_MS + 2_000;

/**
 * [I-OUTAGE] The app reaches PostgreSQL through a proxy the test cuts. While it is cut, every route
 * answers 503 SERVICE_UNAVAILABLE (never 401: a device must not be told it is signed out), and once
 * it is back the very same cookies work again, with no restart. An uncaught error from the pool or
 * the session store would fail this run (Vitest reports unhandled errors), as it would kill a server.
 */
describe('a database outage [I-OUTAGE]', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let t: TestApp;
  let user: TestUser;
  let device: TestClient;
  let remembered: TestClient;
  let visitor: TestClient;
  const tokens = new Map<TestClient, string>();

  beforeAll(async () => {
    let throughProxy: TestDatabase;
    ({ database, proxy, throughProxy } = await proxiedTestDatabase());
    t = await startTestApp({}, throughProxy);
    user = await createUser(t);
    device = await signIn(t.client(), user);
    // A browser restarted since sign-in: only its remember-me cookie is left.
    remembered = await signIn(t.client(), user, { rememberMe: true });
    remembered.setCookie('__Host-sid', undefined);
    visitor = t.client();
    for (const client of [device, visitor]) tokens.set(client, await client.fetchCsrfToken());
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
    await database?.drop();
  });

  const duringOutage: [string, () => Promise<Response>][] = [
    ['GET /api/health', () => t.client().get('/api/health')],
    ['GET /api/auth/me, signed in', () => device.get('/api/auth/me')],
    ['GET /api/auth/me, remembered device', () => remembered.get('/api/auth/me')],
    ['GET /api/sessions, signed in', () => device.get('/api/sessions')],
    ['GET /api/auth/csrf, signed in', () => device.get('/api/auth/csrf')],
    ['POST /api/auth/login, visitor', () => visitor.post('/api/auth/login', { email: user.email, password: user.password }, { csrf: tokens.get(visitor) })],
    ['POST /api/auth/register, visitor', () => visitor.post('/api/auth/register', { email: 'new@example.com', password: 'a long enough password', name: 'New' }, { csrf: tokens.get(visitor) })],
    ['POST /api/auth/logout, signed in', () => device.post('/api/auth/logout', undefined, { csrf: tokens.get(device) })],
  ];

  it('answers 503 everywhere while the database is unreachable, then the same session works again', async () => {
    expect((await device.get('/api/auth/me')).status).toBe(200);
    const cookiesBefore = device.cookieHeader();
    await proxy.cut();

    for (const [name, send] of duringOutage) {
      const started = Date.now();
      const res = await send();
      expect({ name, status: res.status, body: res.body }).toEqual({
        name,
        status: 503,
        body: { statusCode: 503, code: 'SERVICE_UNAVAILABLE', message: expect.any(String) },
      });
      expect(Date.now() - started, `${name} took too long`).toBeLessThan(FAIL_FAST_MS);
    }
    // Nothing told the device to forget its session.
    expect(device.cookieHeader()).toBe(cookiesBefore);

    await proxy.restore();
    expect((await t.client().get('/api/health')).status).toBe(200);
    const me = await device.get('/api/auth/me');
    expect(me.status, JSON.stringify(me.body)).toBe(200);
    expect(me.body.user.id).toBe(user.id);
    expect((await remembered.get('/api/auth/me')).status).toBe(200);
  });

  /**
   * Before sign-in the CSRF token may live in a signed cookie with no row stored [A-ANON]; then the
   * route needs no database and may answer 200. What it must not do is hand out a token for a
   * session it failed to store: the visitor would be refused (403) after the outage for no reason.
   * (Before the cookie-bound token, this handed out a token for a session row that was never written.)
   */
  it('hands an anonymous visitor a CSRF token during an outage only if the token works afterwards', async () => {
    const newcomer = t.client();
    await proxy.cut();
    const csrf = await newcomer.get('/api/auth/csrf').finally(() => proxy.restore());
    if (csrf.status === 503) return;
    expect(csrf.status).toBe(200);
    const login = await newcomer.post('/api/auth/login', { email: user.email, password: user.password }, { csrf: csrf.body.csrfToken });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
  });

  it('recovers from a second outage too: no connection is left poisoned in the pool', async () => {
    await proxy.cut();
    expect((await device.get('/api/auth/me')).status).toBe(503);
    await proxy.restore();
    expect((await device.get('/api/auth/me')).status).toBe(200);
    expect((await device.get('/api/sessions')).status).toBe(200);
  });

  /**
   * A partition gives no connection error: pooled connections just stop answering, and requests
   * would hang until the kernel gives up (minutes). New connections fail at the pool's 5 s connect
   * bound; a query on an open connection is bounded only by common/request-deadline.ts.
   */
  it('fails fast with 503 when the network swallows every packet, then recovers', { timeout: 30_000 }, async () => {
    await device.get('/api/auth/me'); // a pooled connection is open and idle when the packets stop
    proxy.blackhole();
    const started = Date.now();
    const answers = await within(PARTITION_BOUND_MS, Promise.all([device.get('/api/auth/me'), t.client().get('/api/health')])).finally(() =>
      proxy.restore(),
    );
    expect(answers.map((res) => [res.status, res.body.code])).toEqual([
      [503, 'SERVICE_UNAVAILABLE'],
      [503, 'SERVICE_UNAVAILABLE'],
    ]);
    expect(Date.now() - started).toBeLessThan(PARTITION_BOUND_MS);
    expect((await device.get('/api/auth/me')).status).toBe(200);
  });
});

/** Fails after `ms` instead of hanging; the abandoned requests still settle later, quietly. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms: the request hangs`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
