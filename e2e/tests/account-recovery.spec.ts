import { expect, signInViaApi, test } from '../fixtures';
import { AppShell } from '../pages/app-shell';
import { SignInPage } from '../pages/sign-in-page';
import { Inbox } from '../support/inbox';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

test('forgot password: email, link, new password; the other device is signed out and told why [E-RESET]', async ({ deviceA, deviceB, newUser, inbox }) => {
  const user = await newUser();
  await signInViaApi(deviceB.context, user);
  await deviceB.page.goto('/');
  await expect(new AppShell(deviceB.page).welcome(user.name)).toBeVisible();

  const signIn = new SignInPage(deviceA.page);
  await signIn.goto();
  await deviceA.page.getByRole('link', { name: 'Forgot your password?' }).click();
  await deviceA.page.getByLabel('Email', { exact: true }).fill(user.email);
  await deviceA.page.getByRole('button', { name: 'Send me a link' }).click();
  await expect(deviceA.page.getByRole('status')).toContainText(`If an account uses ${user.email}`);

  const link = Inbox.tokenLink(await inbox.latest(user.email, 'Reset your password'));
  await deviceA.page.goto(link);
  await expect(deviceA.page).not.toHaveURL(/#token=/);
  await deviceA.page.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
  await deviceA.page.getByRole('button', { name: 'Set new password' }).click();
  await expect(deviceA.page.getByRole('heading', { name: 'Password changed' })).toBeVisible();
  await inbox.latest(user.email, 'Your password was changed');

  await deviceB.page.reload();
  await new SignInPage(deviceB.page).expectSessionEndedWith('Your password was changed, so you were signed out everywhere else.');
});

test('a new device gets an alert; "This wasn\'t me" signs it out at once and it is told why [E-NOTIFY]', async ({ deviceA, newDevice, newUser, inbox }) => {
  const user = await newUser();
  await signInViaApi(deviceA.context, user); // the user's own browser, on record
  const stranger = await newDevice({ userAgent: FIREFOX }); // another browser family
  await signInViaApi(stranger.context, user);
  await stranger.page.goto('/');
  await expect(new AppShell(stranger.page).welcome(user.name)).toBeVisible();

  const alert = await inbox.latest(user.email, 'New sign-in to your account');
  expect(alert.text).toContain('Firefox on Linux');
  const owner = await newDevice(); // the owner reading mail, not signed in there
  await owner.page.goto(Inbox.tokenLink(alert));
  await owner.page.getByRole('button', { name: 'Sign that device out' }).click();
  await expect(owner.page.getByRole('status')).toContainText('That device is signed out.');
  await expect(owner.page.getByRole('link', { name: 'Reset my password' })).toBeVisible();

  const refused = stranger.page.waitForResponse((res) => res.url().endsWith('/api/auth/me'));
  await stranger.page.reload();
  expect((await refused).status()).toBe(401);
  await new SignInPage(stranger.page).expectSessionEndedWith('You were signed out from another device.');
  // The owner's own device is untouched.
  expect((await deviceA.context.request.get('/api/auth/me')).status()).toBe(200);
});
