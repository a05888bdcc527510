import type { Request } from 'express';
import ipaddr from 'ipaddr.js';

/**
 * The client's address as Express resolved it (X-Forwarded-For only with TRUST_PROXY), with
 * IPv4-mapped IPv6 (::ffff:198.51.100.7) written as the IPv4 address people recognise.
 */
export function clientIp(req: Request): string {
  const ip = req.ip ?? '';
  return ipaddr.isValid(ip) ? ipaddr.process(ip).toString() : ip;
}

/**
 * The network an address belongs to: /16 for IPv4, /48 for IPv6 (IPv4-mapped IPv6 counts as
 * IPv4). Mobile clients hop between addresses inside these; a jump outside them is a signal.
 */
export function networkPrefix(ip: string | undefined): string {
  if (!ip || !ipaddr.isValid(ip)) return 'unknown';
  const address = ipaddr.process(ip);
  const bytes = address.toByteArray();
  return address.kind() === 'ipv4' ? `${bytes.slice(0, 2).join('.')}/16` : `${Buffer.from(bytes.slice(0, 6)).toString('hex')}/48`;
}

/**
 * What a rate limit counts for an address: an IPv4 address as itself, an IPv6 address by its
 * prefix (a /64 by default), since one IPv6 user holds a whole /64 and could spray from it [A-BRUTE].
 */
export function throttleKeyOf(ip: string, ipv6PrefixLength: number): string {
  if (!ipaddr.isValid(ip)) return ip;
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  const bytes = address.toByteArray();
  const masked = bytes.map((byte, i) => {
    const bitsLeft = ipv6PrefixLength - i * 8;
    return bitsLeft >= 8 ? byte : bitsLeft <= 0 ? 0 : byte & (0xff << (8 - bitsLeft));
  });
  return `${ipaddr.fromByteArray(masked).toString()}/${ipv6PrefixLength}`;
}
