import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from '@playwright/test';
import { expect, signInViaApi, test, uniqueUser, type Device, type TestUser } from '../fixtures';
import { AppShell } from '../pages/app-shell';
import { ReauthDialog } from '../pages/reauth-dialog';
import { SessionsPage } from '../pages/sessions-page';
import { SignInPage } from '../pages/sign-in-page';
import { SignUpPage } from '../pages/sign-up-page';
import { ClientAt } from './client-at';
import { deployment, LOGIN_MAX_FAILURES_PER_IP } from './deployment';

// What every spec here has in common: the browser talks to Caddy on https://localhost:<port>, Caddy
// to two production instances over loopback, and both instances to one PostgreSQL (see
// serve-behind-proxy.mjs). Nothing is seeded: accounts are made by signing up, as a user would.

/** An address from a documentation range (RFC 5737), sent by clients that claim to be someone else. */
const FORGED_IP = '203.0.113.7';
const forgingDevice = { extraHTTPHeaders: { 'X-Forwarded-For': FORGED_IP } };

async function signUp(page: Page, user: TestUser): Promise<void> {
  const signUpPage = new SignUpPage(page);
  await signUpPage.goto();
  await signUpPage.signUp(user);
  await expect(new AppShell(page).welcome(user.name)).toBeVisible();
}

async function signOut(page: Page): Promise<void> {
  await new AppShell(page).signOut.click();
  await expect(page).toHaveURL('/sign-in?reason=signed_out');
}

const cookieNamed = async (context: BrowserContext, name: string) => (await context.cookies()).find((cookie) => cookie.name === name);

/** The device after a browser restart: its session cookie is gone, its remember-me cookie is not. */
async function restartedBrowserOf({ context }: Device) {
  const state = await context.storageState();
  return { storageState: { ...state, cookies: state.cookies.filter((cookie) => cookie.name !== '__Host-sid') } };
}

/** The ids of the requests each instance logged ("request completed" lines of its pino log). */
function requestIdsPerInstance(): Set<string>[] {
  return deployment.instanceLogs.map((file) => {
    const ids = new Set<string>();
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.includes('"request completed"')) continue;
      const id = (JSON.parse(line) as { req?: { id?: string } }).req?.id;
      if (id) ids.add(id);
    }
    return ids;
  });
}

test('over real TLS the browser keeps the __Host- cookies, HSTS is sent, and signing out clears them', async ({ deviceA: { context, page } }) => {
  const response = await page.goto('/sign-up');
  expect(response?.headers()['strict-transport-security']).toMatch(/max-age=\d{7,}/);
  expect(await page.evaluate(() => [location.protocol, window.isSecureContext])).toEqual(['https:', true]);

  const user = uniqueUser();
  await signUp(page, user);

  // A __Host- cookie is only kept when it came over a secure connection, Secure, Path=/ and with no Domain.
  expect(await cookieNamed(context, '__Host-sid')).toMatchObject({ domain: 'localhost', path: '/', secure: true, httpOnly: true, sameSite: 'Lax' });

  await signOut(page);
  expect(await cookieNamed(context, '__Host-sid')).toBeUndefined();
});

