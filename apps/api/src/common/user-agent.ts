import type { Request } from 'express';
import { UAParser } from 'ua-parser-js';

/** The User-Agent header, bounded: it is stored with sessions and events. */
export function userAgentOf(req: Request): string {
  return (req.headers['user-agent'] ?? '').slice(0, 512);
}

export interface DeviceDescription {
  browser: string | null;
  os: string | null;
  deviceType: string;
}

/** Browser, OS and device type for people to recognise their devices, by ua-parser-js. */
export function describeUserAgent(userAgent: string | null | undefined): DeviceDescription {
  const { browser, os, device } = UAParser(userAgent ?? '');
  return { browser: browser.name ?? null, os: os.name ?? null, deviceType: device.type ?? 'desktop' };
}

/** The browser family, one half of a session's fingerprint [A-SUSPECT]. */
export const browserFamily = (userAgent: string | null | undefined): string => UAParser(userAgent ?? '').browser.name ?? 'unknown';
