import { describe, expect, it } from 'vitest';
import type { Request } from 'express';
import { clientIp, MEMO_BOUND, memoByAddress, networkPrefix, throttleKeyOf } from './client-ip.js';

describe('networkPrefix', () => {
  it('keeps the /16 of an IPv4 address', () => {
    expect(networkPrefix('198.51.100.7')).toBe('198.51/16');
    expect(networkPrefix('198.51.3.200')).toBe(networkPrefix('198.51.100.7'));
    expect(networkPrefix('198.52.100.7')).not.toBe(networkPrefix('198.51.100.7'));
  });

  it('treats IPv4-mapped IPv6 as IPv4', () => {
    expect(networkPrefix('::ffff:198.51.100.7')).toBe('198.51/16');
  });

  it('keeps the /48 of an IPv6 address, however it is written', () => {
    expect(networkPrefix('2001:db8:abcd:1::1')).toBe(networkPrefix('2001:0db8:abcd:ffff:0:0:0:2'));
    expect(networkPrefix('2001:db8:abce::1')).not.toBe(networkPrefix('2001:db8:abcd::1'));
  });

  it('answers "unknown" for garbage rather than throwing', () => {
    expect(networkPrefix('not an ip')).toBe('unknown');
    expect(networkPrefix(undefined)).toBe('unknown');
  });
});

describe('clientIp', () => {
  const from = (ip: string) => ({ ip }) as Request;

  it('writes IPv4-mapped IPv6 as IPv4', () => {
    expect(clientIp(from('::ffff:127.0.0.1'))).toBe('127.0.0.1');
  });

  it('keeps IPv6 and plain IPv4 as they are', () => {
    expect(clientIp(from('2001:db8::1'))).toBe('2001:db8::1');
    expect(clientIp(from('198.51.100.7'))).toBe('198.51.100.7');
  });
});

describe('throttleKeyOf', () => {
  it('counts an IPv4 address as itself and an IPv6 address by its /64', () => {
    expect(throttleKeyOf('203.0.113.9', 64)).toBe('203.0.113.9');
    expect(throttleKeyOf('::ffff:203.0.113.9', 64)).toBe('203.0.113.9');
    expect(throttleKeyOf('2001:db8:1:2:aaaa::1', 64)).toBe('2001:db8:1:2::/64');
    expect(throttleKeyOf('2001:db8:1:2:bbbb:cccc:dddd:eeee', 64)).toBe('2001:db8:1:2::/64');
    expect(throttleKeyOf('2001:db8:1:2ff::1', 56)).toBe('2001:db8:1:200::/56');
  });
});

describe('memoByAddress', () => {
  it('works an address out once, however many requests come from it', () => {
    let computed = 0;
    const memo = memoByAddress((address) => `${address}!${++computed}`);
    expect([memo('198.51.100.7'), memo('198.51.100.7'), memo('198.51.100.7')]).toEqual(['198.51.100.7!1', '198.51.100.7!1', '198.51.100.7!1']);
    expect(memo('203.0.113.9')).toBe('203.0.113.9!2');
  });

  it('stays bounded when a flood of distinct addresses arrives', () => {
    const memo = memoByAddress((address) => address.length);
    for (let i = 0; i < MEMO_BOUND * 3 + 7; i++) memo(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
    expect(memo.size).toBeLessThanOrEqual(MEMO_BOUND);
    expect(memo.size).toBeGreaterThan(0);
  });
});
