import type { Locator, Page } from '@playwright/test';

export class AccountPage {
  readonly heading: Locator;
  readonly newPassword: Locator;
  readonly confirmNewPassword: Locator;
  readonly changePasswordButton: Locator;
  /** The password section's own live message. */
  readonly passwordStatus: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Account settings' });
    const passwordSection = page.getByRole('region', { name: 'Change password' });
    this.newPassword = passwordSection.getByLabel('New password', { exact: true });
    this.confirmNewPassword = passwordSection.getByLabel('Confirm new password', { exact: true });
    this.changePasswordButton = passwordSection.getByRole('button', { name: 'Change password' });
    this.passwordStatus = passwordSection.getByRole('status');
  }

  async goto(): Promise<void> {
    await this.page.goto('/account');
  }

  async changePassword(newPassword: string): Promise<void> {
    await this.newPassword.fill(newPassword);
    await this.confirmNewPassword.fill(newPassword);
    await this.changePasswordButton.click();
  }
}
