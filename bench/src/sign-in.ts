import { randomBytes } from 'node:crypto';
import { BenchClient, expectStatus } from './http-client.js';

export const SESSION_COOKIE = '__Host-sid';

export interface Account {
  email: string;
  password: string;
}

export const newAccount = (label: string): Account => ({
  email: `bench-${label}-${randomBytes(4).toString('hex')}@example.test`,
  password: `bench-password-${randomBytes(8).toString('hex')}`,
});

/** GET /api/auth/csrf: the pre-login session and its token, as the web app does first. */
export async function fetchCsrfToken(client: BenchClient): Promise<string> {
  const res = expectStatus(await client.get('/api/auth/csrf'), 200, 'GET /api/auth/csrf');
  return res.json<{ csrfToken: string }>().csrfToken;
}

/** Registers the account on a fresh client; the client ends up signed in. */
export async function register(port: number, account: Account): Promise<BenchClient> {
  const client = new BenchClient(port);
  const csrfToken = await fetchCsrfToken(client);
  expectStatus(await client.post('/api/auth/register', { ...account, name: 'Bench' }, { 'x-csrf-token': csrfToken }), 201, 'POST /api/auth/register');
  assertSignedIn(client);
  return client;
}

/** Signs the account in; a fresh client unless one is given (whose cookies are then replaced). */
export async function signIn(port: number, account: Account, client = new BenchClient(port)): Promise<BenchClient> {
  client.cookies.clear();
  const csrfToken = await fetchCsrfToken(client);
  expectStatus(await client.post('/api/auth/login', account, { 'x-csrf-token': csrfToken }), 200, 'POST /api/auth/login');
  assertSignedIn(client);
  return client;
}

function assertSignedIn(client: BenchClient): void {
  if (!client.cookies.has(SESSION_COOKIE)) {
    throw new Error(`no ${SESSION_COOKIE} cookie after signing in: is the Secure cookie dropped because the request did not look like localhost?`);
  }
}

/** The stock anchor: POST /login sets req.session.userId; its cookie is `connect.sid`. */
export async function stockSignIn(port: number): Promise<BenchClient> {
  const client = new BenchClient(port);
  expectStatus(await client.post('/login', undefined), 200, 'stock POST /login');
  const me = expectStatus(await client.get('/me'), 200, 'stock GET /me').json<{ userId: string | null }>();
  if (!me.userId) throw new Error('the stock anchor did not keep its session: GET /me has no userId');
  return client;
}
