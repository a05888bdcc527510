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
