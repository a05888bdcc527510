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
import { admin } from './support/test-run';

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
  /** Registers a fresh account through the API and leaves it with no session. */
  newUser: (options?: { name?: string }) => Promise<TestUser>;
  /** The admin account (its email is in ADMIN_EMAILS), registered on first use. */
  adminUser: TestUser;
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

/** Registers on a throw-away client, then signs that client out, so only the test's devices hold sessions. */
async function register(request: APIRequestContext, user: TestUser, { mayExist = false } = {}): Promise<void> {
  const response = await postWithCsrf(request, '/api/auth/register', user);
  if (mayExist && response.status() === 409) return;
  await expect(response, `registration of ${user.email}`).toBeOK();
  await expect(await postWithCsrf(request, '/api/auth/logout')).toBeOK();
}

export const test = base.extend<Fixtures>({
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

  newUser: async ({ playwright, baseURL }, use) => {
    const request = await playwright.request.newContext({ baseURL });
    await use(async ({ name } = {}) => {
      const user = uniqueUser();
      if (name) user.name = name;
      await register(request, user);
      return user;
    });
    await request.dispose();
  },

  adminUser: async ({ playwright, baseURL }, use) => {
    const request = await playwright.request.newContext({ baseURL });
    // Another test (or worker) of this run may have registered it already, with the same password.
    await register(request, admin, { mayExist: true });
    await request.dispose();
    await use(admin);
  },
});
