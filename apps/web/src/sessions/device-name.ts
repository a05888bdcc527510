import type { DeviceSession } from '../api/types';

/** "Chrome on Linux", or as much of it as the user agent told us. */
export function deviceName({ browser, os }: Pick<DeviceSession, 'browser' | 'os'>): string {
  if (browser && os) return `${browser} on ${os}`;
  if (browser) return browser;
  if (os) return `Unknown browser on ${os}`;
  return 'Unknown device';
}
