import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/common/errors/error-codes.js';
import { createUser, signIn } from '../auth-helpers.js';
import { startTestApp, type TestApp } from '../test-app.js';
import type { TestClient } from '../test-client.js';
import { anonymous, type Identity, signedInAdmin, visitor } from './fuzz-identities.js';
import { type HostileRequest, hostileRequestsFor } from './hostile-requests.js';
import { validBody } from './hostile-values.js';
import { listRoutes, type Route } from './route-inventory.js';
import { type RawAnswer, sendRaw } from './send-raw.js';

// Limits high enough that the corpus reaches validation instead of stopping at a 429.
const NO_LIMITS = {
  LOGIN_MAX_FAILURES_PER_ACCOUNT: '1000000',
  LOGIN_MAX_FAILURES_PER_IP: '1000000',
  SIGN_UPS_PER_IP: '1000000',
  ANONYMOUS_REQUESTS_PER_IP: '1000000',
};

/**
 * [I-BAD] A generated corpus of hostile requests against every route the app serves, sent by an
 * anonymous client, a visitor with a CSRF token and a signed-in admin inside the step-up window:
 * never a 5xx, every 4xx in the one error shape, and the app and its sessions healthy afterwards.
 */
describe('fuzzing every route with hostile input [I-BAD]', () => {
  let t: TestApp;
  let port: number;
  let routes: Route[];
  let bystander: TestClient;

  beforeAll(async () => {
    t = await startTestApp(NO_LIMITS);
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    routes = listRoutes(t.app);
    // Another user's remembered device, which no request of the corpus may disturb.
    bystander = await signIn(t.client(), await createUser(t), { rememberMe: true });
  });
  afterAll(() => t?.close());

  it('finds the routes from the running app', () => {
    const names = routes.map((route) => `${route.method} ${route.path}`);
    expect(names).toEqual(expect.arrayContaining(['GET /api/health', 'POST /api/auth/login', 'DELETE /api/sessions/:id']));
    expect(routes.find((route) => route.path === '/api/auth/login')?.body).toHaveProperty('password');
  });

  it('answers every hostile request with a 2xx or a 4xx in the error shape, never a 5xx', { timeout: 180_000 }, async () => {
    const cookieNames = [...bystander.cookies.keys()];
    let serial = 0;
    const corpus = routes.flatMap((route) => hostileRequestsFor(route, cookieNames, () => ++serial).map((request) => ({ route, request })));
    // Two signed-in admins split the routes: sign-outs and deletions make that lane the slowest.
    const lanes: [Identity, Route[]][] = [
      [anonymous(), routes],
      [await visitor(t), routes],
      [await signedInAdmin(t), routes.filter((_, index) => index % 2 === 0)],
      [await signedInAdmin(t), routes.filter((_, index) => index % 2 === 1)],
    ];
    const identities = lanes.map(([identity]) => identity);
    const failures: string[] = [];
    const started = Date.now();
    let sent = 0;

    await Promise.all(
      lanes.map(async ([identity, laneRoutes]) => {
        for (const route of laneRoutes) {
          const requests = corpus.filter((entry) => entry.route === route).map((entry) => entry.request);
          if (identity.publicRoutesOnly && (await needsSignIn(identity, route))) continue;
          sent += requests.length;
          for (const request of requests) {
            const problem = await attempt(identity, request);
            if (problem) failures.push(`${identity.name} ${request.method} ${request.path.slice(0, 60)} [${request.attack}]: ${problem}`);
          }
          await identity.check().catch((error: Error) => failures.push(`${route.method} ${route.path}: ${error.message}`));
        }
      }),
    );

    const restarts = identities.map((identity) => `${identity.name} ${identity.restarts}`).join(', ');
    console.info(
      `fuzz corpus: ${corpus.length} hostile requests over ${routes.length} routes; ${sent} sent in all by ${identities.length} identities in ${((Date.now() - started) / 1000).toFixed(1)} s; sessions restarted after an accepted request: ${restarts}`,
    );
    expect(failures.slice(0, 40), `${failures.length} failures`).toEqual([]);
  });

  it('is healthy afterwards: the app, the bystander and no polluted prototype', async () => {
    expect((await t.client().get('/api/health')).status).toBe(200);
    const me = await bystander.get('/api/auth/me');
    expect(me.status, JSON.stringify(me.body)).toBe(200);
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.prototype).not.toHaveProperty('role');
  });

  /** A plain, valid request to the route: does it answer 401 before looking at the input? */
  async function needsSignIn(identity: Identity, route: Route): Promise<boolean> {
    const request: HostileRequest = {
      attack: 'none (probe)',
      method: route.method,
      path: route.path.replace(/:(\w+)/g, () => randomUUID()),
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(validBody(route.body, Date.now())),
    };
    const answer = await sendRaw(port, { ...request, headers: credentials(identity, request) });
    await identity.settle(request, answer);
    return answer.status === 401;
  }

  function credentials(identity: Identity, request: HostileRequest): Record<string, string> {
    const cookie = request.cookies ? request.cookies(identity.cookie()) : identity.cookie();
    const csrf = identity.csrfToken();
    return { ...(csrf ? { 'x-csrf-token': csrf } : {}), ...(cookie ? { cookie } : {}), ...request.headers };
  }

  async function attempt(identity: Identity, request: HostileRequest): Promise<string | undefined> {
    let answer: RawAnswer;
    try {
      answer = await sendRaw(port, { ...request, headers: credentials(identity, request) });
    } catch (error) {
      return `no answer: ${(error as Error).message}`;
    }
    await identity.settle(request, answer);
    return problemWith(answer);
  }
});

function problemWith({ status, text }: RawAnswer): string | undefined {
  if (status >= 500) return `answered ${status} ${text.slice(0, 120)}`;
  if (status < 400) return undefined;
  let body: { statusCode?: unknown; code?: unknown; message?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return `answered ${status} with a body that is not JSON: ${text.slice(0, 80)}`;
  }
  const shaped = body.statusCode === status && typeof body.code === 'string' && body.code in ERROR_CODES && typeof body.message === 'string';
  return shaped ? undefined : `answered ${status} outside the error shape: ${text.slice(0, 120)}`;
}
