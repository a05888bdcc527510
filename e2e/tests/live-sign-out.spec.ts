import { expect, signInViaApi, test } from '../fixtures';
import { AppShell } from '../pages/app-shell';
import { ReauthDialog } from '../pages/reauth-dialog';
import { SessionsPage } from '../pages/sessions-page';
import { SignInPage } from '../pages/sign-in-page';

/** [D-LIVE] The server pushes the end: the other device's open pages move with no action there. */
const PUSHED_WITHIN = { timeout: 2000 };

test('"Log out other devices" sends every open tab of the other device to the sign-in page, with no click there', async ({
  deviceA,
  deviceB,
  newUser,
  db,
}) => {
  const user = await newUser({ name: 'Grace Hopper' });
  await signInViaApi(deviceA.context, user);
  await signInViaApi(deviceB.context, user);
  await db.lapseStepUp(user.email);

  // Three tabs of one browser: one holds the stream, the others hear it from that tab.
  const tabs = [deviceB.page, await deviceB.context.newPage(), await deviceB.context.newPage()];
  await tabs[0]!.goto('/sessions');
  await tabs[1]!.goto('/');
  await tabs[2]!.goto('/account');
  for (const tab of tabs) await expect(new AppShell(tab).navLink('Devices')).toBeVisible();

  const sessions = new SessionsPage(deviceA.page);
  await sessions.goto();
  await expect(sessions.devices).toHaveCount(2);
  await sessions.logOutOtherDevices.click();
  await new ReauthDialog(deviceA.page).confirm(user.password);
  await expect(sessions.status).toHaveText('Signed out 1 other device.');

  for (const tab of tabs) {
    await expect(tab).toHaveURL('/sign-in?reason=revoked', PUSHED_WITHIN);
    await new SignInPage(tab).expectSessionEndedWith('You were signed out from another device.');
  }
});

test("a sign-in on a third device appears on B's devices page without a reload", async ({ deviceA, deviceB, newDevice, newUser }) => {
  const user = await newUser();
  await signInViaApi(deviceA.context, user);
  await signInViaApi(deviceB.context, user);
  const sessions = new SessionsPage(deviceB.page);
  await sessions.goto();
  await expect(sessions.devices).toHaveCount(2);

  const third = await newDevice();
  await signInViaApi(third.context, user);
  await expect(sessions.devices).toHaveCount(3, PUSHED_WITHIN);
});
