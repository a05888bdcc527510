import { expect, signInViaApi, test, uniqueUser } from '../fixtures';
import { AccountPage } from '../pages/account-page';
import { AppShell } from '../pages/app-shell';
import { SignInPage } from '../pages/sign-in-page';
import { SignUpPage } from '../pages/sign-up-page';

test('signing up through the form signs the new account in on the home page', async ({ deviceA: { page } }) => {
  const user = uniqueUser();
  const signUp = new SignUpPage(page);
  await signUp.goto();
  await expect(signUp.heading).toBeVisible();

  await signUp.signUp(user);

  await expect(new AppShell(page).welcome(user.name)).toBeVisible();
  await expect(page).toHaveURL('/');
});

test('signing in through the form returns to the protected page that asked for it', async ({ deviceA: { page }, newUser }) => {
  const user = await newUser();
  await page.goto('/account');
  await expect(page).toHaveURL('/sign-in?returnTo=%2Faccount');

  await new SignInPage(page).signIn(user);

  await expect(new AccountPage(page).heading).toBeVisible();
  await expect(page).toHaveURL('/account');
});

// [I-REDIRECT] Each of these would leave the origin if followed: protocol-relative, a backslash
// that browsers read as "//", and an absolute URL.
for (const returnTo of ['//evil.example', '/\\evil.example', 'https://evil.example']) {
  test(`sign-in ignores the off-site returnTo ${returnTo} and lands on home`, async ({ deviceA: { context, page }, newUser }) => {
    const user = await newUser();
    const offOrigin: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith('http://localhost:')) offOrigin.push(request.url());
    });
    await signInViaApi(context, user);

    // Signed in, the sign-in page forwards to its returnTo at once: the same step as after the form.
    await page.goto(`/sign-in?returnTo=${encodeURIComponent(returnTo)}`);

    await expect(new AppShell(page).welcome(user.name)).toBeVisible();
    await expect(page).toHaveURL('/');
    expect(offOrigin).toEqual([]);
  });
}

test('signing out ends the session and says so on the sign-in page', async ({ deviceA: { context, page }, newUser }) => {
  const user = await newUser();
  await signInViaApi(context, user);
  await page.goto('/');
  const shell = new AppShell(page);
  await expect(shell.welcome(user.name)).toBeVisible();

  await shell.signOut.click();

  await expect(page).toHaveURL('/sign-in?reason=signed_out');
  await new SignInPage(page).expectSessionEndedWith('You signed out.');
  expect((await context.cookies()).map((cookie) => cookie.name)).not.toContain('__Host-sid');
  await page.goto('/account');
  await expect(page).toHaveURL('/sign-in?returnTo=%2Faccount');
});

test('signing out in one tab signs out the other tabs of the browser at once', async ({ deviceA: { context, page }, newUser }) => {
  const user = await newUser();
  await signInViaApi(context, user);
  const otherTab = await context.newPage();
  await page.goto('/');
  await otherTab.goto('/account');
  await expect(new AppShell(page).welcome(user.name)).toBeVisible();
  await expect(new AccountPage(otherTab).heading).toBeVisible();
  // A mark on this document: it is still there afterwards only if the tab did not reload.
  await otherTab.evaluate(() => Object.assign(window, { e2eSameDocument: true }));

  await new AppShell(page).signOut.click();

  await expect(otherTab).toHaveURL('/sign-in?reason=signed_out');
  await new SignInPage(otherTab).expectSessionEndedWith('You signed out.');
  expect(await otherTab.evaluate(() => 'e2eSameDocument' in window)).toBe(true);
});

test('page scripts cannot read the session cookie', async ({ deviceA: { context, page }, newUser }) => {
  const user = await newUser();
  await signInViaApi(context, user);
  await page.goto('/');
  await expect(new AppShell(page).welcome(user.name)).toBeVisible();

  const sessionCookie = (await context.cookies()).find((cookie) => cookie.name === '__Host-sid');
  expect(sessionCookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
  expect(await page.evaluate(() => document.cookie)).not.toContain('__Host-sid');
});
