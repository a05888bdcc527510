import type { Request } from 'express';
import { clientIp, networkPrefix } from './client-ip.js';
import { locateIp } from './geo-location.js';
import { browserFamily, userAgentOf } from './user-agent.js';

/** A session's client in two coarse parts; both changing at once is suspicious [A-SUSPECT]. */
export interface Fingerprint {
  readonly network: string;
  readonly browser: string;
}

/**
 * Who is on the other end of a request, read once at the edge (SessionAuthGuard, for every route)
 * and handed to the services as plain values, so that a job or an emailed link can call them too.
 */
export interface ClientContext {
  /** As Express resolved it (X-Forwarded-For only with TRUST_PROXY), IPv4-mapped IPv6 as IPv4. */
  readonly ip: string;
  /** The User-Agent header, bounded: it is stored with sessions and events. */
  readonly userAgent: string;
  /**
   * Approximate location [D-LOCATION]: with LOCATION_HEADER set, only that header from our own
   * trusted proxy (e.g. cf-ipcountry) is believed; otherwise the offline GeoIP database's city and country.
   */
  readonly location: string | null;
  readonly fingerprint: Fingerprint;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** This request's client, set by SessionAuthGuard; read it with @Client(). */
      client?: ClientContext;
    }
  }
}

export function clientContextOf(req: Request, locationHeader: string | undefined): ClientContext {
  const ip = clientIp(req);
  const userAgent = userAgentOf(req);
  const header = locationHeader ? (req.get(locationHeader)?.slice(0, 64) ?? null) : undefined;
  let located: string | null | undefined;
  return {
    ip,
    userAgent,
    // Looked up only when a session is stored or touched, not on every request.
    get location() {
      return header !== undefined ? header : (located ??= locateIp(ip));
    },
    fingerprint: fingerprintOf(ip, userAgent),
  };
}

/**
 * Parsing a user agent costs far more than the rest of a request's own work, and most requests
 * never need the browser family (the network is compared first), so it is parsed on first use.
 */
export function fingerprintOf(ip: string, userAgent: string): Fingerprint {
  let browser: string | undefined;
  return {
    network: networkPrefix(ip),
    get browser() {
      return (browser ??= browserFamily(userAgent));
    },
  };
}
