import { describe, expect, it } from 'vitest';
import { displayIp } from './display-ip';

describe('displayIp', () => {
  it.each(['127.0.0.1', '127.8.9.10', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::FFFF:127.0.0.1', '::ffff:7f00:1'])(
    'calls the loopback address %s "this computer (local)"',
    (ip) => {
      expect(displayIp(ip)).toBe('this computer (local)');
    },
  );

  it.each([
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['::ffff:cb00:7109', '203.0.113.9'],
    ['0:0:0:0:0:ffff:198.51.100.7', '198.51.100.7'],
    ['203.0.113.9', '203.0.113.9'],
    ['2001:db8::1', '2001:db8::1'],
    ['::11', '::11'],
    ['::ffff', '::ffff'],
    ['64:ff9b::cb00:7109', '64:ff9b::cb00:7109'],
    ['128.0.0.1', '128.0.0.1'],
  ])('shows %s as %s', (ip, shown) => {
    expect(displayIp(ip)).toBe(shown);
  });
});