test('remember me, a second device, step-up, revoke, log out other devices and sign out, through the proxy', async ({
  deviceA,
  newDevice,
}) => {
  const user = uniqueUser();
  await signUp(deviceA.page, user);
  await signOut(deviceA.page);
  await new SignInPage(deviceA.page).signIn(user, { rememberMe: true });
  await expect(new AppShell(deviceA.page).welcome(user.name)).toBeVisible();
  expect(await cookieNamed(deviceA.context, '__Host-remember')).toMatchObject({ path: '/', secure: true, httpOnly: true, sameSite: 'Lax' });

  // The second device claims another address in X-Forwarded-For; only Caddy's is believed.
  const phone = await newDevice(forgingDevice);
  await new SignInPage(phone.page).goto();
  await new SignInPage(phone.page).signIn(user);
  await expect(new AppShell(phone.page).welcome(user.name)).toBeVisible();

  // The first device's browser restarts: remember-me signs it back in, in a session that is not fresh.
  const laptop = await newDevice(await restartedBrowserOf(deviceA));
  await laptop.page.goto('/');
  await expect(new AppShell(laptop.page).welcome(user.name)).toBeVisible();
  expect(await cookieNamed(laptop.context, '__Host-sid')).toMatchObject({ secure: true, httpOnly: true });

  const sessions = new SessionsPage(laptop.page);
  await sessions.goto();
  await expect(sessions.devices).toHaveCount(2);
  await expect(sessions.otherDevices).toContainText('this computer (local)');
  await expect(laptop.page.getByText(FORGED_IP)).toHaveCount(0);
  const listed = (await (await laptop.page.request.get('/api/sessions')).json()) as { sessions: { ip: string | null }[] };
  expect(listed.sessions.map((session) => session.ip)).toEqual(['127.0.0.1', '127.0.0.1']);

  // Step-up: a session restored by remember-me must confirm the password before revoking [U-REMEMBERED].
  await sessions.revokeButton(sessions.otherDevices).click();
  await new ReauthDialog(laptop.page).confirm(user.password);
  await expect(sessions.status.filter({ hasText: /^Signed out / })).toBeVisible();
  await expect(sessions.devices).toHaveCount(1);
  // The phone's open page is told over its live stream (through Caddy, maybe from the other instance) [D-LIVE].
  await expect(phone.page).toHaveURL('/sign-in?reason=revoked');

  // Two other devices, then "log out other devices" from the laptop, inside its step-up window now.
  await new SignInPage(phone.page).signIn(user);
  await expect(new AppShell(phone.page).welcome(user.name)).toBeVisible();
  const tablet = await newDevice();
  await signInViaApi(tablet.context, user);
  await sessions.goto();
  await expect(sessions.devices).toHaveCount(3);
  await sessions.logOutOtherDevices.click();
  await new ReauthDialog(laptop.page).confirmIfAsked(user.password, { orUntil: sessions.status.filter({ hasText: /^Signed out / }) });
  await expect(sessions.status).toHaveText('Signed out 2 other devices.');
  await expect(sessions.devices).toHaveCount(1);
  for (const other of [phone, tablet]) {
    await other.page.goto('/sessions');
    await expect(other.page).toHaveURL(/\/sign-in\?.*reason=revoked/);
  }

  // The security timeline recorded where each event came from: this machine, never the forged address.
  const { events } = (await (await laptop.page.request.get('/api/account/events?limit=50')).json()) as { events: { type: string; ip: string | null }[] };
  expect(events.filter((event) => event.type === 'sign_in').length).toBeGreaterThanOrEqual(3);
  expect(new Set(events.map((event) => event.ip))).toEqual(new Set(['127.0.0.1']));

  await signOut(laptop.page);
  expect(await cookieNamed(laptop.context, '__Host-sid')).toBeUndefined();
  expect(await cookieNamed(laptop.context, '__Host-remember')).toBeUndefined();
});

test('requests go round robin to both instances and the session holds on each', async ({ deviceA: { page } }) => {
  const user = uniqueUser();
  await signUp(page, user);

  const requestIds: string[] = [];
  for (let round = 0; round < 30; round += 1) {
    const me = await page.request.get('/api/auth/me');
    expect(me.status(), `request ${round + 1}`).toBe(200);
    expect(((await me.json()) as { user: { email: string } }).user.email).toBe(user.email);
    requestIds.push(me.headers()['x-request-id'] ?? '');
  }
  await page.reload();
  await expect(new AppShell(page).welcome(user.name)).toBeVisible();

  // Each instance logs a request once it has answered it: wait until all 30 are in a log.
  let perInstance: number[] = [];
  await expect
    .poll(() => {
      const logged = requestIdsPerInstance();
      perInstance = logged.map((ids) => requestIds.filter((id) => ids.has(id)).length);
      return perInstance.reduce((sum, count) => sum + count, 0);
    })
    .toBe(requestIds.length);
  expect(perInstance.every((count) => count >= 10), `requests per instance: ${perInstance.join(' and ')}`).toBe(true);
});

test('X-Forwarded-For is believed from the proxy only, and a forged one does not get around the per-IP sign-in limit', async ({
  deviceA,
}) => {
  // Another client on this machine, at 127.0.0.2, forging X-Forwarded-For on every request.
  const client = new ClientAt('127.0.0.2');
  const user = uniqueUser();
  expect((await client.post('/api/auth/register', user, { 'X-Forwarded-For': FORGED_IP })).status).toBe(201);
  const { sessions } = (await client.get('/api/sessions')).body as { sessions: { ip: string }[] };
  // The instances saw Caddy connect from 127.0.0.1; the address they recorded is the client's own, from Caddy's header.
  expect(sessions.map((session) => session.ip)).toEqual(['127.0.0.2']);

  const attacker = new ClientAt('127.0.0.2');
  const attempt = (round: number) =>
    attacker.post(
      '/api/auth/login',
      { email: `nobody-${round}-${user.email}`, password: 'wrong password', rememberMe: false },
      { 'X-Forwarded-For': `198.51.100.${round}` },
    );
  for (let round = 1; round <= LOGIN_MAX_FAILURES_PER_IP; round += 1) expect((await attempt(round)).status, `attempt ${round}`).toBe(401);
  expect((await attempt(LOGIN_MAX_FAILURES_PER_IP + 1)).status, 'one attempt past the per-IP limit').toBe(429);

  // The limit counted the attacker's address, not the proxy's: the browser at 127.0.0.1 still signs in.
  await signInViaApi(deviceA.context, user);
  const logs = deployment.instanceLogs.map((file) => readFileSync(file, 'utf8')).join('\n');
  expect(logs).not.toContain(FORGED_IP);
  expect(logs).not.toContain('198.51.100.');
});
