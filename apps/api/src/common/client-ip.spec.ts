import { describe, expect, it } from 'vitest';
import type { Request } from 'express';
import { clientIp, networkPrefix } from './client-ip.js';

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
