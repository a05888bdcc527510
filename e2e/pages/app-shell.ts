import type { Locator, Page } from '@playwright/test';

/** The header around every signed-in screen, and the home screen. */
export class AppShell {
  readonly header: Locator;
  readonly signOut: Locator;
  /** "Verified until HH:MM", shown while the step-up window is open. */
  readonly verifiedUntil: Locator;

  constructor(readonly page: Page) {
    this.header = page.getByRole('banner');
    this.signOut = this.header.getByRole('button', { name: 'Sign out' });
    this.verifiedUntil = this.header.getByText(/^Verified until /);
  }

  navLink(name: 'Home' | 'Devices' | 'Activity' | 'Account' | 'Admin'): Locator {
    return this.header.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
  }

  /** The home screen greets whoever is signed in. */
  welcome(name: string): Locator {
    return this.page.getByRole('heading', { name: `Welcome, ${name}`, exact: true });
  }
}
