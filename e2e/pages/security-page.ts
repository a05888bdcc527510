import { expect, type Locator, type Page } from '@playwright/test';

/** Security settings: passkeys, the authenticator app and recovery codes. */
export class SecurityPage {
  readonly heading: Locator;
  readonly setUpApp: Locator;
  readonly qrCode: Locator;
  readonly key: Locator;
  readonly code: Locator;
  readonly turnOn: Locator;
  readonly turnOff: Locator;
  readonly recoveryCodes: Locator;
  readonly status: Locator;
  readonly passkeyName: Locator;
  readonly addPasskey: Locator;
  readonly passkeys: Locator;
  readonly passkeyStatus: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Security', exact: true });
    this.setUpApp = page.getByRole('button', { name: 'Set up an authenticator app' });
    this.qrCode = page.getByRole('img', { name: 'QR code for the authenticator app' });
    this.key = page.getByText(/^[A-Z2-7]{32}$/);
    this.code = page.getByLabel('Code from the app');
    this.turnOn = page.getByRole('button', { name: 'Turn on', exact: true });
    this.turnOff = page.getByRole('button', { name: 'Turn off the authenticator app' });
    this.recoveryCodes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    this.status = page.getByRole('status').filter({ hasText: /authenticator app is/ });
    this.passkeyName = page.getByLabel('Passkey name');
    this.addPasskey = page.getByRole('button', { name: 'Add a passkey' });
    this.passkeys = page.getByRole('list', { name: 'Your passkeys' }).getByRole('listitem');
    this.passkeyStatus = page.getByRole('status').filter({ hasText: /Passkey/ });
  }

  async goto(): Promise<void> {
    await this.page.goto('/security');
    await expect(this.heading).toBeVisible();
  }

  removePasskey(name: string): Locator {
    return this.page.getByRole('button', { name: `Remove ${name}` });
  }

  /** Sets up the app with `codeFor(key)`, the authenticator's code; returns the key and the recovery codes shown. */
  async enrol(codeFor: (key: string) => string): Promise<{ key: string; recoveryCodes: string[] }> {
    await this.setUpApp.click();
    await expect(this.qrCode).toBeVisible();
    const key = (await this.key.textContent())!;
    await this.code.fill(codeFor(key));
    await this.turnOn.click();
    await expect(this.status).toHaveText('The authenticator app is on. Your other devices were signed out.');
    await expect(this.recoveryCodes).toHaveCount(10);
    return { key, recoveryCodes: await this.recoveryCodes.allTextContents() };
  }
}
