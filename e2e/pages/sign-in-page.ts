import { expect, type Locator, type Page } from '@playwright/test';
import type { TestUser } from '../fixtures';

export class SignInPage {
  readonly heading: Locator;
  readonly email: Locator;
  readonly password: Locator;
  readonly rememberMe: Locator;
  readonly submit: Locator;
  /** Why the last session ended ("You signed out."), in words. */
  readonly notice: Locator;
  readonly secondStep: Locator;
  readonly authenticationCode: Locator;
  readonly recoveryCode: Locator;
  readonly useRecoveryCode: Locator;
  readonly verify: Locator;
  readonly withPasskey: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Sign in', exact: true });
    this.email = page.getByLabel('Email', { exact: true });
    this.password = page.getByLabel('Password', { exact: true });
    this.rememberMe = page.getByLabel('Remember me on this device');
    this.submit = page.getByRole('button', { name: 'Sign in', exact: true });
    this.notice = page.getByRole('status');
    this.secondStep = page.getByRole('heading', { name: 'Two-step verification' });
    this.authenticationCode = page.getByLabel('Authentication code');
    this.recoveryCode = page.getByLabel('Recovery code');
    this.useRecoveryCode = page.getByRole('button', { name: 'Use a recovery code instead' });
    this.verify = page.getByRole('button', { name: 'Verify', exact: true });
    this.withPasskey = page.getByRole('button', { name: 'Sign in with a passkey' });
  }

  /** The second step [M-SIGNIN]: a code from the authenticator app. */
  async enterCode(code: string): Promise<void> {
    await expect(this.secondStep).toBeVisible();
    await expect(this.authenticationCode).toBeFocused();
    await this.authenticationCode.fill(code);
    await this.verify.click();
  }

  async enterRecoveryCode(code: string): Promise<void> {
    await expect(this.secondStep).toBeVisible();
    await this.useRecoveryCode.click();
    await this.recoveryCode.fill(code);
    await this.verify.click();
  }

  async goto(query = ''): Promise<void> {
    await this.page.goto(`/sign-in${query}`);
  }

  async signIn(user: TestUser, { rememberMe = false } = {}): Promise<void> {
    await this.email.fill(user.email);
    await this.password.fill(user.password);
    await this.rememberMe.setChecked(rememberMe);
    await this.submit.click();
  }

  async expectSessionEndedWith(message: string): Promise<void> {
    await expect(this.heading).toBeVisible();
    await expect(this.notice).toHaveText(message);
  }
}
