import type { Schemas } from '../api/client';

/** "Chrome on Linux", or as much of it as the user agent told us. */
export function deviceName({ browser, os }: Pick<Schemas['Device'], 'browser' | 'os'>): string {
  if (browser && os) return `${browser} on ${os}`;
  if (browser) return browser;
  if (os) return `Unknown browser on ${os}`;
  return 'Unknown device';
}
