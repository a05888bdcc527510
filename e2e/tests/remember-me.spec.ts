import type { BrowserContext, Route } from '@playwright/test';
import { expect, signInViaApi, test, type Device } from '../fixtures';
import { AppShell } from '../pages/app-shell';
import { SignInPage } from '../pages/sign-in-page';

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

/** The device as it is after a browser restart: browser-session cookies are gone, the remember cookie is not. */
async function withoutSessionCookie({ context }: Device): Promise<StorageState> {
  const state = await context.storageState();
  return { ...state, cookies: state.cookies.filter((cookie) => cookie.name !== '__Host-sid') };
}

/** Holds matching requests until `count` of them are waiting, then lets them all go at once. */
async function sendTogether(context: BrowserContext, url: string, count: number): Promise<void> {
  const held: Route[] = [];
  await context.route(url, async (route) => {
    if (held.length >= count) return route.continue();
    held.push(route);
    if (held.length === count) await Promise.all(held.map((waiting) => waiting.continue()));
  });
}

test('a remembered device stays signed in after its session cookie is gone', async ({ deviceA, newDevice, newUser }) => {
  const user = await newUser();
  const signIn = new SignInPage(deviceA.page);
  await signIn.goto();
  await signIn.signIn(user, { rememberMe: true });
  await expect(new AppShell(deviceA.page).welcome(user.name)).toBeVisible();
  const rememberCookie = (await deviceA.context.cookies()).find((cookie) => cookie.name === '__Host-remember');
  expect(rememberCookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });

  const restarted = await newDevice({ storageState: await withoutSessionCookie(deviceA) });
  await restarted.page.goto('/');

  await expect(new AppShell(restarted.page).welcome(user.name)).toBeVisible();
  expect((await restarted.context.cookies()).map((cookie) => cookie.name)).toContain('__Host-sid');
});

test('two tabs restoring the same remember-me token at once both stay signed in', async ({ deviceA, newDevice, newUser }) => {
  const user = await newUser();
  await signInViaApi(deviceA.context, user, { rememberMe: true });
  const restarted = await newDevice({ storageState: await withoutSessionCookie(deviceA) });
  // [R-ROTATE] Both tabs' first API calls leave together, so both present the same token.
  await sendTogether(restarted.context, '**/api/auth/me', 2);
  const firstTab = restarted.page;
  const secondTab = await restarted.context.newPage();

  await Promise.all([firstTab.goto('/'), secondTab.goto('/')]);

  for (const tab of [firstTab, secondTab]) {
    await expect(new AppShell(tab).welcome(user.name)).toBeVisible();
    await expect(tab).toHaveURL('/');
  }
  // And the cookies the race left behind still hold a valid session.
  await firstTab.reload();
  await expect(new AppShell(firstTab).welcome(user.name)).toBeVisible();
});
