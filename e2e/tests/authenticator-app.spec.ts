import { Secret, TOTP } from 'otpauth';
import { expect, signInViaApi, test } from '../fixtures';
import { AppShell } from '../pages/app-shell';
import { SecurityPage } from '../pages/security-page';
import { SignInPage } from '../pages/sign-in-page';

/** What an authenticator app shows for `key`, `steps` periods from now (each code is accepted once). */
const codeFor = (key: string, steps = 0) =>
  new TOTP({ secret: Secret.fromBase32(key), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: Date.now() + steps * 30_000 });

test('an authenticator app: enrol with its QR code, sign in with password + code, then with a recovery code, then turn it off [M-TOTP, M-RECOVERY, M-SIGNIN]', async ({
  deviceA: { context, page },
  deviceB,
  newUser,
}) => {
  const user = await newUser();
  await signInViaApi(deviceB.context, user);
  await signInViaApi(context, user);
  const security = new SecurityPage(page);
  await security.goto();
  const { key, recoveryCodes } = await security.enrol((shownKey) => codeFor(shownKey, -1));

  // The other device was signed out by the change [M-CHANGE].
  await deviceB.page.goto('/sessions');
  await expect(new SignInPage(deviceB.page).heading).toBeVisible();

  const shell = new AppShell(page);
  const signIn = new SignInPage(page);
  await shell.signOut.click();
  await expect(signIn.heading).toBeVisible();
  await signIn.signIn(user);
  await signIn.enterCode(codeFor(key));
  await expect(shell.signOut).toBeVisible();

  await shell.signOut.click();
  await signIn.signIn(user);
  await signIn.enterRecoveryCode(recoveryCodes[0]!);
  await expect(shell.signOut).toBeVisible();

  await security.goto();
  await security.turnOff.click();
  await expect(security.status).toHaveText('The authenticator app is off. Your other devices were signed out.');
  await shell.signOut.click();
  await signIn.signIn(user);
  await expect(shell.signOut).toBeVisible();
});
