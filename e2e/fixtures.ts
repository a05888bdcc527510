import { randomBytes } from 'node:crypto';
import {
  test as base,
  expect,
  type APIRequestContext,
  type APIResponse,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from '@playwright/test';
import { AppDatabase } from './support/app-database';
import { Inbox } from './support/inbox';
import { serverAt } from './support/test-run';

export { expect };

export interface TestUser {
  name: string;
  email: string;
  password: string;
}

/** One browser context is one device: its own cookie jar, so its own sessions. */
export interface Device {
  context: BrowserContext;
  page: Page;
}

interface Fixtures {
  /** Opens another device (browser context with a page); closed after the test. */
  newDevice: (options?: BrowserContextOptions) => Promise<Device>;
  deviceA: Device;
  deviceB: Device;
  /** The database of the server this test talks to (its baseURL), for arranging data directly. */
  db: AppDatabase;
  /** The embedded mail server's inbox of the server this test talks to. */
  inbox: Inbox;
  /** A fresh account, written to the database, with no session yet. */
  newUser: (options?: { name?: string }) => Promise<TestUser>;
  /** A fresh account with the admin role, with no session yet. */
  adminUser: TestUser;
}

interface WorkerFixtures {
  /** One connection pool per test server, opened on first use in this worker. */
  databases: Map<string, AppDatabase>;
}

/** Credentials nobody else in this run has; a random suffix, since two workers may share a millisecond. */
export function uniqueUser(): TestUser {
  const id = randomBytes(6).toString('hex');
  return { name: `Tess ${id}`, email: `tess-${id}@example.com`, password: `correct horse ${id}` };
}

/** State-changing calls need the session-bound CSRF token, fetched fresh since sign-in rotates it. */
async function postWithCsrf(request: APIRequestContext, path: string, data?: object): Promise<APIResponse> {
  const csrf = await request.get('/api/auth/csrf');
  await expect(csrf).toBeOK();
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  return request.post(path, { data, headers: { 'X-CSRF-Token': csrfToken } });
}

/** Signs a device in through the API: the cookies land in that context, as if its browser had signed in. */
export async function signInViaApi(
  context: BrowserContext,
  user: TestUser,
  { rememberMe = false }: { rememberMe?: boolean } = {},
): Promise<void> {
  const response = await postWithCsrf(context.request, '/api/auth/login', {
    email: user.email,
    password: user.password,
    rememberMe,
  });
  await expect(response, `sign-in of ${user.email}`).toBeOK();
}

export const test = base.extend<Fixtures, WorkerFixtures>({
  databases: [
    // Playwright reads a fixture's dependencies from this pattern; this one has none.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const databases = new Map<string, AppDatabase>();
      await use(databases);
      await Promise.all([...databases.values()].map((database) => database.close()));
    },
    { scope: 'worker' },
  ],
  db: async ({ baseURL, databases }, use) => {
    const { dataDir } = serverAt(baseURL);
    if (!databases.has(dataDir)) databases.set(dataDir, AppDatabase.open(dataDir));
    await use(databases.get(dataDir)!);
  },
  inbox: async ({ baseURL }, use) => use(Inbox.of(serverAt(baseURL).dataDir)),

  newDevice: async ({ browser, baseURL }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (options = {}) => {
      const context = await browser.newContext({ baseURL, ...options });
      contexts.push(context);
      return { context, page: await context.newPage() };
    });
    await Promise.all(contexts.map((context) => context.close()));
  },
  deviceA: async ({ newDevice }, use) => use(await newDevice()),
  deviceB: async ({ newDevice }, use) => use(await newDevice()),

  // Sign-up itself is tested through its form (sign-in.spec.ts); everywhere else an account is
  // only a precondition, so it is written to the database rather than registered over HTTP.
  newUser: async ({ db }, use) => {
    await use(async ({ name } = {}) => {
      const user = uniqueUser();
      if (name) user.name = name;
      await db.createUser(user);
      return user;
    });
  },

  // The first admin is made on the server, never through the app [A-ADMIN]; so is this one.
  adminUser: async ({ db }, use) => {
    const user = uniqueUser();
    await db.createUser(user, { role: 'admin' });
    await use(user);
  },
});
