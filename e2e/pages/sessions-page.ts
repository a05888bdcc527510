import type { Locator, Page } from '@playwright/test';

/** Devices & sessions: one card per signed-in device. */
export class SessionsPage {
  readonly heading: Locator;
  readonly devices: Locator;
  /** The card of the device looking at the page; its name includes "This device". */
  readonly thisDevice: Locator;
  /** Every other device's card carries a Revoke button. */
  readonly otherDevices: Locator;
  readonly logOutOtherDevices: Locator;
  readonly status: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Devices & sessions' });
    this.devices = page.getByRole('list', { name: 'Signed-in devices' }).getByRole('listitem');
    this.thisDevice = page.getByRole('list', { name: 'Signed-in devices' }).getByRole('listitem', { name: /This device/ });
    this.otherDevices = this.devices.filter({ has: page.getByRole('button', { name: 'Revoke', exact: true }) });
    this.logOutOtherDevices = page.getByRole('button', { name: 'Log out other devices' });
    this.status = page.getByRole('status');
  }

  async goto(): Promise<void> {
    await this.page.goto('/sessions');
  }

  revokeButton(device: Locator): Locator {
    return device.getByRole('button', { name: 'Revoke', exact: true });
  }
}
