/**
 * The packaged location data, DB-IP Lite, is licensed CC BY 4.0, which asks for this credit
 * wherever a location it gave is shown: the devices page, the activity timeline and the admins'
 * feed use this one component, and show it only when a location is on screen.
 */
export function GeoCredit({ items }: { items: ReadonlyArray<{ location: string | null }> | undefined }) {
  if (!items?.some((item) => item.location)) return null;
  return (
    <p className="geo-credit">
      <a href="https://db-ip.com">IP geolocation by DB-IP</a>
    </p>
  );
}
