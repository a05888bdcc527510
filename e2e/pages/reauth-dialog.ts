import { expect, type Locator, type Page } from '@playwright/test';

/** Opened by the API client when a critical request answers 403 REAUTH_REQUIRED. */
export class ReauthDialog {
  readonly dialog: Locator;
  readonly password: Locator;
  readonly confirmButton: Locator;
  /** Offered first to a user who has a passkey [M-STEPUP]. */
  readonly usePasskey: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: /^Confirm (your password|it is you)$/ });
    this.password = this.dialog.getByLabel('Password', { exact: true });
    this.confirmButton = this.dialog.getByRole('button', { name: 'Confirm', exact: true });
    this.usePasskey = this.dialog.getByRole('button', { name: 'Use a passkey' });
  }

  async confirm(password: string): Promise<void> {
    await expect(this.dialog).toBeVisible();
    await expect(this.password).toBeFocused();
    await this.password.fill(password);
    await this.confirmButton.click();
    await expect(this.dialog).toBeHidden();
  }

  /** Steps up with the browser's passkey, offered before the password. */
  async confirmWithPasskey(): Promise<void> {
    await expect(this.dialog).toBeVisible();
    await expect(this.usePasskey).toBeFocused();
    await this.usePasskey.click();
    await expect(this.dialog).toBeHidden();
  }

  /** For actions that may or may not fall inside the step-up window: confirms only if asked. */
  async confirmIfAsked(password: string, { orUntil: done }: { orUntil: Locator }): Promise<void> {
    await expect(this.dialog.or(done).first()).toBeVisible();
    if (await this.dialog.isVisible()) await this.confirm(password);
  }
}
