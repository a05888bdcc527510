import { expect, signInViaApi, test, uniqueUser } from '../fixtures';
import { AccountPage } from '../pages/account-page';
import { AppShell } from '../pages/app-shell';
import { ReauthDialog } from '../pages/reauth-dialog';
import { servers, SHORT_STEP_UP_WINDOW_SECONDS } from '../support/test-run';

// A 3 s step-up window, so it can lapse within the test.
test.use({ baseURL: servers.shortStepUp.url });

test('a lapsed step-up window asks for the password, then the password change goes through without resubmitting', async ({
  deviceA: { context, page },
  newUser,
}) => {
  const user = await newUser();
  await signInViaApi(context, user);
  const account = new AccountPage(page);
  const shell = new AppShell(page);
  await account.goto();
  await expect(account.heading).toBeVisible();
  // Signing in opened the window; the badge goes when it lapses.
  await expect(shell.verifiedUntil).toBeHidden({ timeout: (SHORT_STEP_UP_WINDOW_SECONDS + 5) * 1000 });

  const newPassword = uniqueUser().password;
  await account.changePassword(newPassword);
  await new ReauthDialog(page).confirm(user.password);

  await expect(account.passwordStatus).toHaveText('Password changed. Your other devices were signed out.');
  await expect(shell.verifiedUntil).toBeVisible();
  await expect(account.changePasswordButton).toBeFocused();
  // The retried request really changed it: the new password signs in.
  await signInViaApi(context, { ...user, password: newPassword });
});
