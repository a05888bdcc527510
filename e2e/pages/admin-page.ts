import type { Locator, Page } from '@playwright/test';
import type { TestUser } from '../fixtures';

export class AdminPage {
  readonly heading: Locator;
  readonly status: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Admin', exact: true });
    this.status = page.getByRole('status');
  }

  async goto(): Promise<void> {
    await this.page.goto('/admin');
  }

  /** The user's row in the users table, found by its row header (the name). */
  row(user: TestUser): Locator {
    return this.page.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name: user.name, exact: true }) });
  }

  activeSessions(user: TestUser): Locator {
    // Columns: Name (row header) | Email | Role | Active sessions | Actions.
    return this.row(user).getByRole('cell').nth(2);
  }

  roleFor(user: TestUser): Locator {
    return this.page.getByLabel(`Role for ${user.name}`);
  }

  revokeAllSessions(user: TestUser): Locator {
    return this.row(user).getByRole('button', { name: 'Revoke all sessions' });
  }
}
