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

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Sign in', exact: true });
    this.email = page.getByLabel('Email', { exact: true });
    this.password = page.getByLabel('Password', { exact: true });
    this.rememberMe = page.getByLabel('Remember me on this device');
    this.submit = page.getByRole('button', { name: 'Sign in', exact: true });
    this.notice = page.getByRole('status');
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
