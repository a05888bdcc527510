import { randomBytes } from 'node:crypto';
import { createUser, signIn } from '../auth-helpers.js';
import type { TestApp } from '../test-app.js';
import type { TestClient } from '../test-client.js';
import type { HostileRequest } from './hostile-requests.js';
import type { RawAnswer } from './send-raw.js';

/**
 * Who sends the hostile requests. A device keeps its cookie jar in step with the answers; when a
 * request legitimately ends its session (the junk was beside the point: sign-out, account deletion,
 * signing up as someone else) it starts over, and `restarts` counts how often.
 */
export interface Identity {
  name: string;
  cookie(): string;
  csrfToken(): string | undefined;
  settle(request: HostileRequest, answer: RawAnswer): Promise<void>;
  /** Throws unless the device is still signed in as itself (checked after each route's batch). */
  check(): Promise<void>;
  restarts: number;
  /** Only public routes: elsewhere this device is just another anonymous client, already covered. */
  publicRoutesOnly?: boolean;
}

export function anonymous(): Identity {
  return { name: 'anonymous', cookie: () => '', csrfToken: () => undefined, settle: async () => undefined, check: async () => undefined, restarts: 0 };
}

/** A visitor before sign-in holding a pre-session CSRF token, so public routes get past the CSRF check. */
export async function visitor(t: TestApp): Promise<Identity> {
  const identity = await device('visitor', async () => ({ client: t.client() }));
  identity.publicRoutesOnly = true;
  return identity;
}

/**
 * A signed-in admin inside the step-up window, so admin and critical routes reach their validation.
 * Starting over signs the same admin in again; only when the account is gone (deleted, or its
 * password changed) does a new admin take its place, with the first one's hash (argon2 is slow).
 */
export async function signedInAdmin(t: TestApp): Promise<Identity> {
  let admin = await createUser(t, { role: 'admin' });
  const { passwordHash } = await t.prisma.user.findUniqueOrThrow({ where: { id: admin.id }, select: { passwordHash: true } });
  return device('signed-in admin', async () => {
    let client = t.client();
    if ((await client.post('/api/auth/login', { email: admin.email, password: admin.password })).status !== 200) {
      const email = `admin-${randomBytes(6).toString('hex')}@example.com`;
      const row = await t.prisma.user.create({ data: { email, name: 'Fuzz Admin', role: 'admin', passwordHash }, select: { id: true } });
      admin = { ...admin, id: row.id, email };
      client = await signIn(t.client(), admin);
    }
    return { client, userId: admin.id };
  });
}

async function device(name: string, start: () => Promise<{ client: TestClient; userId?: string }>): Promise<Identity> {
  let current = await start();
  let csrf = await current.client.fetchCsrfToken();
  const restart = async () => {
    current = await start();
    csrf = await current.client.fetchCsrfToken();
    identity.restarts++;
  };
  const stillMe = async () => {
    if (!current.userId) return false;
    const res = await current.client.get('/api/auth/me');
    return res.status === 200 && (res.body as { user?: { id?: string } }).user?.id === current.userId;
  };
  const identity: Identity = {
    name,
    restarts: 0,
    cookie: () => current.client.cookieHeader(),
    csrfToken: () => csrf,
    async settle(request, answer) {
      if (!request.cookies) keepCookies(current.client, answer);
      if (request.method === 'GET' || answer.status >= 300) return;
      if (await stillMe()) csrf = await current.client.fetchCsrfToken();
      else await restart();
    },
    async check() {
      if (current.userId && !(await stillMe())) {
        await restart();
        throw new Error(`${name} lost its session to a request that was refused`);
      }
    },
  };
  return identity;
}

/** The browser's part: store what Set-Cookie says, forget what it expires. */
function keepCookies(client: TestClient, answer: RawAnswer): void {
  for (const header of [answer.headers['set-cookie'] ?? []].flat()) {
    const [pair = ''] = header.split(';');
    const name = pair.slice(0, pair.indexOf('='));
    const value = pair.slice(pair.indexOf('=') + 1);
    const expired = /expires=Thu, 01 Jan 1970/i.test(header) || value === '';
    client.setCookie(name, expired ? undefined : value);
  }
}
