import type { Request } from 'express';
import ipaddr from 'ipaddr.js';

/**
 * The client's address as Express resolved it (X-Forwarded-For only with TRUST_PROXY), with
 * IPv4-mapped IPv6 (::ffff:198.51.100.7) written as the IPv4 address people recognise.
 */
export function clientIp(req: Request): string {
  return canonicalIp(req.ip ?? '');
}

/** The most addresses each memo below keeps; past it, it starts over (a flood of addresses costs parsing, never memory). */
export const MEMO_BOUND = 10_000;

/**
 * A pure function of an address, remembered: every request parsed its client's address with
 * ipaddr.js two or three times (1–2 % of a signed-in request's CPU), though a client sends many
 * requests from one address. The memo holds only what the address itself determines, nothing
 * about a session, so it can never answer for a session that has ended.
 */
export function memoByAddress<T>(compute: (address: string) => T): ((address: string) => T) & { readonly size: number } {
  const memo = new Map<string, T>();
  const lookup = (address: string): T => {
    let value = memo.get(address);
    if (value === undefined && !memo.has(address)) {
      if (memo.size >= MEMO_BOUND) memo.clear();
      value = compute(address);
      memo.set(address, value);
    }
    return value as T;
  };
  return Object.defineProperty(lookup, 'size', { get: () => memo.size }) as ((address: string) => T) & { readonly size: number };
}

const canonicalIp = memoByAddress((ip) => (ipaddr.isValid(ip) ? ipaddr.process(ip).toString() : ip));

/**
 * The network an address belongs to: /16 for IPv4, /48 for IPv6 (IPv4-mapped IPv6 counts as
 * IPv4). Mobile clients hop between addresses inside these; a jump outside them is a signal.
 */
export function networkPrefix(ip: string | undefined): string {
  return ip ? networkOf(ip) : 'unknown';
}

const networkOf = memoByAddress((ip) => {
  if (!ipaddr.isValid(ip)) return 'unknown';
  const address = ipaddr.process(ip);
  const bytes = address.toByteArray();
  return address.kind() === 'ipv4' ? `${bytes.slice(0, 2).join('.')}/16` : `${Buffer.from(bytes.slice(0, 6)).toString('hex')}/48`;
});

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
