import type { ClientContext } from '../common/client-context.js';
import { DBIP_CREDIT } from '../common/geo-location.js';
import { describeUserAgent } from '../common/user-agent.js';
import type { AppConfig } from '../config/config.js';
import type { DeviceDetails } from './templates/layout.js';

/** The device an email tells about: who asked, as the request showed it, now. */
export function deviceDetailsOf(client: ClientContext, config: AppConfig, at = new Date()): DeviceDetails {
  const { browser, os } = describeUserAgent(client.userAgent);
  const location = client.location;
  // The packaged DB-IP Lite data asks for its credit wherever a location it gave is shown.
  const locationCredit = location && !config.locationHeader && !config.geoipDatabase ? DBIP_CREDIT : null;
  return { browser, os, ip: client.ip, location, locationCredit, at };
}
