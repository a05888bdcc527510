import { expect, signInViaApi, test } from '../fixtures';
import { AppShell } from '../pages/app-shell';
import { ReauthDialog } from '../pages/reauth-dialog';
import { SecurityPage } from '../pages/security-page';
import { SignInPage } from '../pages/sign-in-page';
import { addVirtualAuthenticator } from '../support/virtual-authenticator';
import { servers, SHORT_STEP_UP_WINDOW_SECONDS } from '../support/test-run';

// A 3 s step-up window, so that it lapses within the test and the re-auth dialog is asked for.
test.use({ baseURL: servers.shortStepUp.url });

test('a passkey: add it (signing the other device out), sign in with it alone, and step up with it in the re-auth dialog [M-PASSKEY, M-STEPUP, M-CHANGE]', async ({
  deviceA: { context, page },
  deviceB,
  newUser,
}) => {
  // Two step-up windows lapse in it.
  test.slow();
  const user = await newUser();
  await signInViaApi(deviceB.context, user);
  await signInViaApi(context, user);
  const authenticator = await addVirtualAuthenticator(context, page);
  const security = new SecurityPage(page);
  const shell = new AppShell(page);
  const reauth = new ReauthDialog(page);
  const lapse = () => expect(shell.verifiedUntil).toBeHidden({ timeout: (SHORT_STEP_UP_WINDOW_SECONDS + 5) * 1000 });

  await security.goto();
  await lapse();
  await security.passkeyName.fill('This laptop');
  await security.addPasskey.click();
  await reauth.confirm(user.password);
  await expect(security.passkeyStatus).toHaveText('Passkey added. Your other devices were signed out.');
  await expect(security.passkeys).toHaveCount(1);
  await expect(security.passkeys.first()).toContainText('This laptop');
  expect(await authenticator.credentials()).toHaveLength(1);

  // The other device was signed out by the change [M-CHANGE].
  await deviceB.page.goto('/sessions');
  await expect(new SignInPage(deviceB.page).heading).toBeVisible();

  // Signed out, the passkey alone signs in: no email, no password.
  const signIn = new SignInPage(page);
  await shell.signOut.click();
  await expect(signIn.heading).toBeVisible();
  await signIn.withPasskey.click();
  await expect(shell.signOut).toBeVisible();
  await security.goto();
  await expect(security.passkeys.first()).toContainText('last used');

  // Once the window lapses, the re-auth dialog offers the passkey first.
  await lapse();
  await security.removePasskey('This laptop').click();
  await reauth.confirmWithPasskey();
  await expect(security.passkeyStatus).toHaveText('Passkey “This laptop” removed. Your other devices were signed out.');
  await expect(security.passkeys).toHaveCount(0);
});
