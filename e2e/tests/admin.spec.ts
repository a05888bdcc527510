import { expect, signInViaApi, test } from '../fixtures';
import { AdminPage } from '../pages/admin-page';
import { AppShell } from '../pages/app-shell';
import { ReauthDialog } from '../pages/reauth-dialog';
import { SignInPage } from '../pages/sign-in-page';

test("an admin's revoke-all signs the user out, and their open device learns why on its next navigation", async ({
  deviceA: admin,
  deviceB: member,
  adminUser,
  newUser,
}) => {
  const user = await newUser();
  await signInViaApi(admin.context, adminUser);
  await signInViaApi(member.context, user);
  await member.page.goto('/');
  await expect(new AppShell(member.page).welcome(user.name)).toBeVisible();

  const adminPage = new AdminPage(admin.page);
  await adminPage.goto();
  await expect(adminPage.activeSessions(user)).toHaveText('1');
  const revoked = `Signed out 1 session of ${user.name}.`;
  await adminPage.revokeAllSessions(user).click();
  // Signing in just now opened the step-up window, but should the API ask again, the dialog answers.
  await new ReauthDialog(admin.page).confirmIfAsked(adminUser.password, { orUntil: adminPage.status.filter({ hasText: revoked }) });

  await expect(adminPage.status).toHaveText(revoked);
  await expect(adminPage.activeSessions(user)).toHaveText('0');

  await member.page.reload();
  await expect(member.page).toHaveURL('/sign-in?reason=revoked');
  await new SignInPage(member.page).expectSessionEndedWith('You were signed out from another device.');
});
