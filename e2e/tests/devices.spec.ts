import { fileURLToPath } from 'node:url';
import { devices } from '@playwright/test';
import { expect, signInViaApi, test } from '../fixtures';
import { AppShell } from '../pages/app-shell';
import { ReauthDialog } from '../pages/reauth-dialog';
import { SessionsPage } from '../pages/sessions-page';
import { SignInPage } from '../pages/sign-in-page';

// The README's picture is refreshed on request only, so a test run leaves the tree clean.
const README_SCREENSHOT = fileURLToPath(new URL('../../docs/devices-page.png', import.meta.url));
// A phone, as far as a Chromium context can be one: its user agent, screen and touch.
const { defaultBrowserType: _, ...iPhone } = devices['iPhone 15'];

test('log out other devices asks for the password once the window lapsed, and the other device learns why', async ({
  deviceA,
  newDevice,
  newUser,
  db,
}, testInfo) => {
  const user = await newUser({ name: 'Ada Lovelace' });
  const phone = await newDevice(iPhone);
  await signInViaApi(deviceA.context, user);
  await signInViaApi(phone.context, user);
  // As if both sign-ins were a day ago, so the dialog path is really taken, with no waiting.
  await db.lapseStepUp(user.email);
  await phone.page.goto('/');
  await expect(new AppShell(phone.page).welcome(user.name)).toBeVisible();

  const sessions = new SessionsPage(deviceA.page);
  await sessions.goto();
  await expect(sessions.devices).toHaveCount(2);
  await expect(sessions.thisDevice).toHaveCount(1);
  await expect(sessions.otherDevices).toHaveCount(1);

  await expect(new AppShell(deviceA.page).verifiedUntil).toBeHidden();
  // Taken with no "Verified until" in the header, so the picture does not depend on the clock.
  const screenshot = process.env.UPDATE_README_SCREENSHOT ? README_SCREENSHOT : testInfo.outputPath('devices-page.png');
  await deviceA.page.screenshot({ path: screenshot, animations: 'disabled' });
  await sessions.logOutOtherDevices.click();
  await new ReauthDialog(deviceA.page).confirm(user.password);

  await expect(sessions.status).toHaveText('Signed out 1 other device.');
  await expect(sessions.devices).toHaveCount(1);
  await expect(sessions.thisDevice).toBeVisible();

  // No click on the phone: its open page hears the end over the live stream [D-LIVE].
  await expect(phone.page).toHaveURL('/sign-in?reason=revoked');
  await new SignInPage(phone.page).expectSessionEndedWith('You were signed out from another device.');
});

test('revoking one device from its card signs out that device and keeps this one', async ({ deviceA, deviceB, newUser }) => {
  const user = await newUser();
  await signInViaApi(deviceA.context, user);
  await signInViaApi(deviceB.context, user);
  await deviceB.page.goto('/');
  await expect(new AppShell(deviceB.page).welcome(user.name)).toBeVisible();

  const sessions = new SessionsPage(deviceA.page);
  await sessions.goto();
  await expect(sessions.devices).toHaveCount(2);
  // Signing in just now opened the step-up window, so no password is asked.
  await sessions.revokeButton(sessions.otherDevices).click();

  await expect(sessions.status.filter({ hasText: /^Signed out / })).toBeVisible();
  await expect(sessions.devices).toHaveCount(1);
  await deviceA.page.reload();
  await expect(sessions.thisDevice).toBeVisible();
  await expect(sessions.devices).toHaveCount(1);

  // No click on device B: its open page hears the end over the live stream [D-LIVE].
  await expect(deviceB.page).toHaveURL('/sign-in?reason=revoked');
  await new SignInPage(deviceB.page).expectSessionEndedWith('You were signed out from another device.');
});
